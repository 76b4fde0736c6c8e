// The nine line groups of the entry form, each with its own error slot.
import { el } from "./dom.js";

function group(line, title, fields) {
  const errors = el("div", { class: "line-error", id: `line-${line}-error`, "aria-live": "polite" });
  const node = el("fieldset", { class: "line", id: `line-${line}`, "aria-describedby": `line-${line}-error` },
    el("legend", {}, `Line ${line} · ${title}`), ...fields, errors);
  return {
    line, node,
    showError(message) { node.classList.add("invalid"); errors.append(el("p", { class: "field-error" }, message)); },
    clearError() { node.classList.remove("invalid"); errors.replaceChildren(); },
    focus() { node.querySelector("input, select")?.focus(); },
  };
}

const input = (name, label, attrs = {}) => el("label", { class: "field" }, label,
  el("input", { name, id: `f-${name}`, ...attrs }));
const select = (name, label, options) => el("label", { class: "field" }, label,
  el("select", { name, id: `f-${name}` }, options.map(([v, t]) => el("option", { value: v }, t))));
const check = (name, value, label) => el("label", { class: "check" },
  el("input", { type: "checkbox", name, value, id: `f-${name}-${value}` }), label);

export function lineGroups() {
  const count = (name, label) => input(name, label, { type: "number", min: 0, max: 999, value: 0, inputmode: "numeric" });
  return [
    group(1, "Pickup location", [input("grid", "MGRS grid", { placeholder: "34N DJ 12345 67890" }),
      input("lat", "or latitude", { inputmode: "decimal" }), input("lon", "longitude", { inputmode: "decimal" })]),
    group(2, "Frequency and call sign", [input("frequency", "Frequency"), input("call_sign", "Call sign")]),
    group(3, "Patients by precedence", ["A", "B", "C", "D", "E"].map((p) => count(`prec_${p}`, p))),
    group(4, "Special equipment", [check("equipment", "A", "A none"), check("equipment", "B", "B hoist"),
      check("equipment", "C", "C extraction"), check("equipment", "D", "D ventilator")]),
    group(5, "Patients by type", [count("litter", "Litter"), count("ambulatory", "Ambulatory")]),
    group(6, "Security at pickup", [select("security", "Security", [["", "not reported"], ["N", "N no enemy"],
      ["P", "P possible enemy"], ["E", "E enemy: approach with caution"], ["X", "X armed escort required"]])]),
    group(7, "Marking", [select("marking", "Method", [["", "not reported"], ["A", "A panels"], ["B", "B pyrotechnic"],
      ["C", "C smoke"], ["D", "D none"], ["E", "E other"]]), input("marking_detail", "Detail (colour)")]),
    group(8, "Nationality and status", [select("nationality", "Status", [["", "not reported"], ["A", "A own military"],
      ["B", "B own civilian"], ["C", "C other military"], ["D", "D other civilian"], ["E", "E detainee"],
      // A UN mission's own words: the service keeps the category beside its code.
      ["un_military", "A UN military"], ["un_civilian", "B UN civilian"], ["un_police", "B UN police"],
      ["local_military", "C local military"], ["non_un_military", "C non-UN military"],
      ["local_civilian", "D local civilian"]])]),
    group(9, "Terrain", [input("terrain", "Terrain description")]),
  ];
}

// The structured 9-line JSON from the form; empty optional lines are left out.
export function readForm(groups) {
  const form = groups[0].node.form;
  const v = (name) => form.elements[name]?.value.trim() ?? "";
  const n = (name) => Number(v(name) || 0);
  const body = {
    location: v("grid") ? { grid: v("grid") } : { lat: num(v("lat")), lon: num(v("lon")) },
    radio: { frequency: v("frequency") || null, call_sign: v("call_sign") || null },
    precedence: Object.fromEntries(["A", "B", "C", "D", "E"].map((p) => [p, n(`prec_${p}`)])),
    special_equipment: [...form.querySelectorAll("input[name=equipment]:checked")].map((c) => c.value),
    patients_by_type: { litter: n("litter"), ambulatory: n("ambulatory") },
  };
  if (v("security")) body.security = v("security");
  if (v("marking")) body.marking = { method: v("marking"), detail: v("marking_detail") || null };
  const status = v("nationality");
  if (status) body.nationality = [status.length === 1 ? { status } : { category: status }];
  if (v("terrain")) body.terrain = v("terrain");
  return body;
}

const num = (text) => (text === "" ? null : Number(text));
