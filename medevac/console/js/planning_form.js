// The basing-plan form: a shipped scenario (or one pasted or uploaded), the demand source with
// its optional history window, and the number of simulated runs. Refusals are shown where they belong.
import { el, clear, fieldError } from "./dom.js";

const CUSTOM = "custom";
const DEMANDS = [["scenario", "Scenario casualties and hotspots"], ["history", "Mission history (9-line requests)"],
                 ["both", "Both: scenario plus history at its rate"]];

export function planningForm(shipped, onStart) {
  const scenario = el("select", { id: "plan-scenario", name: "scenario" },
    shipped.map((s, n) => el("option", { value: String(n) },
      `${s.name} · ${s.facilities} facilities, ${s.assets} assets, ${s.casualties} casualties`)),
    el("option", { value: CUSTOM }, "Paste or upload a scenario…"));
  const pasted = el("textarea", { id: "plan-json", rows: 6, spellcheck: "false", "aria-label": "Scenario JSON" });
  const upload = el("input", { type: "file", accept: "application/json,.json", "aria-label": "Upload scenario JSON",
                               onchange: async () => { pasted.value = await upload.files[0]?.text() ?? ""; } });
  const custom = el("div", { class: "custom-scenario paste", hidden: shipped.length > 0 }, pasted, upload);
  const demand = el("select", { id: "plan-demand", name: "demand" }, DEMANDS.map(([v, label]) => el("option", { value: v }, label)));
  const since = el("input", { id: "plan-since", type: "datetime-local" });
  const until = el("input", { id: "plan-until", type: "datetime-local" });
  const windowSet = el("fieldset", { class: "line", disabled: true },
    el("legend", {}, "History window (UTC, optional)"),
    field("plan-since", "From", since), field("plan-until", "Until", until));
  const runs = el("input", { id: "plan-runs", type: "number", min: 1, max: 200, value: 20, class: "count" });
  const problem = el("div", { id: "plan-error", class: "plan-error", role: "alert" });
  const start = el("button", { type: "submit", class: "primary" }, "Start plan");
  const form = el("form", { class: "planning-form", "aria-labelledby": "planning-title", novalidate: true },
    el("h2", { id: "planning-title" }, "Basing plan"),
    field("plan-scenario", "Scenario", scenario), custom,
    field("plan-demand", "Demand", demand), windowSet,
    field("plan-runs", "Simulated runs per laydown", runs),
    el("div", { class: "actions" }, start), problem);
  const fields = { scenario, demand, since, until, "request.runs": runs };

  scenario.addEventListener("change", () => { custom.hidden = scenario.value !== CUSTOM; });
  demand.addEventListener("change", () => { windowSet.disabled = demand.value === "scenario"; });
  if (!shipped.length) scenario.value = CUSTOM;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors();
    const chosen = scenario.value === CUSTOM ? parse(pasted.value) : shipped[Number(scenario.value)].document;
    if (!chosen) return show({ status: 422, message: "the scenario is not valid JSON", errors: [{ field: "scenario", message: "not valid JSON" }] });
    const body = { scenario: chosen, demand: demand.value, request: { runs: Number(runs.value) } };
    if (!windowSet.disabled && since.value) body.since = `${since.value}:00Z`;
    if (!windowSet.disabled && until.value) body.until = `${until.value}:00Z`;
    start.disabled = true;
    try { await onStart(body, chosen); } catch (error) { show(error); } finally { start.disabled = false; }
  });

  function clearErrors() {
    clear(problem);
    for (const node of form.querySelectorAll(".field-error")) node.remove();
  }

  // 422 names fields (next to their inputs), 403 and 429 say why in words; a dropped link says so.
  function show(error) {
    const heading = { 403: "Not allowed", 422: "Plan refused", 429: "The planner is busy" }[error.status]
      ?? (error.status ? `Error ${error.status}` : "No connection to the service");
    const retry = error.retryAfter ? ` Try again in ${error.retryAfter} s.` : "";
    problem.append(el("strong", {}, `${heading}: `), `${error.message.replace(/\.$/, "")}.${retry}`);
    for (const { field: name, message } of error.errors ?? []) {
      const key = Object.keys(fields).find((k) => name === k || name.startsWith(`${k}.`));
      fieldError(key ? fields[key].closest(".field") : problem, `${name}: ${message}`);
    }
  }
  return form;
}

function field(id, label, input) {
  return el("div", { class: "field" }, el("label", { for: id }, label), input);
}

function parse(text) {
  try { return JSON.parse(text); } catch { return null; }
}
