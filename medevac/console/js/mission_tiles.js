// The mission's own basemap (an MBTiles file the service serves), if one is configured. Tiles are
// fetched with the signed-in token, since the tile API is not public.
import * as api from "./api.js";
import { L, escapeHtml as escape } from "./basemap.js";

const TokenTiles = L.TileLayer.extend({
  createTile(coords, done) {
    const tile = document.createElement("img");
    tile.alt = "";
    fetch(this.getTileUrl(coords), { headers: { Authorization: `Bearer ${api.token()}` } })
      .then((response) => (response.status === 200 ? response.blob() : null))
      .then((blob) => {
        if (!blob) return done(null, tile); // no tile there (204): the offline ground shows through
        tile.onload = () => { URL.revokeObjectURL(tile.src); done(null, tile); };
        tile.src = URL.createObjectURL(blob);
      })
      .catch((error) => done(error, tile));
    return tile;
  },
});

export async function missionBasemap() {
  const info = await api.get("/v1/basemap");
  if (!info.available) return null;
  const [west, south, east, north] = info.bounds ?? [-180, -85, 180, 85];
  return new TokenTiles("/v1/basemap/tiles/{z}/{x}/{y}", {
    minZoom: 0, maxZoom: 18, minNativeZoom: info.minzoom ?? 0, maxNativeZoom: info.maxzoom ?? 18,
    bounds: [[south, west], [north, east]], className: "mission-tiles",
    attribution: escape(info.attribution || info.name || "mission basemap") });
}
