// Who answers teleconsults, and when: specialists with their specialty and on-call windows.
// Dispatchers and admins register specialists and set anyone's windows; a specialist sets their own.
// Times are entered and shown in Z (UTC), as the rest of the board.
import * as api from "./api.js";
import { el, clear, clock, serially } from "./dom.js";
import { SPECIALTIES } from "./consult_list.js";

const KEEPERS = ["dispatcher", "admin"];
const KINDS = { on_call: "on call", available: "available", unavailable: "unavailable" };
const LABELS = { user_id: "User", name: "Name", specialty: "Specialty", starts_at: "Start (Z)", ends_at: "End (Z)",
                 kind: "Kind", windows: "On call", load_limit: "Consults at once" };
const asZ = (value) => new Date(`${value}:00Z`).toISOString(); // a datetime-local input read as Z
const inputZ = (date) => date.toISOString().slice(0, 16);
const speciality = (s) => s.replaceAll("_", " ");

export function onCallNow(specialist, now = Date.now()) {
  const covering = specialist.windows.filter((w) => Date.parse(w.starts_at) <= now && now < Date.parse(w.ends_at));
  if (covering.some((w) => w.kind === "unavailable")) return null;
  return covering.filter((w) => w.kind !== "unavailable").sort((a, b) => b.ends_at.localeCompare(a.ends_at))[0] ?? null;
}

export async function mount(root, { session, live }) {
  const keeper = KEEPERS.includes(session.role);
  const list = el("div", { id: "specialists", "aria-live": "polite" });
  const refresh = serially(async () => {
    const everyone = await api.all(`/v1/specialists?mission=${session.mission_id}&limit=200`);
    const shown = keeper ? everyone : everyone.filter((s) => s.user_id === session.user);
    clear(list).append(shown.length ? table(shown, refresh) : el("p", { class: "empty" }, "No specialist registered."));
  });
  if (keeper) root.append(registerForm(session, refresh));
  root.append(el("section", { class: "card", "aria-labelledby": "oncall-title" },
                 el("h2", { id: "oncall-title" }, keeper ? "Specialists on call" : "My on-call windows"), list));
  await refresh();
  const off = live.subscribe((event) => { if (event.entity === "specialist") refresh(); });
  return { unmount: off };
}

function table(specialists, refresh) {
  return el("table", { class: "grid oncall" },
    el("thead", {}, el("tr", {}, ["Specialist", "Specialty", "Now", "Windows (Z)", "Add a window"].map((h) => el("th", {}, h)))),
    el("tbody", {}, specialists.map((s) => {
      const now = onCallNow(s);
      return el("tr", { dataset: { specialist: s.id, user: s.user_id } },
        el("td", {}, el("strong", {}, s.name), el("br"), el("span", { class: "hint" }, s.user_id)),
        el("td", {}, speciality(s.specialty)),
        el("td", { class: now ? "on-call status-open" : "off-call" }, now ? `on call until ${clock(now.ends_at)}` : "not on call"),
        el("td", {}, el("ul", { class: "windows" }, s.windows.map((w) => el("li", { class: `window kind-${w.kind}` },
          `${KINDS[w.kind]} ${w.starts_at.slice(5, 10)} ${clock(w.starts_at)} → ${w.ends_at.slice(5, 10)} ${clock(w.ends_at)} `,
          el("button", { type: "button", "aria-label": `Remove ${KINDS[w.kind]} window of ${s.name}`,
                         onclick: () => act(null, () => api.request(`/v1/specialists/${s.id}/windows/${w.id}`, { method: "DELETE" }), refresh) },
             "Remove"))))),
        el("td", {}, windowForm(s, refresh)));
    })));
}

function windowForm(specialist, refresh) {
  const now = new Date();
  const form = el("form", { class: "window-form", "aria-label": `Add a window for ${specialist.name}` },
    el("select", { name: "kind", "aria-label": "Kind" }, Object.entries(KINDS).map(([v, t]) => el("option", { value: v }, t))),
    el("input", { type: "datetime-local", name: "starts_at", "aria-label": "Start (Z)", value: inputZ(now), required: true }),
    el("input", { type: "datetime-local", name: "ends_at", "aria-label": "End (Z)", value: inputZ(new Date(+now + 12 * 3600e3)), required: true }),
    el("button", { type: "submit" }, "Add"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const v = (name) => form.elements[name].value;
    act(form, () => api.post(`/v1/specialists/${specialist.id}/windows`,
                             { kind: v("kind"), starts_at: asZ(v("starts_at")), ends_at: asZ(v("ends_at")) }), refresh);
  });
  return form;
}

function registerForm(session, refresh) {
  const now = new Date();
  const field = (name, label, input) => el("label", {}, `${label} `, input);
  const form = el("form", { class: "card register", id: "register-specialist", "aria-labelledby": "register-title" },
    el("h2", { id: "register-title" }, "Register a specialist"),
    field("name", "Name", el("input", { name: "name", required: true })),
    field("user_id", "User (as on their token)", el("input", { name: "user_id", required: true })),
    field("specialty", "Specialty", el("select", { name: "specialty" }, SPECIALTIES.map((s) => el("option", { value: s }, speciality(s))))),
    field("starts_at", "On call from (Z)", el("input", { type: "datetime-local", name: "starts_at", value: inputZ(now) })),
    field("ends_at", "until (Z)", el("input", { type: "datetime-local", name: "ends_at", value: inputZ(new Date(+now + 12 * 3600e3)) })),
    el("button", { type: "submit", class: "primary" }, "Register"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const v = (name) => form.elements[name].value.trim();
    const windows = v("starts_at") && v("ends_at") ? [{ kind: "on_call", starts_at: asZ(v("starts_at")), ends_at: asZ(v("ends_at")) }] : [];
    act(form, () => api.post("/v1/specialists", { mission_id: session.mission_id, name: v("name"), user_id: v("user_id"),
                                                   specialty: v("specialty"), windows }, { "Idempotency-Key": api.newId() }),
        () => { form.reset(); return refresh(); });
  });
  return form;
}

// Run an API call; a refusal is shown on the form in words, naming the field, until the next try.
async function act(form, call, after) {
  form?.querySelectorAll(".field-error").forEach((e) => e.remove());
  try {
    await call();
  } catch (error) {
    if (!(error instanceof api.ApiError)) throw error;
    const lines = error.errors.length ? error.errors.map((e) => `${LABELS[e.field.split(".").pop()] ?? e.field}: ${e.message}`) : [error.message];
    const target = form ?? document.getElementById("specialists");
    for (const line of lines) target.append(el("p", { class: "field-error", role: "alert" }, line));
    return;
  }
  await after();
}
