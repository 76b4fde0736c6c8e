// Facilities board: Level, status, beds, ICU and theatre counts, each with the age of its figure.
import * as api from "./api.js";
import { el, clear, age, toast } from "./dom.js";

const STATUSES = ["open", "diverting", "closed"];
const LEVELS = ["", "I", "II", "III", "IV"];
const REPORTERS = ["admin", "dispatcher", "clinician"];
const COUNTS = [["usable_beds", "Free beds"], ["beds", "Beds"], ["icu_beds", "ICU free"], ["operating_tables", "OR tables"]];

export const levelName = (level) => `Level ${LEVELS[level] || level}`;

export async function mount(root, { session, live }) {
  const body = el("tbody");
  root.append(el("section", { class: "card", "aria-labelledby": "facilities-title" },
    el("h2", { id: "facilities-title" }, "Facilities"),
    el("table", { class: "grid" },
      el("thead", {}, el("tr", {}, ["Facility", "Level", "Status", ...COUNTS.map(([, label]) => label), ""]
        .map((h) => el("th", { scope: "col" }, h)))),
      body)));
  const facilities = new Map();
  // Clinicians report for their own facility, or any with the "facilities" right (as the API checks).
  const canReport = (facility) => REPORTERS.includes(session.role) && (session.role !== "clinician"
    || facility.id === session.facility_id || session.rights.includes("facilities"));
  const render = () => {
    clear(body);
    const sorted = [...facilities.values()].sort((a, b) => a.level - b.level || a.name.localeCompare(b.name));
    for (const facility of sorted) body.append(row(facility, canReport(facility), replace));
  };
  const replace = (next) => { facilities.set(next.id, next); render(); };
  for (const f of await api.all(`/v1/facilities?mission=${session.mission_id}&limit=500`)) facilities.set(f.id, f);
  render();
  const timer = setInterval(render, 30000);
  const off = live.subscribe((event) => {
    if (event.entity === "facility" && event.payload?.id) replace(event.payload);
  });
  return { unmount() { off(); clearInterval(timer); } };
}

function figure(facility, name) {
  return el("small", { class: "age" }, age(facility.figures_updated_at?.[name]));
}

function row(facility, canReport, replace) {
  const inputs = {};
  const status = canReport
    ? el("select", { "aria-label": `Status of ${facility.name}` },
        STATUSES.map((s) => el("option", { value: s, selected: s === facility.status }, s)))
    : el("span", { class: `pill status-${facility.status}` }, facility.status);
  inputs.status = status;
  const counts = COUNTS.map(([name, label]) => {
    const value = canReport
      ? (inputs[name] = el("input", { type: "number", min: 0, value: facility[name], class: "count",
                                      "aria-label": `${label} at ${facility.name}` }))
      : el("span", {}, facility[name]);
    return el("td", {}, value, " ", figure(facility, name));
  });
  const save = canReport ? el("button", { type: "button", onclick: () => report(facility, inputs, replace) }, "Report") : "";
  return el("tr", { dataset: { facility: facility.id } },
    el("th", { scope: "row" }, facility.name),
    el("td", {}, levelName(facility.level)),
    el("td", {}, status, " ", figure(facility, "status")),
    counts, el("td", {}, save));
}

async function report(facility, inputs, replace) {
  const patch = { version: facility.version };
  if (inputs.status.value !== facility.status) patch.status = inputs.status.value;
  for (const [name] of COUNTS) {
    const value = Number(inputs[name].value);
    if (value !== facility[name]) patch[name] = value;
  }
  try {
    replace(await api.request(`/v1/facilities/${facility.id}`, { method: "PATCH", body: patch }).then((r) => r.data));
  } catch (error) {
    if (error.status === 409 && error.problem.current) replace(error.problem.current);
    toast(`${facility.name}: ${error.message}`);
  }
}
