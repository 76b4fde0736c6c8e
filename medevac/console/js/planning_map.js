// A basing plan on the map: facilities (candidate bases ringed), today's and the proposed
// asset positions side by side at each base, an arrow per move, and the demand points coloured
// by the coverage of the laydown and period chosen. Base positions come from the scenario sent.
import { L, facilityMarker, escapeHtml as escape } from "./basemap.js";

const COLOURS = { backup: "#064d20", golden: "#0a7d32", surgery: "#b36b00", uncovered: "#b00020" };
export const COVERAGE_LABELS = { backup: "golden hour, with a backup asset", golden: "golden hour",
                                 surgery: "surgery ≤ 2 h only", uncovered: "out of the golden hour" };

// A base id is a facility's, an own stand (`stand-<asset>`), or a planner airstrip.
export function baseLocation(scenario, id) {
  const facility = scenario.facilities.find((f) => f.id === id);
  if (facility) return facility.location;
  const asset = scenario.assets.find((a) => `stand-${a.id}` === id);
  return asset ? asset.base : null;
}

export function baseName(scenario, id) {
  const facility = scenario.facilities.find((f) => f.id === id);
  if (facility) return facility.name;
  const asset = scenario.assets.find((a) => `stand-${a.id}` === id);
  return asset ? `${asset.callsign}'s own stand` : id;
}

const isCandidate = (f) => f.helipad || f.refuel || f.level >= 3; // the planner's candidate bases

export function km(a, b) {
  const rad = Math.PI / 180, dLat = (b.lat - a.lat) * rad, dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 12742 * Math.asin(Math.sqrt(h));
}

export function nearestFacility(scenario, location) {
  return scenario.facilities.map((facility) => ({ facility, km: km(location, facility.location) }))
    .reduce((a, b) => (b.km < a.km ? b : a));
}

export function coverageClass(cell) {
  if (!cell) return "uncovered";
  if (cell.golden_hour_assets >= 2) return "backup";
  if (cell.golden_hour_assets === 1) return "golden";
  return cell.surgery_2h ? "surgery" : "uncovered";
}

export function drawLaydowns(layer, map, result, scenario) {
  layer.clearLayers();
  for (const f of scenario.facilities) {
    facilityMarker(f, "open", isCandidate(f) ? "candidate" : "")
      .bindTooltip(`${escape(f.name)} · Level ${f.level}${isCandidate(f) ? " · candidate base" : ""}`).addTo(layer);
  }
  const callsign = Object.fromEntries(scenario.assets.map((a) => [a.id, a.callsign]));
  for (const [laydown, anchor] of [["current", [30, 12]], ["proposed", [-6, 12]]]) {
    const byBase = {};
    for (const [asset, base] of Object.entries(result[laydown].bases)) (byBase[base] ??= []).push(callsign[asset] ?? asset);
    for (const [base, assets] of Object.entries(byBase)) {
      const at = baseLocation(scenario, base);
      if (!at) continue;
      const icon = L.divIcon({ className: `asset-icon laydown-${laydown}`, iconSize: [24, 24], iconAnchor: anchor,
                               html: assets.length > 1 ? `✚${assets.length}` : "✚" });
      L.marker([at.lat, at.lon], { icon, keyboard: true, alt: `${laydown}: ${assets.join(", ")}` })
        .bindTooltip(`${laydown === "current" ? "Today" : "Proposed"} at ${escape(baseName(scenario, base))}: ${escape(assets.join(", "))}`)
        .addTo(layer);
    }
  }
  for (const move of result.moves) {
    const from = move.from_base && baseLocation(scenario, move.from_base), to = baseLocation(scenario, move.to_base);
    if (from && to) arrow(layer, map, from, to, `${callsign[move.item] ?? move.item}: ${baseName(scenario, move.from_base)} → ${baseName(scenario, move.to_base)}`);
  }
}

function arrow(layer, map, from, to, label) {
  L.polyline([[from.lat, from.lon], [to.lat, to.lon]], { color: "#0b3d91", weight: 3, dashArray: "8 6", className: "move-line" })
    .bindTooltip(escape(label)).addTo(layer);
  const a = map.latLngToLayerPoint([from.lat, from.lon]), b = map.latLngToLayerPoint([to.lat, to.lon]);
  const degrees = (Math.atan2(b.y - a.y, b.x - a.x) * 180) / Math.PI; // Mercator keeps angles at every zoom
  const icon = L.divIcon({ className: "move-arrow", iconSize: [20, 20],
                           html: `<span style="transform: rotate(${degrees.toFixed(0)}deg)">➤</span>` });
  L.marker([(from.lat + to.lat) / 2, (from.lon + to.lon) / 2], { icon, interactive: false, keyboard: false }).addTo(layer);
}

export function drawDemand(layer, result, laydown, period) {
  layer.clearLayers();
  for (const p of result.points) {
    const kind = coverageClass(p[laydown][period]);
    const urgent = p.urgent.day + p.urgent.night;
    L.circleMarker([p.location.lat, p.location.lon], {
      // wide enough to ring a facility icon at the same place (most demand is at the camps)
      radius: Math.min(28, 18 + 4 * Math.sqrt(urgent)), color: COLOURS[kind], fillColor: COLOURS[kind], weight: 3,
      fillOpacity: 0.3, className: `demand-point coverage-${kind}` })
      .bindTooltip(`${escape(p.id)}: ${urgent.toFixed(2)} urgent casualties · ${COVERAGE_LABELS[kind]}` +
                   (p.missed_per_run ? ` · ${p.missed_per_run} missed per run (proposed)` : ""))
      .addTo(layer);
  }
}

// Share of the period's urgent demand that the laydown brings to resuscitation within 60 min.
export function goldenShare(result, laydown, period) {
  const all = result.points.reduce((s, p) => s + p.urgent[period], 0);
  const covered = result.points.filter((p) => p[laydown][period]?.golden_hour_assets > 0).reduce((s, p) => s + p.urgent[period], 0);
  return all ? covered / all : null;
}
