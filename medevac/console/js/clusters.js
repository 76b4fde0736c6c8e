// Markers on one spot (five aircraft on one base, beside its facility) gather into one numbered
// icon that spreads them out when clicked: Leaflet.markercluster, vendored from npm. It is a
// classic script that extends a global `L`, so it gets a mutable copy of the Leaflet module.
import * as Leaflet from "../vendor/leaflet/leaflet-src.esm.js";
import { escapeHtml as escape } from "./basemap.js";

const L = (window.L = { ...Leaflet });
await new Promise((resolve, reject) => {
  const script = Object.assign(document.createElement("script"),
                               { src: "/console/vendor/leaflet.markercluster/leaflet.markercluster.js" });
  script.addEventListener("load", resolve);
  script.addEventListener("error", () => reject(new Error("the map's clustering script did not load")));
  document.head.append(script);
});

export function clusterGroup() {
  const group = L.markerClusterGroup({
    maxClusterRadius: 28, // only markers that would overlap
    zoomToBoundsOnClick: false, // markers on one base never part by zooming: spread them instead
    spiderfyDistanceMultiplier: 2.2,
    showCoverageOnHover: false,
    iconCreateFunction: clusterIcon,
  });
  group.on("clusterclick", (event) => event.layer.spiderfy());
  // A live update redraws the markers; a spot the officer spread stays spread.
  let spread = null;
  group.on("spiderfied", (event) => { spread = new Set(event.markers.map((m) => m.options.title)); });
  group.on("unspiderfied", () => { spread = null; });
  group.redraw = (markers) => {
    const kept = spread;
    group.clearLayers();
    group.addLayers(markers);
    const again = kept && markers.find((m) => kept.has(m.options.title));
    const cluster = again && group.getVisibleParent(again);
    if (cluster && cluster !== again) cluster.spiderfy();
  };
  return group;
}

function clusterIcon(cluster) {
  const names = escape(cluster.getAllChildMarkers().map((m) => m.options.title).join(", "));
  return L.divIcon({ className: "cluster-icon", iconSize: [40, 40],
                     html: `<span title="${names} (click to spread)" aria-label="${names}">${cluster.getChildCount()}</span>` });
}
