// One evacuation under way: where it is in its lifecycle, and the crew's next step.
import * as api from "./api.js";
import { el, clock, toast } from "./dom.js";

const STAGES = [["tasked", "tasked_at"], ["airborne", "airborne_at"], ["at_pickup", "at_pickup_at"],
                ["loaded", "loaded_at"], ["handed_over", "handed_over_at"], ["complete", "completed_at"]];

export function evacuationRow(evacuation, ctx) {
  const stages = el("ol", { class: "stages" }, STAGES.map(([state, stamp]) =>
    el("li", { class: evacuation[stamp] ? "done" : "", "aria-current": evacuation.state === state ? "step" : null },
      `${state.replace("_", " ")} ${evacuation[stamp] ? clock(evacuation[stamp]) : ""}`)));
  const next = evacuation.allowed_transitions.filter((s) => s !== "aborted");
  const buttons = ctx.canReport ? next.map((to) => el("button", { type: "button",
    onclick: () => advance(evacuation, to, ctx) }, `Mark ${to.replace("_", " ")}`)) : [];
  return el("tr", { dataset: { evacuation: evacuation.id, state: evacuation.state } },
    el("th", { scope: "row" }, evacuation.escort_asset_id
      ? `${ctx.callsign(evacuation.asset_id)} + escort ${ctx.callsign(evacuation.escort_asset_id)}`
      : ctx.callsign(evacuation.asset_id)),
    el("td", {}, ctx.facilityName(evacuation.facility_id)),
    el("td", {}, evacuation.precedence),
    el("td", { class: "state" }, evacuation.state.replace("_", " ")),
    el("td", {}, clock(evacuation.eta_facility)),
    el("td", {}, stages),
    el("td", {}, buttons));
}

async function advance(evacuation, to, ctx) {
  try {
    await api.post(`/v1/evacuations/${evacuation.id}/transitions`, { to });
  } catch (error) {
    toast(`${ctx.callsign(evacuation.asset_id)}: ${error.message}`);
  }
  ctx.refresh();
}
