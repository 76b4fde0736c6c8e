// Assets board: status (changed with If-Match), position and how old each figure is.
import * as api from "./api.js";
import { el, clear, age, toast } from "./dom.js";
import { DISPATCH_ACTORS } from "./roles.js";

const STATUSES = ["available", "tasked", "returning", "maintenance", "crew_rest", "weather_hold"];

export async function mount(root, { session, live }) {
  const body = el("tbody");
  root.append(el("section", { class: "card", "aria-labelledby": "assets-title" },
    el("h2", { id: "assets-title" }, "Assets"),
    el("table", { class: "grid" },
      el("thead", {}, el("tr", {}, ["Call sign", "Type", "Status", "Status since", "Position fix", "Night", "Litters/seats"]
        .map((h) => el("th", { scope: "col" }, h)))),
      body)));
  const assets = new Map();
  const canAct = DISPATCH_ACTORS.includes(session.role);
  const render = () => {
    clear(body);
    for (const asset of [...assets.values()].sort((a, b) => a.callsign.localeCompare(b.callsign))) {
      body.append(row(asset, canAct, (next) => { assets.set(next.id, next); render(); }));
    }
  };
  for (const asset of await api.all(`/v1/assets?mission=${session.mission_id}&limit=500`)) assets.set(asset.id, asset);
  render();
  const timer = setInterval(render, 30000); // ages move on
  const off = live.subscribe((event) => {
    if (event.entity === "asset" && event.payload?.id) { assets.set(event.payload.id, event.payload); render(); }
  });
  return { unmount() { off(); clearInterval(timer); } };
}

function row(asset, canAct, replaced) {
  const status = canAct
    ? el("select", { "aria-label": `Status of ${asset.callsign}`, class: `status-${asset.status}`,
                     onchange: (e) => change(asset, e.target.value, replaced) },
        STATUSES.map((s) => el("option", { value: s, selected: s === asset.status }, s.replace("_", " "))))
    : el("span", { class: `pill status-${asset.status}` }, asset.status.replace("_", " "));
  return el("tr", { dataset: { asset: asset.id } },
    el("th", { scope: "row" }, asset.callsign),
    el("td", {}, `${asset.model || asset.kind} · ${asset.role}`),
    el("td", {}, status),
    el("td", {}, age(asset.status_at)),
    el("td", {}, `${asset.position.lat.toFixed(3)}, ${asset.position.lon.toFixed(3)} · ${age(asset.position.at)}`),
    el("td", {}, asset.night_capable ? "NVG" : "day only"),
    el("td", {}, `${asset.litters}/${asset.seats}`));
}

async function change(asset, status, replaced) {
  try {
    const { data } = await api.request(`/v1/assets/${asset.id}`, {
      method: "PATCH", body: { status }, headers: { "If-Match": `"${asset.version}"` } });
    replaced(data);
  } catch (error) {
    if (error.status === 409 && error.problem.current) replaced(error.problem.current);
    toast(`${asset.callsign}: ${error.message}`);
    if (error.status !== 409) replaced(asset);
  }
}
