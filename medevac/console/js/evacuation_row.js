// One evacuation under way: where it is in its lifecycle, the crew's next step, and the
// dispatcher's abort and reassignment (each with a reason; a refusal stays on the row).
import * as api from "./api.js";
import { el, clock } from "./dom.js";

const STAGES = [["tasked", "tasked_at"], ["airborne", "airborne_at"], ["at_pickup", "at_pickup_at"],
                ["loaded", "loaded_at"], ["handed_over", "handed_over_at"], ["complete", "completed_at"]];
const REASSIGNABLE = ["tasked", "airborne", "at_pickup"];

export function evacuationRow(evacuation, ctx) {
  const stages = el("ol", { class: "stages" }, STAGES.map(([state, stamp]) =>
    el("li", { class: evacuation[stamp] ? "done" : "", "aria-current": evacuation.state === state ? "step" : null },
      `${state.replace("_", " ")} ${evacuation[stamp] ? clock(evacuation[stamp]) : ""}`)));
  const next = evacuation.allowed_transitions.filter((s) => s !== "aborted");
  const buttons = ctx.canReport ? next.map((to) => el("button", { type: "button",
    onclick: () => act(evacuation, `Mark ${to.replace("_", " ")}`, "transitions", { to }, ctx) }, `Mark ${to.replace("_", " ")}`)) : [];
  const held = heldOut(evacuation);
  return el("tr", { dataset: { evacuation: evacuation.id, state: evacuation.state } },
    el("th", { scope: "row" }, evacuation.escort_asset_id
      ? `${ctx.callsign(evacuation.asset_id)} + escort ${ctx.callsign(evacuation.escort_asset_id)}`
      : ctx.callsign(evacuation.asset_id)),
    el("td", {}, ctx.facilityName(evacuation.facility_id)),
    el("td", {}, evacuation.precedence, " · ", // riders who joined on the way count here too
      el("span", { class: "aboard" }, `${evacuation.casualty_ids.length} aboard`)),
    el("td", { class: "state" }, evacuation.state.replace("_", " ")),
    el("td", {}, clock(evacuation.eta_facility)),
    el("td", {}, stages, held),
    el("td", { class: "row-actions" }, buttons, ctx.canAct ? dispatcherControls(evacuation, ctx) : null,
      rowFailure(evacuation, ctx)));
}

// A tasking the engine judged impossible: the aircraft stays out of new plans until it is resolved.
function heldOut(evacuation) {
  if (!(evacuation.warnings || []).some((w) => w.code === "infeasible")) return null;
  return el("p", { class: "held late" }, "Tasked against the engine's advice (it cannot plan this flight): ",
    "kept out of new recommendations until this sortie is completed or aborted.");
}

function dispatcherControls(evacuation, ctx) {
  if (!evacuation.allowed_transitions.includes("aborted")) return null;
  const reason = el("input", { "aria-label": "Reason to abort", maxlength: 500, placeholder: "e.g. aircraft unserviceable" });
  const abort = el("details", { class: "abort" }, el("summary", {}, "Abort…"), reason,
    el("button", { type: "button", class: "danger", onclick: () => reason.value.trim()
      ? act(evacuation, "Abort", "transitions", { to: "aborted", reason: reason.value.trim() }, ctx) : reason.focus() },
      "Abort this sortie"));
  if (!REASSIGNABLE.includes(evacuation.state)) return abort;
  const asset = el("select", { "aria-label": "Reassign to asset" }, ctx.assets.filter((a) => a.id !== evacuation.asset_id)
    .map((a) => el("option", { value: a.id }, `${a.callsign} (${a.status.replace("_", " ")})`)));
  const facility = el("select", { "aria-label": "Reassign to facility" }, ctx.facilities.map((f) =>
    el("option", { value: f.id, selected: f.id === evacuation.facility_id }, `${f.name} (L${f.level}, ${f.status})`)));
  const why = el("input", { "aria-label": "Reason to reassign", maxlength: 500, placeholder: "reassigned" });
  const reassign = el("details", { class: "reassign" }, el("summary", {}, "Reassign…"), asset, facility, why,
    el("button", { type: "button", onclick: () => act(evacuation, "Reassign", "reassign",
      { asset_id: asset.value, facility_id: facility.value, reason: why.value.trim() || "reassigned" }, ctx) },
      "Abort and task this instead"));
  return [abort, reassign];
}

function rowFailure(evacuation, ctx) {
  const failure = ctx.rowFailures.get(evacuation.id);
  if (!failure) return null;
  return el("div", { class: "failure", role: "alert" },
    el("p", {}, el("strong", {}, failure.warned ? `${failure.action}: the system warns: ` : `${failure.action} refused, nothing changed: `),
      failure.message),
    failure.warned ? el("button", { type: "button", class: "danger", onclick: failure.retry }, "Reassign anyway") : null,
    el("button", { type: "button", onclick: () => { ctx.rowFailures.delete(evacuation.id); ctx.redraw(); } }, "Dismiss"));
}

async function act(evacuation, action, path, body, ctx) {
  ctx.rowFailures.delete(evacuation.id);
  try {
    await api.post(`/v1/evacuations/${evacuation.id}/${path}`, body);
  } catch (error) {
    const warned = error.status === 422 && error.problem?.warnings?.length;
    ctx.rowFailures.set(evacuation.id, {
      action, warned,
      message: error instanceof TypeError || error.name === "TimeoutError" ? "the link to the server is down; try again when the badge shows ● Live."
        : warned ? error.problem.warnings.map((w) => w.message).join("; ") : error.message,
      retry: () => act(evacuation, action, path, { ...body, accept_warnings: true }, ctx),
    });
  }
  ctx.redraw();
  ctx.refresh();
}
