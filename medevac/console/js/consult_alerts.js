// An emergency teleconsult going nowhere is shouted on the dispatcher's and the clinician's
// screens, whatever screen they are on: no specialist could be offered it, or none has answered
// by the target. It stays until the consult is taken, answered, closed or cancelled.
import * as api from "./api.js";
import { el, clear, clock, age, serially } from "./dom.js";

const WATCHERS = ["dispatcher", "admin", "clinician"];
const ROSTER_KEEPERS = ["dispatcher", "admin"];

export function watchConsults(session, live) {
  if (!WATCHERS.includes(session.role) || !session.mission_id) return () => {}; // no mission yet: nothing to watch
  const box = document.getElementById("consult-alerts");
  let timer = null;
  const refresh = serially(async () => {
    clearTimeout(timer);
    const { alerts, recheck_at: recheck } = await api.get(`/v1/consult-alerts?mission=${session.mission_id}`);
    clear(box).append(...alerts.map((alert) => banner(alert, session)));
    box.hidden = alerts.length === 0;
    // No event marks the moment a target passes: look again then.
    if (recheck) timer = setTimeout(refresh, Math.max(0, Date.parse(recheck) - Date.now()) + 500);
  });
  const off = live.subscribe((event) => { if (event.entity === "consult" || event.entity === "specialist") refresh(); });
  refresh();
  return () => { off(); clearTimeout(timer); };
}

function banner(alert, session) {
  const what = alert.specialty.replaceAll("_", " ");
  const why = alert.reason === "unmatched"
    ? `no ${what} specialist is on call to take it`
    : `no specialist has answered; the answer was due at ${clock(alert.answer_due_at)}`;
  const next = ROSTER_KEEPERS.includes(session.role)
    ? el("a", { href: "#/oncall" }, `Put a ${what} specialist on call`)
    : el("span", {}, `Call the dispatcher to put a ${what} specialist on call, or reach one by phone or radio.`);
  return el("p", { class: "consult-alert", dataset: { consult: alert.consult_id, reason: alert.reason } },
    el("strong", {}, "EMERGENCY TELECONSULT WAITING: "),
    `${what}, asked by ${alert.requested_by} at ${clock(alert.created_at)} (${age(alert.created_at)}): ${why}. `, next);
}
