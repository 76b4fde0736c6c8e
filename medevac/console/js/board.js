// The dispatch board: open requests by urgency with their golden-hour clocks and
// recommendations, and the evacuations under way; refreshed live from the event stream.
import * as api from "./api.js";
import { el, clear, keepingInput, serially } from "./dom.js";
import { tick, urgencyOrder } from "./golden.js";
import { requestCard } from "./request_card.js";
import { evacuationRow } from "./evacuation_row.js";
import { mountPrealerts } from "./prealerts.js";
import { CREW, DISPATCH_ACTORS } from "./roles.js";
import { planGroups, signature, describe } from "./plan_groups.js";

const WATCHED = new Set(["evac_request", "evacuation", "plan", "asset", "facility", "mission"]);
const SHOWN_STATES = ["tasked", "airborne", "at_pickup", "loaded", "handed_over"];

export async function mount(root, { session, live }) {
  const requests = el("div", { class: "requests", id: "requests", "aria-live": "polite" });
  const evacuations = el("tbody");
  root.append(
    el("section", { class: "board", "aria-labelledby": "board-title" },
      el("h2", { id: "board-title" }, "Open requests"), requests),
    el("section", { class: "card", "aria-labelledby": "evac-title" },
      el("h2", { id: "evac-title" }, "Evacuations under way"),
      el("table", { class: "grid", id: "evacuations" },
        el("thead", {}, el("tr", {}, ["Asset", "To", "Precedence · aboard", "State", "ETA facility", "Stages", ""]
          .map((h) => el("th", { scope: "col" }, h)))),
        evacuations)));
  const mission = await api.get(`/v1/missions/${session.mission_id}`);
  const ctx = { standards: mission.time_standards, zone: mission.time_zone, canAct: DISPATCH_ACTORS.includes(session.role),
                canReport: CREW.includes(session.role), assets: [], facilities: [], shown: [], cards: new Map(),
                underway: [], rowFailures: new Map() };
  // Per card, kept across refreshes: what the officer has seen, a refusal not yet dismissed.
  ctx.cardState = (id) => { if (!ctx.cards.has(id)) ctx.cards.set(id, {}); return ctx.cards.get(id); };
  ctx.redraw = () => { draw(ctx, requests); drawUnderway(ctx, evacuations); };
  ctx.callsign = (id) => ctx.assets.find((a) => a.id === id)?.callsign || "unknown asset";
  ctx.facilityName = (id) => ctx.facilities.find((f) => f.id === id)?.name || "unknown facility";

  const refresh = ctx.refresh = serially(async () => {
    try {
      await load(session, ctx, requests, evacuations);
    } catch (error) {
      if (!(error instanceof TypeError)) throw error; // link down: the replayed events refresh again
    }
  });
  await load(session, ctx, requests, evacuations);
  const offPrealerts = await mountPrealerts(root, { session, live }, ctx);
  const timer = setInterval(() => tick(requests), 1000);
  const off = live.subscribe((event) => { if (WATCHED.has(event.entity)) refresh(); });
  return { unmount() { off(); offPrealerts(); clearInterval(timer); } };
}

async function load(session, ctx, requests, evacuations) {
  const m = session.mission_id;
  const [open, underway, assets, facilities] = await Promise.all([
    api.all(`/v1/evac-requests?mission=${m}&status=open&limit=200`),
    api.all(`/v1/evacuations?mission=${m}&limit=200`),
    api.all(`/v1/assets?mission=${m}&limit=500`),
    api.all(`/v1/facilities?mission=${m}&limit=500`),
  ]);
  Object.assign(ctx, { assets, facilities });
  ctx.underway = underway.filter((e) => SHOWN_STATES.includes(e.state))
    .sort((a, b) => Date.parse(b.tasked_at) - Date.parse(a.tasked_at));
  // Aircraft tasked anyway for a flight the engine cannot plan: no plan offers them meanwhile.
  ctx.held = ctx.underway.filter((e) => e.live && (e.warnings || []).some((w) => w.code === "infeasible"))
    .map((e) => ctx.callsign(e.asset_id));
  // The list omits the recommendation: read each open request (few at a time in practice).
  const detailed = await Promise.all(open.map((r) => api.get(`/v1/evac-requests/${r.id}`)));
  detailed.sort(urgencyOrder(ctx.standards));
  ctx.shown = detailed;
  for (const id of ctx.cards.keys()) if (!detailed.some((r) => r.id === id)) ctx.cards.delete(id);
  for (const request of detailed) track(request, ctx);
  draw(ctx, requests);
  drawUnderway(ctx, evacuations);
}

function drawUnderway(ctx, evacuations) {
  const rows = ctx.underway.map((e) => {
    const old = evacuations.querySelector(`tr[data-evacuation="${CSS.escape(e.id)}"]`);
    return old ? keepingInput(old, () => evacuationRow(e, ctx)) : evacuationRow(e, ctx);
  });
  clear(evacuations).append(...rows);
}

// A re-plan that changes what a card shows is marked on the card until the officer has seen it.
function track(request, ctx) {
  const state = ctx.cardState(request.id);
  if (!request.recommendation) return;
  const plan = planGroups(request, request.recommendation);
  state.current = { sig: signature(plan.groups, plan.ride), text: describe(plan, ctx) };
  if (!state.seen) state.seen = state.current;
  if (state.seen.sig === state.current.sig) state.changed = null;
  else state.changed = { was: state.seen.text, now: state.current.text };
}

function draw(ctx, requests) {
  if (!ctx.shown.length) {
    clear(requests).append(el("p", { class: "empty" }, "No open requests."));
    return;
  }
  const cards = ctx.shown.map((r) => {
    const old = requests.querySelector(`article[data-request="${CSS.escape(r.id)}"]`);
    return old ? keepingInput(old, () => requestCard(r, ctx)) : requestCard(r, ctx);
  });
  clear(requests).append(...cards);
  tick(requests);
}
