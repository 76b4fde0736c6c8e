// A facility's inbound view: only the evacuations heading there, their ETA and MIST-AT handover.
// It opens on the user's own facility; times are the mission's local time with Z beside them.
import * as api from "./api.js";
import { el, clear, zoned, serially } from "./dom.js";
import { PRECEDENCE } from "./golden.js";

const MIST = [["mechanism", "Mechanism"], ["injuries", "Injuries"], ["signs", "Signs"], ["treatment", "Treatment"],
              ["age", "Age"], ["time_of_injury", "Time of injury"]];

export async function mount(root, { session, live, params }) {
  const [facilities, mission] = await Promise.all([
    api.all(`/v1/facilities?mission=${session.mission_id}&limit=500`), api.get(`/v1/missions/${session.mission_id}`)]);
  const chosen = params[0] || session.facility_id;
  const picker = el("select", { id: "inbound-facility", "aria-label": "Facility" },
    facilities.map((f) => el("option", { value: f.id, selected: f.id === chosen },
      f.id === session.facility_id ? `${f.name} (yours)` : f.name)));
  const list = el("div", { class: "inbound", "aria-live": "polite" });
  root.append(el("section", { class: "card", "aria-labelledby": "inbound-title" },
    el("h2", { id: "inbound-title" }, "Inbound to ", picker), list));
  const load = serially(async () => {
    if (!picker.value) return clear(list).append(el("p", { class: "empty" }, "No facilities."));
    const board = await api.get(`/v1/facilities/${picker.value}/inbound`);
    clear(list).append(el("p", {}, `${board.usable_beds} beds free, ${board.beds_reserved} reserved for inbound.`),
      ...(board.inbound.length ? board.inbound.map((item) => arrival(item, board, mission.time_zone))
                               : [el("p", { class: "empty" }, "Nothing inbound.")]));
  });
  picker.addEventListener("change", () => { location.hash = `#/inbound/${picker.value}`; });
  await load();
  const off = live.subscribe((event) => {
    if (event.entity === "evacuation" || (event.entity === "facility" && event.entity_id === picker.value)) load();
  });
  return { unmount() { off(); } };
}

function arrival(item, board, zone) {
  const eta = item.eta_facility ? `ETA ${zoned(item.eta_facility, zone)}` : "ETA not known";
  return el("article", { class: "arrival card", dataset: { evacuation: item.evacuation_id } },
    el("h3", {}, `${item.callsign} (${item.asset_kind}) · ${item.state.replace("_", " ")}`),
    el("p", { class: "eta" }, el("strong", {}, eta),
      item.eta_estimated ? " (estimated from the aircraft's position: no planned time)" : ""),
    el("p", {}, `${item.beds_reserved} bed(s) reserved`),
    el("ol", { class: "casualties" }, item.casualties.map((c) =>
      el("li", {}, el("strong", {}, `${c.precedence} ${PRECEDENCE[c.precedence] || ""} · ${c.patient_type}`),
        c.injured_at ? ` · injured ${zoned(c.injured_at, zone)}` : " · injury time unknown",
        notes(c, board, zone)))));
}

function notes(casualty, board, zone) {
  if (casualty.mist) {
    const given = ([k]) => casualty.mist[k] && !(Array.isArray(casualty.mist[k]) && !casualty.mist[k].length);
    return el("dl", { class: "mist" }, MIST.filter(given).map(([k, label]) =>
      [el("dt", {}, label), el("dd", {}, k === "time_of_injury" ? zoned(casualty.mist[k], zone) : mistValue(casualty.mist[k]))]));
  }
  return el("p", { class: "hint" }, board.notes_withheld ? "MIST-AT notes hidden for your role." : "No MIST-AT notes yet.");
}

function mistValue(value) {
  if (Array.isArray(value)) return value.map((t) => t.given || JSON.stringify(t)).join("; ");
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}
