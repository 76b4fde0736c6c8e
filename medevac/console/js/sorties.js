// Tasked aircraft's routes: from where the aircraft is to the pickup (dashed) and on to the
// receiving facility (solid), each leg labelled with its ETA in Z.
import * as api from "./api.js";
import { clock } from "./dom.js";
import { L, escapeHtml as escape } from "./basemap.js";

const BEFORE_PICKUP = ["tasked", "airborne"];

export async function drawSorties(layer, session, assets, facilities) {
  const page = await api.get(`/v1/evacuations?mission=${session.mission_id}&limit=200`);
  const live = page.items.filter((e) => e.live);
  const requests = await Promise.all(live.map((e) => api.get(`/v1/evac-requests/${e.request_id}`)));
  layer.clearLayers();
  live.forEach((sortie, i) => {
    const asset = assets.find((a) => a.id === sortie.asset_id);
    const facility = facilities.find((f) => f.id === sortie.facility_id);
    if (!asset || !facility) return;
    const from = [asset.position.lat, asset.position.lon], pickup = [requests[i].pickup.lat, requests[i].pickup.lon];
    const to = [facility.location.lat, facility.location.lon], name = escape(asset.callsign);
    if (BEFORE_PICKUP.includes(sortie.state)) {
      leg(layer, [from, pickup], `${name} → pickup ${clock(sortie.eta_pickup)}`, "to-pickup");
    }
    const start = sortie.state === "at_pickup" || BEFORE_PICKUP.includes(sortie.state) ? pickup : from;
    leg(layer, [start, to], `${name} → ${escape(facility.name)} ${clock(sortie.eta_facility)}`, "to-facility");
  });
}

function leg(layer, points, label, kind) {
  L.polyline(points, { color: "#0b3d91", weight: 4, dashArray: kind === "to-pickup" ? "10 8" : null,
                       className: `sortie-route ${kind}`, interactive: false }).addTo(layer);
  const middle = [(points[0][0] + points[1][0]) / 2, (points[0][1] + points[1][1]) / 2];
  L.marker(middle, { icon: L.divIcon({ className: "sortie-eta", html: `<span>${label}</span>`, iconSize: null }),
                     keyboard: false, interactive: false }).addTo(layer);
}
