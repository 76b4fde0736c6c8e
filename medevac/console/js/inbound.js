// A facility's inbound view: only the evacuations heading there, their ETA and MIST-AT handover.
import * as api from "./api.js";
import { el, clear, clock } from "./dom.js";
import { PRECEDENCE } from "./golden.js";

const MIST = [["mechanism", "Mechanism"], ["injuries", "Injuries"], ["signs", "Signs"], ["treatment", "Treatment"],
              ["age", "Age"], ["time_of_injury", "Time of injury"]];

export async function mount(root, { session, live, params }) {
  const facilities = await api.all(`/v1/facilities?mission=${session.mission_id}&limit=500`);
  const picker = el("select", { id: "inbound-facility", "aria-label": "Facility" },
    facilities.map((f) => el("option", { value: f.id, selected: f.id === params[0] }, f.name)));
  const list = el("div", { class: "inbound", "aria-live": "polite" });
  root.append(el("section", { class: "card", "aria-labelledby": "inbound-title" },
    el("h2", { id: "inbound-title" }, "Inbound to ", picker), list));
  const load = async () => {
    if (!picker.value) return clear(list).append(el("p", { class: "empty" }, "No facilities."));
    const board = await api.get(`/v1/facilities/${picker.value}/inbound`);
    clear(list).append(el("p", {}, `${board.usable_beds} beds free, ${board.beds_reserved} reserved for inbound.`),
      ...(board.inbound.length ? board.inbound.map(arrival) : [el("p", { class: "empty" }, "Nothing inbound.")]));
  };
  picker.addEventListener("change", () => { location.hash = `#/inbound/${picker.value}`; });
  await load();
  const off = live.subscribe((event) => {
    if (event.entity === "evacuation" || (event.entity === "facility" && event.entity_id === picker.value)) load();
  });
  return { unmount() { off(); } };
}

function arrival(item) {
  return el("article", { class: "arrival card", dataset: { evacuation: item.evacuation_id } },
    el("h3", {}, `${item.callsign} (${item.asset_kind}) · ETA ${clock(item.eta_facility)} · ${item.state.replace("_", " ")}`),
    el("p", {}, `${item.beds_reserved} bed(s) reserved`),
    el("ol", { class: "casualties" }, item.casualties.map((c) =>
      el("li", {}, el("strong", {}, `${c.precedence} ${PRECEDENCE[c.precedence] || ""} · ${c.patient_type}`),
        c.mist ? el("dl", { class: "mist" }, MIST.filter(([k]) => c.mist[k]).map(([k, label]) =>
          [el("dt", {}, label), el("dd", {}, mistValue(c.mist[k]))])) : el("p", { class: "hint" }, "No MIST-AT notes yet.")))));
}

function mistValue(value) {
  if (Array.isArray(value)) return value.map((t) => t.given || JSON.stringify(t)).join("; ");
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}
