// Basing planning: start a plan (runs in the background on the service), follow its progress,
// then read the proposal on the map (current vs proposed laydown and coverage) and the evidence.
import * as api from "./api.js";
import { el, clear } from "./dom.js";
import { L, baseMap, fitTo } from "./basemap.js";
import { planningForm } from "./planning_form.js";
import { COVERAGE_LABELS, drawDemand, drawLaydowns, goldenShare } from "./planning_map.js";
import { evidenceTable, movesTable, summary, uncoveredTable } from "./planning_evidence.js";

const LAST_PLAN = "medevac.plan"; // the plan on screen survives a visit to another screen
const POLL_MS = 1000;

export async function mount(root, { session }) {
  const { items: shipped } = await api.get("/v1/planning/scenarios");
  const progress = el("progress", { id: "plan-progress", max: 1, value: 0 });
  const state = el("p", { id: "plan-state", role: "status", "aria-live": "polite" });
  const box = el("div", { id: "plan-map", class: "map plan-map", role: "region", "aria-label": "Basing plan map" });
  const toggles = el("div", { class: "modes", role: "group", "aria-label": "Coverage shown" });
  const coverage = el("span", { id: "plan-coverage", role: "status" });
  const details = el("div", { class: "plan-details" });
  const results = el("section", { class: "card map-card", "aria-label": "Basing plan result" },
    el("div", { class: "map-bar" }, el("h2", {}, "Proposal"), toggles, coverage), box, legend(), details);
  root.append(el("div", { class: "planning-layout" },
    el("section", { class: "card" }, planningForm(shipped, start), el("div", { class: "plan-progress" }, state, progress)), results));
  const map = await baseMap(box);
  fitTo(map, []);
  const layers = { demand: L.layerGroup().addTo(map), laydowns: L.layerGroup().addTo(map) };
  const view = { laydown: "proposed", period: "day" };
  let stopped = false;

  async function start(body, scenario) {
    const job = await api.post("/v1/planning/basing", { ...body, mission_id: session.mission_id },
                               { "Idempotency-Key": api.newId() });
    sessionStorage.setItem(LAST_PLAN, JSON.stringify({ id: job.id, scenario }));
    await follow(job, scenario);
  }

  async function follow(job, scenario) {
    for (const node of [details, toggles, coverage]) clear(node);
    for (const layer of Object.values(layers)) layer.clearLayers();
    while (!stopped && !["done", "failed"].includes(job.status)) {
      showProgress(job);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      try { job = await api.get(`/v1/planning/basing/${job.id}`); } catch (error) {
        if (error.status) throw error; // a dropped link: keep polling
        state.textContent = "Connection lost; still waiting for the plan…";
      }
    }
    if (stopped) return;
    showProgress(job);
    if (job.status === "done") show(job.result, scenario);
  }

  function showProgress(job) {
    progress.value = job.progress;
    state.dataset.status = job.status;
    state.textContent = job.status === "failed" ? `The plan failed: ${job.error}` : job.status === "done" ? "Plan ready."
      : `${job.status === "queued" ? "Queued" : `Running: ${job.stage}`} · ${Math.round(job.progress * 100)} %`;
  }

  function show(result, scenario) {
    fitTo(map, [...scenario.facilities.map((f) => [f.location.lat, f.location.lon]),
                ...result.points.map((p) => [p.location.lat, p.location.lon])], 0.1);
    drawLaydowns(layers.laydowns, map, result, scenario);
    clear(details).append(summary(result), evidenceTable(result.evidence), movesTable(result, scenario), uncoveredTable(result, scenario));
    const toggle = (key, value, label) => el("button", { type: "button", dataset: { [key]: value },
                                                         onclick: () => { view[key] = value; redraw(); } }, label);
    clear(toggles).append(el("span", {}, "Coverage of"), toggle("laydown", "current", "Today"), toggle("laydown", "proposed", "Proposed"),
                          el("span", {}, "by"), toggle("period", "day", "Day"), toggle("period", "night", "Night"));
    redraw();

    function redraw() {
      for (const b of toggles.querySelectorAll("button")) {
        const [key, value] = Object.entries(b.dataset)[0];
        b.setAttribute("aria-pressed", String(view[key] === value));
      }
      drawDemand(layers.demand, result, view.laydown, view.period);
      const share = goldenShare(result, view.laydown, view.period);
      coverage.dataset.view = `${view.laydown}-${view.period}`;
      coverage.textContent = `${view.laydown === "current" ? "Today" : "Proposed"}, ${view.period}: ` +
        (share === null ? "no urgent demand" : `${(share * 100).toFixed(1)} % of urgent demand within the golden hour (model)`);
    }
  }

  const last = JSON.parse(sessionStorage.getItem(LAST_PLAN) || "null");
  if (last) api.get(`/v1/planning/basing/${last.id}`).then((job) => follow(job, last.scenario))
    .catch(() => sessionStorage.removeItem(LAST_PLAN));
  return { unmount() { stopped = true; map.remove(); } };
}

function legend() {
  return el("p", { class: "legend" },
    el("span", { class: "facility-icon candidate" }, "II"), " candidate base ",
    el("span", { class: "asset-icon laydown-current" }, "✚"), " today ",
    el("span", { class: "asset-icon laydown-proposed" }, "✚"), " proposed ",
    el("span", { class: "move-arrow" }, "➤"), " move ",
    Object.entries(COVERAGE_LABELS).map(([kind, label]) => [el("span", { class: `swatch coverage-${kind}` }), ` ${label} `]));
}
