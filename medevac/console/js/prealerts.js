// Pre-alerts that did not reach a receiving hospital's FHIR server: shown on the board (someone must
// phone the hospital), refreshed whenever a delivery ends (fhir_push.* events).
import * as api from "./api.js";
import { el, clear, clock, serially } from "./dom.js";

const READERS = ["dispatcher", "admin", "observer", "clinician"];

export async function mountPrealerts(root, { session, live }, ctx) {
  if (!READERS.includes(session.role)) return () => {};
  const list = el("div", { class: "warnings" });
  const section = el("section", { class: "card", id: "prealerts", "aria-labelledby": "prealerts-title", hidden: true },
    el("h2", { id: "prealerts-title" }, "Hospital pre-alerts not delivered"), list);
  root.prepend(section);
  const load = serially(async () => {
    const failed = await api.get(`/v1/fhir-pushes?mission=${session.mission_id}&status=failed`);
    section.hidden = failed.length === 0;
    clear(list).append(...failed.map((p) => el("p", { dataset: { evacuation: p.evacuation_id } },
      `${ctx.facilityName(p.facility_id)}: ${p.last_error || "not delivered"} ` +
      `(${p.attempts} tries, last at ${clock(p.updated_at)}). Phone the hospital with the pre-alert.`)));
  });
  await load();
  return live.subscribe((event) => { if (event.entity === "fhir_push") load(); });
}
