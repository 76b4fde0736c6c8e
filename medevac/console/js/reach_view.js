// What the card says of patients the plan cannot or does not serve: those no aircraft of the
// mission can reach (why, and the nearest way that would work) and an aircraft left idle
// although it could fly sooner (why it is kept, and at what predicted cost).
import { el, clock } from "./dom.js";
import { whoText } from "./plan_groups.js";

export function unreachableView(request, rec) {
  const byId = new Map(request.casualties.map((c) => [c.id, c]));
  const groups = new Map();  // one line per reason and way
  for (const u of rec.unreachable || []) {
    const key = `${u.reason}|${u.nearest_way || ""}`;
    if (!groups.has(key)) groups.set(key, { reason: u.reason, way: u.nearest_way, casualties: [] });
    const casualty = byId.get(u.patient_id);
    if (casualty) groups.get(key).casualties.push(casualty);
  }
  if (!groups.size) return null;
  return el("div", { class: "unreachable late", role: "status" },
    [...groups.values()].map((g) => el("p", {},
      el("strong", {}, `No aircraft can reach ${g.casualties.length ? whoText(g.casualties) : "this request"}`),
      `: ${g.reason}.`, g.way ? el("span", { class: "way" }, ` Nearest way that would work: ${g.way}.`) : "")));
}

export function idleView(rec, ctx) {
  const idle = rec.idle;
  if (!idle) return null;
  const delay = idle.delay_min === null || idle.delay_min === undefined ? "the plan does not serve the lead patient"
    : idle.delay_min > 0 ? `the lead patient waits ${Math.round(idle.delay_min)} min longer`
      : `the plan is ${Math.round(-idle.delay_min)} min sooner`;
  const survivors = Math.abs(idle.survivors_cost) < 0.005 ? "no expected survivor lost"
    : idle.survivors_cost > 0 ? `${idle.survivors_cost.toFixed(2)} expected survivors fewer`
      : `${(-idle.survivors_cost).toFixed(2)} expected survivors more`;
  return el("p", { class: "idle", dataset: { asset: idle.asset_id } },
    el("strong", {}, `${idle.callsign || ctx.callsign(idle.asset_id)} stands idle`),
    ` (could be wheels up ${clock(idle.wheels_up)}, at the facility ${clock(idle.at_facility)}): ${idle.reason}. `,
    el("span", { class: "cost" }, `Keeping it idle: ${delay}, ${survivors}.`));
}
