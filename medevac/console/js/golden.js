// The golden-hour clock: minutes since injury against the precedence's time standard.
export const PRECEDENCE = { A: "Urgent", B: "Urgent-surgical", C: "Priority", D: "Routine", E: "Convenience" };
const RANK = { A: 0, B: 1, C: 2, D: 3, E: 4 };

export function leadPrecedence(request) {
  return request.casualties.map((c) => c.precedence).sort((a, b) => RANK[a] - RANK[b])[0] || "E";
}

// When the clock started: the earliest injury known, else the call (marked as such).
export function clockStart(request) {
  const injuries = request.casualties.map((c) => c.injured_at).filter(Boolean);
  if (request.injured_at) injuries.push(request.injured_at);
  if (injuries.length) return { at: Math.min(...injuries.map(Date.parse)), fromInjury: true };
  return { at: Date.parse(request.called_at), fromInjury: false };
}

// green while more than a third of the standard is left, amber until it runs out, then red.
export function band(elapsedMin, standardMin) {
  const left = standardMin - elapsedMin;
  if (left <= 0) return "red";
  return left > standardMin / 3 ? "green" : "amber";
}

export function minutesText(minutes) {
  const sign = minutes < 0 ? "−" : "";
  const m = Math.abs(Math.trunc(minutes));
  return `${sign}${Math.floor(m / 60)}:${String(m % 60).padStart(2, "0")}`;
}

export function urgencyOrder(standards, now = Date.now()) {
  return (a, b) => {
    const pa = leadPrecedence(a), pb = leadPrecedence(b);
    if (pa !== pb) return RANK[pa] - RANK[pb];
    const left = (r, p) => standards[p] - (now - clockStart(r).at) / 60000;
    return left(a, pa) - left(b, pb);
  };
}

// The plan's predicted margin (standard minus predicted minutes to care) as a band: red when
// late, amber when less than a sixth of the standard (at least 10 min) is to spare.
export function marginBand(margin, standardMin) {
  if (margin === "none") return "red";
  if (margin === undefined || margin === "" || Number.isNaN(Number(margin))) return "green";
  const m = Number(margin);
  if (m < 0) return "red";
  return m < Math.max(10, standardMin / 6) ? "amber" : "green";
}

const WORST = ["green", "amber", "red"];

function predictedText(margin) {
  if (margin === undefined || margin === "") return "plan: not yet";
  if (margin === "none") return "plan: patients without an aircraft";
  const m = Math.round(Number(margin));
  return m >= 0 ? `plan: ${m} min to spare` : `plan: ${-m} min late`;
}

// Refresh every clock on the page from its data attributes, once a second. The colour is the
// worse of the time left and the plan's predicted margin: one clock, agreeing with the plan.
export function tick(root, now = Date.now()) {
  for (const node of root.querySelectorAll("[data-clock-start]")) {
    const elapsed = (now - Number(node.dataset.clockStart)) / 60000;
    const standard = Number(node.dataset.standard);
    const state = band(elapsed, standard);
    const predicted = marginBand(node.dataset.margin, standard);
    node.dataset.band = WORST[Math.max(WORST.indexOf(state), WORST.indexOf(predicted))];
    node.querySelector(".elapsed").textContent = minutesText(elapsed);
    node.querySelector(".left").textContent = state === "red"
      ? `${minutesText(elapsed - standard)} over the ${standard}-min standard`
      : `${minutesText(standard - elapsed)} left of ${standard} min`;
    const plan = node.querySelector(".predicted");
    if (plan) plan.textContent = predictedText(node.dataset.margin);
  }
}
