// The map: a local country-outline base layer (no internet tiles), facilities by Level and
// status, assets by status with the age of their position, open pickup sites, and the
// golden-hour coverage layer computed by the service (day or night).
import * as api from "./api.js";
import { el, age } from "./dom.js";
import { levelName } from "./facilities.js";
import { coverageLayer } from "./coverage.js";
import { L, baseMap, fitTo, facilityMarker, escapeHtml as escape } from "./basemap.js";

export async function mount(root, { session, live }) {
  const modes = el("div", { class: "modes", role: "group", "aria-label": "Coverage" },
    el("span", {}, "Golden-hour coverage:"),
    ...["day", "night"].map((mode) => el("button", { type: "button", dataset: { mode }, "aria-pressed": "false",
                                                      onclick: () => showCoverage(mode) }, mode)));
  const status = el("span", { id: "coverage-status", role: "status" });
  const box = el("div", { id: "map", class: "map", role: "region", "aria-label": "Mission map" });
  root.append(el("section", { class: "card map-card" }, el("div", { class: "map-bar" }, el("h2", {}, "Map"), modes, status), box, legend()));
  const map = await baseMap(box);
  const layers = { coverage: L.layerGroup().addTo(map), sites: L.layerGroup().addTo(map),
                   facilities: L.layerGroup().addTo(map), assets: L.layerGroup().addTo(map) };
  const facilities = await api.all(`/v1/facilities?mission=${session.mission_id}&limit=500`);
  const assets = await api.all(`/v1/assets?mission=${session.mission_id}&limit=500`);
  drawFacilities(layers.facilities, facilities);
  drawAssets(layers.assets, assets);
  await drawSites(layers.sites, session);
  const points = [...facilities.map((f) => [f.location.lat, f.location.lon]),
                  ...assets.map((a) => [a.position.lat, a.position.lon])];
  fitTo(map, points);

  async function showCoverage(mode) {
    for (const b of modes.querySelectorAll("button")) b.setAttribute("aria-pressed", String(b.dataset.mode === mode));
    status.textContent = `Computing ${mode} coverage…`;
    const coverage = await api.get(`/v1/coverage?mission=${session.mission_id}&mode=${mode}`);
    layers.coverage.clearLayers().addLayer(coverageLayer(L, coverage));
    status.textContent = `${mode}: ${Math.round(coverage.covered_share * 100)} % of the area within ` +
      `${coverage.threshold_min} min of resuscitation or surgery (${coverage.cells.length} cells)`;
    status.dataset.mode = mode;
  }
  await showCoverage("day");
  const off = live.subscribe(async (event) => {
    if (event.entity === "asset" || event.entity === "facility") {
      drawFacilities(layers.facilities, await api.all(`/v1/facilities?mission=${session.mission_id}&limit=500`));
      drawAssets(layers.assets, await api.all(`/v1/assets?mission=${session.mission_id}&limit=500`));
    } else if (event.entity === "evac_request" || event.entity === "evacuation") {
      await drawSites(layers.sites, session);
    }
  });
  return { unmount() { off(); map.remove(); } };
}

function drawFacilities(layer, facilities) {
  layer.clearLayers();
  for (const f of facilities) {
    facilityMarker(f, f.status)
      .bindPopup(`<strong>${escape(f.name)}</strong><br>${levelName(f.level)} · ${f.status}<br>` +
                 `${f.usable_beds}/${f.beds} beds free (${age(f.figures_updated_at?.usable_beds)})`)
      .addTo(layer);
  }
}

function drawAssets(layer, assets) {
  layer.clearLayers();
  for (const a of assets) {
    const icon = L.divIcon({ className: `asset-icon status-${a.status}`, html: "✚", iconSize: [24, 24] });
    L.marker([a.position.lat, a.position.lon], { icon, title: a.callsign, keyboard: true, alt: a.callsign })
      .bindTooltip(`${escape(a.callsign)} · ${a.status.replace("_", " ")} · position ${age(a.position.at)}`)
      .addTo(layer);
  }
}

async function drawSites(layer, session) {
  layer.clearLayers();
  const page = await api.get(`/v1/evac-requests?mission=${session.mission_id}&status=open&limit=200`);
  for (const r of page.items) {
    L.circleMarker([r.pickup.lat, r.pickup.lon], { radius: 9, color: "#b00020", weight: 3, fillOpacity: 0.3 })
      .bindTooltip(`Pickup ${escape(r.callsign || r.grid || "")} · ${r.casualties.length} casualties`)
      .addTo(layer);
  }
}

function legend() {
  return el("p", { class: "legend" },
    el("span", { class: "facility-icon status-open" }, "II"), " facility (Level; green open, amber diverting, grey closed) ",
    el("span", { class: "asset-icon status-available" }, "✚"), " asset ",
    el("span", { class: "swatch covered" }), " reachable in time ",
    el("span", { class: "swatch site" }), " pickup site");
}
