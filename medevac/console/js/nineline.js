// 9-line entry: a form with one group per line, and a paste box for the radio text. The
// service parses both; its errors name the line ("line 3.precedence") and are shown there.
import * as api from "./api.js";
import { el, toast, clock } from "./dom.js";
import { lineGroups, readForm } from "./nineline_form.js";

export async function mount(root, { session }) {
  const groups = lineGroups();
  const zone = (await api.get(`/v1/missions/${session.mission_id}`)).time_zone;
  // Unknown unless entered: an invented time would sort this call ahead of honest ones.
  const injured = el("input", { id: "injured-at", name: "injured_at", type: "datetime-local", step: 60,
                                "aria-describedby": "injured-z" });
  const inZ = el("output", { id: "injured-z", for: "injured-at" }, "unknown: the clock runs from the call");
  const injuryError = el("div", { class: "line-error", id: "injury-error" });
  injured.addEventListener("input", () => {
    const iso = isoFromZone(injured.value, zone);
    inZ.textContent = iso ? `= ${clock(iso)} (${iso.slice(0, 10)})` : "unknown: the clock runs from the call";
  });
  const formErrors = el("div", { class: "form-errors", role: "alert" });
  const form = el("form", { class: "nineline card", id: "nineline-form", novalidate: true, "aria-labelledby": "form-title" },
    el("h2", { id: "form-title" }, "9-line MEDEVAC request"),
    el("div", { class: "line", id: "line-injury" },
      el("label", { for: "injured-at" }, `Time of injury, mission time (${zone}); leave empty if unknown`), injured, inZ, injuryError),
    ...groups.map((g) => g.node), formErrors,
    el("button", { type: "submit", class: "primary" }, "Submit 9-line"));
  const text = el("textarea", { id: "radio-text", rows: 11, spellcheck: false, "aria-describedby": "radio-help" });
  const textErrors = el("ol", { class: "line-errors", id: "radio-errors", role: "alert" });
  const paste = el("form", { class: "paste card", id: "radio-form", "aria-labelledby": "paste-title" },
    el("h2", { id: "paste-title" }, "Paste radio text"),
    el("p", { id: "radio-help", class: "hint" }, "As received: written (LINE 1: …), spoken (LINE ONE, … BREAK) or one line (L1 … / L2 …); US, NATO or UN wording. A grid without its zone takes the mission's."),
    text, textErrors, el("button", { type: "submit", class: "primary" }, "Submit radio text"));
  root.append(el("div", { class: "two-col" }, form, paste));

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    for (const g of groups) g.clearError();
    formErrors.replaceChildren();
    injuryError.replaceChildren();
    await submit({ ...readForm(groups), injured_at: isoFromZone(injured.value, zone) }, (field, message) => {
      if (field === "injured_at") return injuryError.append(el("p", { class: "field-error" }, `Time of injury: ${message}`));
      const line = /^line (\d)/.exec(field)?.[1] ?? lineOfField(field);
      const group = groups.find((g) => String(g.line) === String(line));
      if (group) group.showError(message);
      else formErrors.append(el("p", { class: "field-error" }, `${field}: ${message}`));
    });
  });
  paste.addEventListener("submit", async (event) => {
    event.preventDefault();
    textErrors.replaceChildren();
    await submit({ text: text.value, injured_at: isoFromZone(injured.value, zone) }, (field, message) => {
      const line = /^line (\d)/.exec(field)?.[1];
      textErrors.append(el("li", { class: "field-error", dataset: { line: line || "" } },
        line ? `Line ${line}: ${message}` : `${field}: ${message}`));
    });
  });
  groups[0].focus();
  return { unmount() {} };
}

async function submit(body, showError) {
  try {
    const created = await api.post("/v1/evac-requests", body, { "Idempotency-Key": api.newId() });
    location.hash = `#/board/${created.id}`;
  } catch (error) {
    if (error.errors?.length) for (const e of error.errors) showError(e.field, e.message);
    else toast(error.message);
  }
}

const FIELD_LINES = { location: 1, radio: 2, precedence: 3, special_equipment: 4, patients_by_type: 5 };
const lineOfField = (field) => FIELD_LINES[field.split(".")[0]];

// A wall-clock time in the mission's zone ("2026-12-06T08:12") as an instant (ISO, Z).
export function isoFromZone(value, zone) {
  if (!value) return undefined;
  const wall = Date.parse(`${value}:00Z`);
  const offset = (t) => {
    const parts = Object.fromEntries(new Intl.DateTimeFormat("en-US", { timeZone: zone, hourCycle: "h23",
      year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" })
      .formatToParts(new Date(t)).map((p) => [p.type, p.value]));
    return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second) - t;
  };
  return new Date(wall - offset(wall - offset(wall))).toISOString();
}
