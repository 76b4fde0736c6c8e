// What every map screen starts from: the vendored Leaflet over local country outlines (no
// internet tiles), facility icons by Level, and HTML escaping for popups built from API text.
import * as L from "../vendor/leaflet/leaflet-src.esm.js";

export { L };
export const ROMAN = ["", "I", "II", "III", "IV"];

export async function baseMap(box) {
  const map = L.map(box, { zoomSnap: 0.5, attributionControl: true, preferCanvas: false });
  map.attributionControl.setPrefix(false).addAttribution("Outlines: Natural Earth via world-atlas");
  const outlines = await fetch("/console/geo/mission-areas.geojson").then((r) => r.json());
  L.geoJSON(outlines, { style: { color: "#555", weight: 1, fillColor: "#f3efe4", fillOpacity: 1 },
                        interactive: false }).addTo(map);
  return map;
}

export function fitTo(map, points, pad = 0.6) {
  if (points.length) map.fitBounds(L.latLngBounds(points).pad(pad)); else map.setView([7, 20], 5);
}

export function facilityMarker(f, status, extraClass = "") {
  const icon = L.divIcon({ className: `facility-icon status-${status} ${extraClass}`.trim(),
                           html: ROMAN[f.level] || "?", iconSize: [30, 30] });
  return L.marker([f.location.lat, f.location.lon], { icon, title: f.name, keyboard: true, alt: f.name });
}

export const escapeHtml = (text) => String(text).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
