// One open 9-line request on the dispatch board: clock, the plan per patient group, actions,
// and beside them the read-back (the request as the receiving operator says it back on the net).
// What the officer acts on never changes silently: a refused action stays on the card until
// dismissed, and a re-plan that changes the card marks it "changed" and asks again.
import { el, clock, zoned } from "./dom.js";
import { PRECEDENCE, clockStart, leadPrecedence } from "./golden.js";
import { planGroups, whoText } from "./plan_groups.js";
import { unreachableView, idleView } from "./reach_view.js";
import { approveButtons, cancelControl, otherChoice, failureBox, changedBox } from "./card_actions.js";

const TASKABLE = ["available", "returning"];

export function requestCard(request, ctx) {
  const lead = leadPrecedence(request);
  const start = clockStart(request);
  const standard = ctx.standards[lead];
  const counts = Object.entries(request.casualties.reduce((n, c) => ({ ...n, [c.precedence]: (n[c.precedence] || 0) + 1 }), {}))
    .map(([p, n]) => `${n}×${p}`).join(" ");
  const rec = request.recommendation;
  const margin = predictedMargin(request, rec);
  return el("article", { class: "request card", dataset: { request: request.id, precedence: lead },
                         "aria-label": `${PRECEDENCE[lead]} request ${request.callsign || ""}` },
    el("header", {},
      el("span", { class: `prec prec-${lead}` }, `${lead} · ${PRECEDENCE[lead]}`),
      el("h3", {}, request.callsign || request.grid || "Pickup"),
      el("span", { class: "meta" }, `${counts} · ${request.grid || `${request.pickup.lat}, ${request.pickup.lon}`} · called ${clock(request.called_at)}`,
        zoneAssumed(request))),
    el("div", { class: "golden", dataset: { clockStart: start.at, standard, margin } },
      el("span", { class: "elapsed", "aria-label": "time since injury" }, ""),
      el("span", { class: "left" }, ""),
      el("span", { class: "predicted" }, "")),
    el("p", { class: "injury hint" }, start.fromInjury
      ? `injured ${zoned(new Date(start.at).toISOString(), ctx.zone)}`
      : "injury time unknown (clock from call)"),
    recommendation(request, ctx),
    request.readback ? el("aside", { class: "readback", "aria-label": "Read-back" },
      el("h4", {}, "Read-back"), el("pre", {}, request.readback)) : null);
}

// A grid sent without its zone took the mission's: say so, the caller should confirm it.
function zoneAssumed(request) {
  if (!request.nine_line?.location?.zone_assumed) return null;
  return el("span", { class: "pill zone-assumed", title: "The grid came without its zone; the mission's zone was taken. Confirm it on the read-back." },
    "zone assumed");
}

// The clock's predicted margin: the worst of the patients still waiting; "none" when any has no aircraft.
function predictedMargin(request, rec) {
  if (!rec) return "";
  const plan = planGroups(request, rec);
  if (plan.unassigned.length || (!plan.groups.length && !plan.ride)) return "none";
  const margins = [...plan.groups, ...(plan.ride ? [plan.ride] : [])].map((g) => g.margin_min)
    .filter((m) => m !== null && m !== undefined);
  return margins.length ? Math.min(...margins) : "";
}

function recommendation(request, ctx) {
  const rec = request.recommendation;
  const state = ctx.cardState(request.id);
  const block = el("section", { class: "recommendation", "aria-label": "Recommendation" });
  block.append(...[failureBox(request, state, ctx), changedBox(request, state, ctx)].filter(Boolean));
  if (!rec) {
    block.append(el("p", { class: "pending", role: "status" }, "Planning…"));
    if (ctx.canAct) block.append(el("div", { class: "actions" }, otherChoice(request, null, ctx), cancelControl(request, ctx)));
    return block;
  }
  const plan = planGroups(request, rec);
  for (const group of plan.groups) {  // an aircraft on another sortie cannot be tasked now: no Approve
    const status = ctx.assets.find((a) => a.id === group.asset_id)?.status;
    if (status && !TASKABLE.includes(status)) Object.assign(group, { later: true, busy: status.replace("_", " ") });
  }
  const outOfReach = unreachableView(request, rec);
  if (!plan.groups.length && !plan.ride && !outOfReach) {
    block.append(el("p", { class: "late" }, rec.unservable_in_time || "No asset can serve this request now."));
  }
  if (plan.ride) block.append(rideView(plan.ride));
  plan.groups.forEach((group, i) => block.append(groupView(group, i === 0 && group.asset_id === rec.asset_id ? rec : null, ctx)));
  if (rec.escort_asset_id) {  // line 6 X: the carrier and its armed escort are one decision, tasked together
    block.append(el("p", { class: "escort" }, "Escort: ",
      el("strong", {}, rec.escort_callsign || ctx.callsign(rec.escort_asset_id)), rec.escort_reason ? ` (${rec.escort_reason})` : ""));
  }
  if (rec.refuel && plan.groups.length) block.append(el("p", { class: "refuel" }, `${rec.callsign} ${rec.refuel}.`));
  if (rec.consolidation) block.append(consolidationView(rec.consolidation, request, ctx));
  if (plan.unassigned.length) {
    block.append(el("p", { class: "unassigned", role: "status" },
      el("strong", {}, `${plan.unassigned.length} patient${plan.unassigned.length === 1 ? "" : "s"} without an aircraft`),
      ` (${whoText(plan.unassigned)}): still waiting; task another aircraft for them.`));
  }
  block.append(...[outOfReach, idleView(rec, ctx)].filter(Boolean));
  if ((plan.unassigned.length || !plan.groups.length) && ctx.held?.length) {
    block.append(el("p", { class: "held late" }, `Not offered: ${ctx.held.join(", ")}, tasked anyway for a flight the `,
      "engine cannot plan; out of new plans until that sortie is completed or aborted."));
  }
  if (rec.unservable_in_time && plan.groups.length) block.append(el("p", { class: "late" }, rec.unservable_in_time));
  const alternatives = rec.alternatives || [];
  if (alternatives.length) {
    block.append(el("h4", {}, "Alternatives"), el("ol", { class: "alternatives" }, alternatives.map((alt) =>
      el("li", {}, el("strong", {}, `${alt.asset_id ? ctx.callsign(alt.asset_id) : "—"} → ${alt.facility_id ? ctx.facilityName(alt.facility_id) : "—"}`),
        alt.margin_min !== null && alt.margin_min !== undefined ? ` (${marginText(alt.margin_min)})` : "", `: ${alt.reason}`))));
  }
  if (ctx.canAct) {
    block.append(el("div", { class: "actions" }, approveButtons(request, plan, ctx), otherChoice(request, rec, ctx),
                    cancelControl(request, ctx)));
  }
  return block;
}

// Aboard the aircraft already tasked to this landing zone: no second sortie, the crew is told.
function rideView(ride) {
  const node = el("div", { class: "group ride-along", dataset: { asset: ride.asset_id } },
    el("p", { class: "choice" }, el("strong", {}, ride.summary), ` (${whoText(ride.casualties)})`));
  node.append(el("dl", { class: "times" },
    [["Lands", clock(ride.at_pickup)], ["Handover", clock(ride.handover_at)]].map(([t, v]) => [el("dt", {}, t), el("dd", {}, v)]),
    el("dt", {}, "Margin"), el("dd", { class: ride.margin_min >= 0 ? "margin ok" : "margin late" }, marginText(ride.margin_min))));
  return node;
}

function groupView(group, rec, ctx) {
  const n = group.casualties.length;
  const node = el("div", { class: "group", dataset: { asset: group.asset_id } },
    el("p", { class: "choice" },
      el("strong", {}, `${ctx.callsign(group.asset_id)} → ${ctx.facilityName(group.facility_id)}`),
      ` takes ${n} patient${n === 1 ? "" : "s"}: ${whoText(group.casualties)}`,
      group.busy ? el("em", {}, ` (${ctx.callsign(group.asset_id)} is ${group.busy} now: this trip follows; approve it once the aircraft is free)`)
        : group.later ? el("em", {}, " (a later trip, once it is back: approve it then)") : null));
  const times = rec
    ? [["Wheels up", clock(rec.wheels_up)], ["At pickup", clock(rec.at_pickup)], ["At facility", clock(rec.at_facility)]]
    : [["At facility", clock(group.at_facility)]];
  const margin = group.margin_min;
  node.append(el("dl", { class: "times" }, times.map(([t, v]) => [el("dt", {}, t), el("dd", {}, v)]),
    el("dt", {}, "Margin"), el("dd", { class: margin >= 0 ? "margin ok" : "margin late" }, marginText(margin))));
  return node;
}

// A proposal beside the plan (which it does not change): the units on the ground carry the
// casualties of these calls to one landing zone, and the aircraft lands once for all of them.
function consolidationView(c, request, ctx) {
  const calls = c.request_ids.map((id) => id === request.id ? "this call"
    : ctx.shown?.find((r) => r.id === id)?.callsign || "another call");
  return el("p", { class: "consolidation", dataset: { grid: c.grid } },
    el("strong", {}, "Consolidation point: "),
    `carry the casualties of ${listed(calls)} to grid `, el("strong", {}, c.grid),
    ` (${c.location.lat.toFixed(4)}, ${c.location.lon.toFixed(4)}; at most ${Math.round(c.ground_move_min)} min by road). `,
    `${ctx.callsign(c.asset_id)} then lands once for all ${c.patient_ids.length}: the most urgent reach care `,
    el("strong", {}, `${Math.round(c.saved_min)} min sooner`),
    ". A proposal: the plan above stands until the units agree.");
}

// "A", "A and B", "A, B and C"
function listed(names) {
  return names.length < 2 ? names.join("") : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

export function marginText(margin) {
  if (margin === null || margin === undefined) return "—";
  const m = Math.round(margin);
  return m >= 0 ? `${m} min to spare` : `${-m} min late`;
}
