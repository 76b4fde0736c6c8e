// The map for operations: the offline ground (land, lakes, rivers, borders, towns), the mission's
// own basemap if it has one, an MGRS grid, facilities by Level and status with the assets (those
// on one spot gathered, spread on click), tasked aircraft's routes with ETAs, open pickup sites,
// and golden-hour coverage in bands of minutes computed by the service (day or night).
import * as api from "./api.js";
import { el, age, serially } from "./dom.js";
import { levelName } from "./facilities.js";
import { BANDS, coverageLayer, coverageSummary } from "./coverage.js";
import { L, baseMap, fitTo, facilityMarker, escapeHtml as escape } from "./basemap.js";
import { clusterGroup } from "./clusters.js";
import { placesLayer } from "./places.js";
import { mgrsLayer } from "./grid.js";
import { missionBasemap } from "./mission_tiles.js";
import { drawSorties } from "./sorties.js";

export async function mount(root, { session, live }) {
  const modes = el("div", { class: "modes", role: "group", "aria-label": "Coverage" },
    el("span", {}, "Coverage:"),
    ...["day", "night", "off"].map((mode) => el("button", { type: "button", dataset: { mode }, "aria-pressed": "false",
                                                             onclick: () => showCoverage(mode) }, mode)));
  const status = el("span", { id: "coverage-status", role: "status" });
  const box = el("div", { id: "map", class: "map", role: "region", "aria-label": "Mission map" });
  root.append(el("section", { class: "card map-card" }, el("div", { class: "map-bar" }, el("h2", {}, "Map"), modes, status), box, legend()));
  const map = await baseMap(box);
  const layers = { coverage: L.layerGroup().addTo(map), sorties: L.layerGroup().addTo(map),
                   sites: L.layerGroup().addTo(map), markers: clusterGroup().addTo(map) };
  const overlays = { Places: placesLayer(map).addTo(map), "MGRS grid": mgrsLayer(map),
                     "Aircraft routes": layers.sorties, "Pickup sites": layers.sites };
  const tiles = await missionBasemap();
  if (tiles) overlays["Mission basemap"] = tiles.addTo(map);
  L.control.layers(null, overlays, { collapsed: false, position: "topright" }).addTo(map);
  const load = async () => ({ facilities: await api.all(`/v1/facilities?mission=${session.mission_id}&limit=500`),
                              assets: await api.all(`/v1/assets?mission=${session.mission_id}&limit=500`) });
  let fleet = await load();
  drawMarkers(layers.markers, fleet);
  await Promise.all([drawSites(layers.sites, session), drawSorties(layers.sorties, session, fleet.assets, fleet.facilities)]);
  showExtent(map, box, await api.get(`/v1/map/extent?mission=${session.mission_id}`));

  let shown = null; // the coverage mode last asked for: an older answer arriving late is dropped
  async function showCoverage(mode) {
    shown = mode;
    for (const b of modes.querySelectorAll("button")) b.setAttribute("aria-pressed", String(b.dataset.mode === mode));
    layers.coverage.clearLayers();
    delete status.dataset.mode;
    if (mode === "off") {
      status.textContent = "Coverage hidden";
      return void (status.dataset.mode = mode);
    }
    status.textContent = `Computing ${mode} coverage…`;
    const coverage = await api.get(`/v1/coverage?mission=${session.mission_id}&mode=${mode}`);
    if (shown !== mode) return;
    layers.coverage.clearLayers().addLayer(coverageLayer(L, coverage));
    status.textContent = `Share of the area from injury to resuscitation or surgery (${mode}): ${coverageSummary(coverage)}`;
    status.dataset.mode = mode;
  }
  await showCoverage("day");
  const stale = new Set(); // what events changed since the last redraw; sorties follow both
  const redraw = serially(async () => {
    const what = new Set(stale);
    stale.clear();
    if (what.has("fleet")) {
      fleet = await load();
      drawMarkers(layers.markers, fleet);
    }
    await Promise.all([what.has("sites") && drawSites(layers.sites, session),
                       drawSorties(layers.sorties, session, fleet.assets, fleet.facilities)]);
  });
  const off = live.subscribe((event) => {
    if (event.entity === "asset" || event.entity === "facility") stale.add("fleet");
    else if (event.entity === "evac_request" || event.entity === "evacuation") stale.add("sites");
    else return;
    redraw();
  });
  return { unmount() { off(); map.remove(); } };
}

// The mission's region (where it can send patients, with a margin): the map opens on it and the
// officer cannot wander off it, so the ground loaded is the ground that matters.
function showExtent(map, box, extent) {
  if (extent.south === null) return fitTo(map, []);
  const bounds = L.latLngBounds([extent.south, extent.west], [extent.north, extent.east]);
  map.fitBounds(bounds, { animate: false });
  map.setMinZoom(Math.max(3, map.getZoom() - 1)).setMaxBounds(bounds.pad(0.25));
  Object.assign(box.dataset, { south: extent.south, west: extent.west, north: extent.north, east: extent.east });
}

function drawMarkers(group, { facilities, assets }) {
  group.redraw([
    ...facilities.map((f) => facilityMarker(f, f.status)
      .bindPopup(`<strong>${escape(f.name)}</strong><br>${levelName(f.level)} · ${f.status}<br>` +
                 `${f.usable_beds}/${f.beds} beds free (${age(f.figures_updated_at?.usable_beds)})`)),
    ...assets.map((a) => {
      const icon = L.divIcon({ className: `asset-icon status-${a.status}`, html: "✚", iconSize: [24, 24] });
      return L.marker([a.position.lat, a.position.lon], { icon, title: a.callsign, keyboard: true, alt: a.callsign })
        .bindTooltip(`${escape(a.callsign)} · ${a.status.replace("_", " ")} · position ${age(a.position.at)}`);
    }),
  ]);
}

async function drawSites(layer, session) {
  const page = await api.get(`/v1/evac-requests?mission=${session.mission_id}&status=open&limit=200`);
  layer.clearLayers();
  for (const r of page.items) {
    L.circleMarker([r.pickup.lat, r.pickup.lon], { radius: 9, color: "#b00020", weight: 3, fillOpacity: 0.3 })
      .bindTooltip(`Pickup ${escape(r.callsign || r.grid || "")} · ${r.casualties.length} casualties`)
      .addTo(layer);
  }
}

function legend() {
  return el("p", { class: "legend" },
    el("span", { class: "facility-icon status-open" }, "II"), " facility (Level; green open, amber diverting, grey closed) ",
    el("span", { class: "asset-icon status-available" }, "✚"), " aircraft ",
    el("span", { class: "cluster-icon legend-cluster" }, "3"), " several on one spot (click to spread) ",
    el("span", { class: "swatch route" }), " route and ETA ",
    ...BANDS.flatMap((band) => [el("span", { class: "swatch", style: `background:${band.colour}` }), ` ${band.label} `]),
    el("span", { class: "swatch site" }), " pickup site");
}
