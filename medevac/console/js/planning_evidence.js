// The evidence behind a basing plan: simulated shares and times with 95 % intervals (current,
// proposed, paired gain), the moves, and where the remaining uncovered demand lies.
import { el } from "./dom.js";
import { baseName, nearestFacility } from "./planning_map.js";

const percent = (x) => `${(x * 100).toFixed(1)} %`;
const points = (x) => `${x >= 0 ? "+" : ""}${(x * 100).toFixed(1)} pp`;
const minutes = (x) => `${x.toFixed(1)} min`;
const signedMinutes = (x) => `${x >= 0 ? "+" : ""}${x.toFixed(1)} min`;
const count = (x) => x.toFixed(1);

// [metric key, label, format of a level, format of the paired gain, gain key]
const METRICS = [
  ["golden_hour_share", "Golden hour: urgent casualties at resuscitation ≤ 60 min", percent, points, "golden_hour_gain"],
  ["surgery_2h_share", "Surgery ≤ 2 h (urgent-surgical)", percent, points, "surgery_2h_gain"],
  ["mean_time_to_care_min", "Mean time to care (gain: minutes saved)", minutes, signedMinutes, "time_to_care_gain_min"],
  ["urgent_per_run", "Urgent casualties per run", count, null, null],
];

function intervalCell(interval, format) {
  if (!interval || interval.mean === null) return el("td", { class: "empty" }, "—");
  const range = interval.low === null ? "" : ` (${format(interval.low)} to ${format(interval.high)})`;
  return el("td", { dataset: { mean: interval.mean, low: interval.low ?? "", high: interval.high ?? "" } },
    el("strong", {}, format(interval.mean)), range);
}

export function evidenceTable(evidence) {
  if (!evidence) return el("p", { class: "empty" }, "No simulation was run for this plan.");
  return el("table", { class: "grid evidence", id: "plan-evidence" },
    el("caption", {}, `${evidence.runs} paired seeded runs (${evidence.policy} dispatch); mean and 95 % interval`),
    el("thead", {}, el("tr", {}, ["", "Current laydown", "Proposed laydown", "Gain (paired)"].map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, METRICS.map(([key, label, level, gain, gainKey]) => el("tr", { dataset: { metric: key } },
      el("th", { scope: "row" }, label),
      intervalCell(evidence.current[key], level), intervalCell(evidence.proposed[key], level),
      gainKey ? intervalCell(evidence[gainKey], gain) : el("td", {})))));
}

export function movesTable(result, scenario) {
  if (!result.moves.length) return el("p", { class: "empty", id: "plan-moves" }, "Today's laydown is already the best: nothing moves.");
  const names = Object.fromEntries(scenario.assets.map((a) => [a.id, a.callsign]));
  return el("table", { class: "grid", id: "plan-moves" },
    el("thead", {}, el("tr", {}, ["Moves", "Kind", "From", "To"].map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, result.moves.map((m) => el("tr", { dataset: { item: m.item } },
      el("th", { scope: "row" }, names[m.item] ?? m.item), el("td", {}, m.kind),
      el("td", {}, m.from_base ? baseName(scenario, m.from_base) : "not deployed"), el("td", {}, baseName(scenario, m.to_base))))));
}

// Where urgent casualties still miss the golden hour under the proposal: simulated misses per
// run when there is evidence, else the points the model leaves out of reach.
export function uncoveredTable(result, scenario) {
  const missed = (p) => (p.missed_per_run ?? 0) > 0 || ["day", "night"].some((x) => p.urgent[x] > 0 && !p.proposed[x]?.golden_hour_assets);
  const rows = result.points.filter(missed)
    .sort((a, b) => (b.missed_per_run ?? 0) - (a.missed_per_run ?? 0) || total(b) - total(a)).slice(0, 12);
  if (!rows.length) return el("p", { class: "empty", id: "plan-uncovered" }, "All urgent demand reaches resuscitation within the golden hour.");
  const best = (c) => (c?.best_resuscitation_min == null ? "out of reach" : `${c.best_resuscitation_min} min`);
  return el("table", { class: "grid", id: "plan-uncovered" },
    el("caption", {}, "Remaining uncovered demand (proposed laydown)"),
    el("thead", {}, el("tr", {}, ["Point", "Near", "Urgent day / night", "Best resuscitation day / night", "Missed per run"]
      .map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, rows.map((p) => {
      const near = nearestFacility(scenario, p.location);
      return el("tr", { dataset: { point: p.id } },
        el("th", { scope: "row" }, `${p.id} (${p.location.lat.toFixed(2)}, ${p.location.lon.toFixed(2)})`),
        el("td", {}, `${Math.round(near.km)} km from ${near.facility.name}`),
        el("td", {}, `${p.urgent.day} / ${p.urgent.night}`),
        el("td", {}, `${best(p.proposed.day)} / ${best(p.proposed.night)}`),
        el("td", {}, p.missed_per_run ?? "—"));
    })));
}

const total = (p) => p.urgent.day + p.urgent.night;

export function summary(result) {
  const d = result.demand, o = result.optimiser;
  const modelShare = (x) => (x == null ? "—" : percent(x));
  const window = d.history ? `; history ${d.history.since.slice(0, 10)} to ${d.history.until.slice(0, 10)}, ` +
    `${d.history.requests} requests, ${d.history.casualties} casualties` : "";
  return el("p", { class: "hint", id: "plan-summary" },
    `${result.scenario}: demand from ${d.source}, ${d.points} points, ${d.urgent.day} urgent by day and ${d.urgent.night} by night${window}. ` +
    `Optimiser ${o.solve_s} s${o.optimal ? " (optimal)" : ""}; modelled golden-hour share ${modelShare(o.model_share_current)} → ${modelShare(o.model_share_proposed)}.`);
}
