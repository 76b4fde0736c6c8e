// The MGRS grid over the view, from the service (grid zones, then 100 / 10 / 1 km squares as the
// officer zooms in), with each square's reference written in it, as read on line 1 of a 9-line.
import * as api from "./api.js";
import { L, escapeHtml as escape } from "./basemap.js";

export function mgrsLayer(map) {
  const layer = L.layerGroup();
  let asked = 0;
  async function draw() {
    const view = map.getBounds(), ticket = ++asked;
    const edges = { south: Math.max(-80, view.getSouth()), north: Math.min(84, view.getNorth()),
                    west: Math.max(-180, view.getWest()), east: Math.min(180, view.getEast()) };
    const grid = await api.get(`/v1/map/mgrs-grid?${new URLSearchParams(edges)}`);
    if (ticket !== asked) return; // the officer has moved on: a newer view was asked for
    layer.clearLayers();
    for (const line of grid.lines) {
      L.polyline(line, { color: "#222", weight: 1, opacity: 0.55, interactive: false, className: "mgrs-line" }).addTo(layer);
    }
    for (const label of grid.labels) {
      const icon = L.divIcon({ className: "mgrs-label", html: `<span>${escape(label.text)}</span>`, iconSize: null });
      L.marker([label.lat, label.lon], { icon, pane: "labels", interactive: false, keyboard: false }).addTo(layer);
    }
    map.getContainer().dataset.mgrsSpacing = grid.spacing_m ?? "zones";
  }
  layer.on("add", () => { map.on("moveend", draw); draw(); });
  layer.on("remove", () => { map.off("moveend", draw); delete map.getContainer().dataset.mgrsSpacing; });
  return layer;
}
