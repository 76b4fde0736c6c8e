// One open 9-line request on the dispatch board: clock, recommendation, alternatives, actions.
import * as api from "./api.js";
import { el, clock, toast } from "./dom.js";
import { PRECEDENCE, clockStart, leadPrecedence } from "./golden.js";

export function requestCard(request, ctx) {
  const lead = leadPrecedence(request);
  const start = clockStart(request);
  const standard = ctx.standards[lead];
  const counts = Object.entries(request.casualties.reduce((n, c) => ({ ...n, [c.precedence]: (n[c.precedence] || 0) + 1 }), {}))
    .map(([p, n]) => `${n}×${p}`).join(" ");
  return el("article", { class: "request card", dataset: { request: request.id, precedence: lead },
                         "aria-label": `${PRECEDENCE[lead]} request ${request.callsign || ""}` },
    el("header", {},
      el("span", { class: `prec prec-${lead}` }, `${lead} · ${PRECEDENCE[lead]}`),
      el("h3", {}, request.callsign || request.grid || "Pickup"),
      el("span", { class: "meta" }, `${counts} · ${request.grid || `${request.pickup.lat}, ${request.pickup.lon}`} · called ${clock(request.called_at)}`)),
    el("div", { class: "golden", dataset: { clockStart: start.at, standard } },
      el("span", { class: "elapsed", "aria-label": "time since injury" }, ""),
      el("span", { class: "left" }, ""),
      start.fromInjury ? null : el("small", {}, "(from the call: injury time unknown)")),
    recommendation(request, ctx));
}

function recommendation(request, ctx) {
  const rec = request.recommendation;
  if (!rec) return el("p", { class: "pending", role: "status" }, "Planning…");
  const canAct = ctx.canAct;
  const block = el("section", { class: "recommendation", "aria-label": "Recommendation" });
  if (rec.asset_id) {
    block.append(el("p", { class: "choice" },
      el("strong", {}, `${rec.callsign || ctx.callsign(rec.asset_id)} → ${ctx.facilityName(rec.facility_id)}`)),
      el("dl", { class: "times" },
        el("dt", {}, "Wheels up"), el("dd", {}, clock(rec.wheels_up)),
        el("dt", {}, "At pickup"), el("dd", {}, clock(rec.at_pickup)),
        el("dt", {}, "At facility"), el("dd", {}, clock(rec.at_facility)),
        el("dt", {}, "Margin"), el("dd", { class: rec.margin_min >= 0 ? "margin ok" : "margin late" }, marginText(rec.margin_min))));
    if (rec.escort_asset_id) {  // line 6 X: the pair is one decision
      block.append(el("p", { class: "escort" }, "Escort: ",
        el("strong", {}, rec.escort_callsign || ctx.callsign(rec.escort_asset_id)), rec.escort_reason ? ` (${rec.escort_reason})` : ""));
    }
  } else {
    block.append(el("p", { class: "late" }, rec.unservable_in_time || "No asset can serve this request now."));
  }
  if (rec.unservable_in_time && rec.asset_id) block.append(el("p", { class: "late" }, rec.unservable_in_time));
  const alternatives = rec.alternatives || [];
  if (alternatives.length) {
    block.append(el("h4", {}, "Alternatives"), el("ol", { class: "alternatives" }, alternatives.map((alt) =>
      el("li", {}, el("strong", {}, `${alt.asset_id ? ctx.callsign(alt.asset_id) : "—"} → ${alt.facility_id ? ctx.facilityName(alt.facility_id) : "—"}`),
        alt.margin_min !== null && alt.margin_min !== undefined ? ` (${marginText(alt.margin_min)})` : "", `: ${alt.reason}`))));
  }
  if (canAct) block.append(actions(request, rec, ctx));
  return block;
}

export function marginText(margin) {
  if (margin === null || margin === undefined) return "—";
  const m = Math.round(margin);
  return m >= 0 ? `${m} min to spare` : `${-m} min late`;
}

function actions(request, rec, ctx) {
  const warnings = el("div", { class: "warnings", role: "alert" });
  const approve = el("button", { type: "button", class: "primary", disabled: !rec.asset_id,
                                 onclick: () => task(request, {}, warnings, ctx) }, "Approve");
  const asset = el("select", { "aria-label": "Another asset" }, ctx.assets.map((a) =>
    el("option", { value: a.id, selected: a.id === rec.asset_id }, `${a.callsign} (${a.status.replace("_", " ")})`)));
  const facility = el("select", { "aria-label": "Another facility" }, ctx.facilities.map((f) =>
    el("option", { value: f.id, selected: f.id === rec.facility_id }, `${f.name} (L${f.level}, ${f.status})`)));
  const other = el("details", { class: "other" }, el("summary", {}, "Choose another asset or facility"),
    asset, facility,
    el("button", { type: "button", onclick: () => task(request, { asset_id: asset.value, facility_id: facility.value }, warnings, ctx) },
      "Task this choice"));
  return el("div", { class: "actions" }, approve, other, warnings);
}

async function task(request, choice, warnings, ctx) {
  warnings.replaceChildren();
  try {
    await api.post(`/v1/evac-requests/${request.id}/approve`, choice, { "Idempotency-Key": api.newId() });
    ctx.refresh();
  } catch (error) {
    const listed = error.problem?.warnings || [];
    if (error.status === 422 && listed.length) {
      warnings.append(el("p", {}, "The system warns:"),
        el("ul", {}, listed.map((w) => el("li", {}, w.message || String(w)))),
        el("button", { type: "button", class: "danger",
                       onclick: () => task(request, { ...choice, accept_warnings: true }, warnings, ctx) }, "Task anyway"));
    } else {
      warnings.append(el("p", { class: "field-error" }, error.message));
      if (error.status === 409) ctx.refresh();
      else toast(error.message);
    }
  }
}
