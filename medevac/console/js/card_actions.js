// A request card's actions: approve a patient group as shown, task another choice, cancel;
// and the two boxes that keep the officer honest: a refused action, and a changed plan.
import * as api from "./api.js";
import { el } from "./dom.js";

// What to do next after a refusal, by the service's conflict code.
const NEXT = {
  asset_not_free: "Choose another aircraft below, or wait a few seconds for the next plan.",
  evacuation_moved: "The aircraft is past this landing zone now: read the next plan on this card, then approve it.",
  no_room: "The aircraft has no room left: choose another aircraft below.",
  lost_race: "Another approval took the aircraft or these patients. Check the card, then approve again.",
  recommendation_changed: "Read the new plan on this card, then approve again.",
  request_cancelled: "This request was cancelled: nothing to task.",
  request_tasked: "Every patient of this request is tasked already.",
  warnings: "Task anyway only if you are sure: the engine judged this choice late, worse or impossible.",
  no_escort: "Choose an armed aircraft, or fly it without an escort only if you accept the risk (it is audited).",
  link: "Wait for ● Live, then check this card before approving again: the approval may not have arrived.",
};

export function failureBox(request, state, ctx) {
  const failure = state.failure;
  if (!failure) return null;
  const chooser = () => document.querySelector(`[data-request="${request.id}"] details.other`)?.setAttribute("open", "");
  return el("div", { class: "failure", role: "alert", dataset: { code: failure.code || "" } },
    el("p", {}, el("strong", {}, failure.code === "warnings" ? `${failure.action}: the system warns: `
                                                             : `${failure.action} refused, nothing changed: `), failure.message),
    el("p", { class: "next" }, el("strong", {}, "Next: "), NEXT[failure.code] || "Check the card and try again."),
    el("div", { class: "buttons" },
      failure.code === "warnings" ? el("button", { type: "button", class: "danger", onclick: () => failure.retry() }, "Task anyway") : null,
      failure.code === "no_escort" ? el("button", { type: "button", class: "danger", onclick: () => failure.retry() }, "Fly without escort") : null,
      ctx.canAct ? el("button", { type: "button", onclick: chooser }, "Choose another aircraft") : null,
      el("button", { type: "button", onclick: () => { state.failure = null; ctx.redraw(); } }, "Dismiss")));
}

export function changedBox(request, state, ctx) {
  if (!state.changed) return null;
  return el("div", { class: "changed", role: "alert" },
    el("p", {}, el("strong", {}, "Changed: "), `the plan was ${state.changed.was}; it is now ${state.changed.now}.`),
    el("button", { type: "button", class: "primary",
                   onclick: () => { state.changed = null; state.seen = state.current; ctx.redraw(); } },
      "Seen: I have read the new plan"));
}

export function approveButtons(request, plan, ctx) {
  const state = ctx.cardState(request.id);
  const alone = plan.groups.length + (plan.ride ? 1 : 0) === 1 && !plan.unassigned.length;
  const button = (group, label) => {
    const shown = { asset_id: group.asset_id, facility_id: group.facility_id, casualty_ids: group.casualties.map((c) => c.id) };
    return el("button", { type: "button", class: "primary", disabled: Boolean(state.changed) || state.busy,
                          onclick: () => act(request, "Approve", { shown }, ctx) }, label);
  };
  const ride = plan.ride ? [button(plan.ride, alone ? "Approve" : `Approve riding along with ${plan.ride.callsign}`)] : [];
  return ride.concat(plan.groups.filter((group) => !group.later).map((group) => {
    const n = group.casualties.length;
    return button(group, alone ? "Approve" : `Approve ${ctx.callsign(group.asset_id)} for ${n} patient${n === 1 ? "" : "s"}`);
  }));
}

export function otherChoice(request, rec, ctx) {
  const asset = el("select", { "aria-label": "Another asset" }, ctx.assets.map((a) =>
    el("option", { value: a.id, selected: a.id === rec?.asset_id }, `${a.callsign} (${a.status.replace("_", " ")})`)));
  const facility = el("select", { "aria-label": "Another facility" }, ctx.facilities.map((f) =>
    el("option", { value: f.id, selected: f.id === rec?.facility_id }, `${f.name} (L${f.level}, ${f.status})`)));
  return el("details", { class: "other" }, el("summary", {}, "Choose another asset or facility"), asset, facility,
    el("button", { type: "button", onclick: () => act(request, "Tasking", { asset_id: asset.value, facility_id: facility.value }, ctx) },
      "Task this choice"));
}

export function cancelControl(request, ctx) {
  const reason = el("input", { "aria-label": "Reason for cancelling", maxlength: 500, placeholder: "e.g. duplicate of WARTHOG 2" });
  const confirm = el("button", { type: "button", class: "danger", onclick: async () => {
    if (!reason.value.trim()) return reason.focus();
    await act(request, "Cancel", { reason: reason.value.trim() }, ctx, "cancel");
  } }, "Cancel this request");
  return el("details", { class: "cancel" }, el("summary", {}, "Cancel request…"),
    el("label", {}, "Why ", reason), confirm);
}

// Approve, task another choice, or cancel; a refusal stays on the card until dismissed.
async function act(request, action, body, ctx, path = "approve") {
  const state = ctx.cardState(request.id);
  state.failure = null;
  state.warnings = null;
  state.busy = true;
  ctx.redraw();
  try {
    await api.post(`/v1/evac-requests/${request.id}/${path}`, body, { "Idempotency-Key": api.newId() });
    state.seen = null; // the officer's own action changes the card: the next plan is not "changed"
  } catch (error) {
    if (error.status === 422 && error.problem?.warnings?.length) {
      state.failure = { action, code: "warnings", message: error.problem.warnings.map((w) => w.message).join("; "),
                        retry: () => act(request, action, { ...body, accept_warnings: true }, ctx, path) };
    } else if (error.status === 422 && error.problem?.errors?.some((e) => e.field === "without_escort")) {
      state.failure = { action, code: "no_escort", message: error.problem.detail,  // line 6 X, unarmed, no escort free
                        retry: () => act(request, action, { ...body, without_escort: true }, ctx, path) };
    } else {
      const link = error instanceof TypeError || error.name === "TimeoutError";
      state.failure = { action, code: link ? "link" : error.problem?.code,
                        message: link ? "no answer from the server: the link is down." : error.message };
    }
  } finally {
    state.busy = false;
  }
  ctx.redraw();
  ctx.refresh();
}
