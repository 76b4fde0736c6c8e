// The coverage grid as map rectangles in bands of minutes from injury to resuscitation or
// surgery (60 / 90 / 120 / 240), so a theatre where nothing is reached in the golden hour still
// shows where 90 or 120 minutes are; beyond 240 minutes, or unreachable, stays unshaded.
export const BANDS = [
  { max: 60, label: "≤ 60 min", colour: "#0a6b2c" },
  { max: 90, label: "60–90 min", colour: "#7cc242" },
  { max: 120, label: "90–120 min", colour: "#f2c200" },
  { max: 240, label: "120–240 min", colour: "#e0701f" },
];

const bandOf = (minutes) => (minutes === null ? null : BANDS.find((b) => minutes <= b.max) ?? null);

export function coverageLayer(L, coverage) {
  const group = L.featureGroup();
  const dLat = coverage.lat_step_deg / 2, dLon = coverage.lon_step_deg / 2;
  for (const cell of coverage.cells) {
    const band = bandOf(cell.minutes);
    if (!band) continue;
    L.rectangle([[cell.lat - dLat, cell.lon - dLon], [cell.lat + dLat, cell.lon + dLon]],
                { stroke: false, fillColor: band.colour, fillOpacity: 0.45, interactive: false,
                  className: `coverage-cell band-${band.max}` })
      .addTo(group);
  }
  return group;
}

// "≤ 60 min 0 % · ≤ 90 min 12 % · ≤ 120 min 40 % · ≤ 240 min 85 %" of the mission area's cells.
export function coverageSummary(coverage) {
  const n = coverage.cells.length || 1;
  return BANDS.map((band) => {
    const share = coverage.cells.filter((c) => c.minutes !== null && c.minutes <= band.max).length / n;
    return `≤ ${band.max} min ${Math.round(share * 100)} %`;
  }).join(" · ");
}
