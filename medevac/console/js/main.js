// The console shell: sign in with a token, show the screens the role may use, keep the
// live event stream open, and route between screens by the URL hash.
import * as api from "./api.js";
import { el, clear, toast } from "./dom.js";
import { LiveEvents } from "./events.js";
import { SCREENS, screensFor } from "./roles.js";
import { watchConsults } from "./consult_alerts.js";

const MODULES = {
  board: () => import("./board.js"),
  nineline: () => import("./nineline.js"),
  map: () => import("./map.js"),
  assets: () => import("./assets.js"),
  facilities: () => import("./facilities.js"),
  inbound: () => import("./inbound.js"),
  consults: () => import("./consults.js"),
  planning: () => import("./planning.js"),
  oncall: () => import("./oncall.js"),
};

const screen = document.getElementById("screen");
let session = null;
let live = null;
let current = null; // the mounted screen: {unmount()}

// Green while heartbeats arrive; amber after one is missed; red once the link is taken as dead.
function showLive(state, lastHeard) {
  const badge = document.getElementById("live");
  badge.hidden = false;
  badge.dataset.state = state;
  const since = lastHeard ? ` since ${new Date(lastHeard).toISOString().slice(11, 19)}Z` : "";
  badge.textContent = { live: "● Live", stale: `◐ Link quiet${since}`, reconnecting: `○ Link down${since}: reconnecting…` }[state];
  badge.title = { live: "heartbeats arriving", stale: "a heartbeat was missed: the board may be behind",
                  reconnecting: "several heartbeats missed: the board is not current" }[state];
}

function signInForm(message) {
  const input = el("input", { id: "token", name: "token", type: "password", autocomplete: "off", required: true,
                              "aria-describedby": "token-help" });
  const form = el("form", { class: "signin card", "aria-labelledby": "signin-title" },
    el("h2", { id: "signin-title" }, "Sign in"),
    el("label", { for: "token" }, "Access token"), input,
    el("p", { id: "token-help", class: "hint" }, "Paste the bearer token issued with `medevac token create`."),
    message ? el("p", { class: "field-error", role: "alert" }, message) : null,
    el("button", { type: "submit", class: "primary" }, "Sign in"));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    api.setToken(input.value.trim());
    await start();
  });
  clear(screen).append(form);
  input.focus();
}

async function start() {
  try {
    session = await api.get("/v1/session");
  } catch (error) {
    api.setToken(null);
    return signInForm(error.status === 401 ? "That token was not accepted." : `Cannot sign in: ${error.message}`);
  }
  if (!session.mission_id) {
    const missions = await api.get("/v1/missions?limit=500");
    session.mission_id = missions.items[0]?.id ?? null;
  }
  session.screens = screensFor(session.role);
  document.getElementById("whoami").textContent = `${session.user} · ${session.role}`;
  document.getElementById("signout").hidden = false;
  buildNav();
  live = new LiveEvents(showLive, session.heartbeat_s);
  live.start();
  watchConsults(session, live);
  window.addEventListener("hashchange", route);
  await route();
}

function buildNav() {
  const nav = clear(document.getElementById("nav"));
  for (const name of session.screens) {
    nav.append(el("a", { href: `#/${name}`, dataset: { screen: name } }, SCREENS[name].title));
  }
}

let routed = 0; // counts screen changes: a screen still loading when the officer moves on is dropped

async function route() {
  const turn = ++routed;
  const [name, ...rest] = location.hash.replace(/^#\/?/, "").split("/");
  const target = session.screens.includes(name) ? name : session.screens[0];
  if (!target) return clear(screen).append(el("p", {}, "This role has no console screens."));
  for (const link of document.querySelectorAll("#nav a")) {
    link.toggleAttribute("aria-current", link.dataset.screen === target);
  }
  current?.unmount?.();
  current = null;
  clear(screen);
  if (!session.mission_id) { // an admin or observer spanning every mission, before any mission exists
    return screen.append(el("p", { class: "empty", role: "status" },
      "No mission exists yet. An admin whose token spans every mission creates one (POST /v1/missions)."));
  }
  const module = await MODULES[target]();
  if (turn !== routed) return;
  // Each screen draws into its own box, so one that finishes loading after the officer has moved
  // on is removed whole (and stops listening) instead of showing beside the next screen.
  const root = screen.appendChild(el("div", { class: "screen-root" }));
  const mounted = await module.mount(root, { session, live, params: rest });
  if (turn === routed) return void (current = mounted);
  mounted?.unmount?.();
  root.remove();
}

document.getElementById("signout").addEventListener("click", () => {
  api.setToken(null);
  live?.stop();
  location.hash = "";
  location.reload();
});

window.addEventListener("unhandledrejection", (event) => {
  toast(event.reason?.message || String(event.reason));
});

if (api.token()) start(); else signInForm();
