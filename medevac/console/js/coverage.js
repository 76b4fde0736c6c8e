// The coverage grid as map rectangles: darker where care is reached sooner, none where it is not.
export function coverageLayer(L, coverage) {
  const group = L.featureGroup();
  const dLat = coverage.lat_step_deg / 2, dLon = coverage.lon_step_deg / 2;
  for (const cell of coverage.cells) {
    if (cell.minutes === null || cell.minutes > coverage.threshold_min) continue;
    const shade = 0.55 - 0.35 * (cell.minutes / coverage.threshold_min);
    L.rectangle([[cell.lat - dLat, cell.lon - dLon], [cell.lat + dLat, cell.lon + dLon]],
                { stroke: false, fillColor: coverage.mode === "night" ? "#1f3a93" : "#0a7d32",
                  fillOpacity: shade, interactive: false, className: "coverage-cell" })
      .addTo(group);
  }
  return group;
}
