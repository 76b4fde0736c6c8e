// 9-line entry: a form with one group per line, and a paste box for the radio text. The
// service parses both; its errors name the line ("line 3.precedence") and are shown there.
import * as api from "./api.js";
import { el, toast } from "./dom.js";
import { lineGroups, readForm } from "./nineline_form.js";

export async function mount(root) {
  const groups = lineGroups();
  const injured = el("input", { id: "injured-at", name: "injured_at", type: "datetime-local", step: 60,
                                value: localMinutesAgo(10) });
  const formErrors = el("div", { class: "form-errors", role: "alert" });
  const form = el("form", { class: "nineline card", id: "nineline-form", novalidate: true, "aria-labelledby": "form-title" },
    el("h2", { id: "form-title" }, "9-line MEDEVAC request"),
    el("div", { class: "line", id: "line-injury" }, el("label", { for: "injured-at" }, "Time of injury (your local time)"), injured),
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
    await submit({ ...readForm(groups), injured_at: isoFromLocal(injured.value) }, (field, message) => {
      const line = /^line (\d)/.exec(field)?.[1] ?? lineOfField(field);
      const group = groups.find((g) => String(g.line) === String(line));
      if (group) group.showError(message);
      else formErrors.append(el("p", { class: "field-error" }, `${field}: ${message}`));
    });
  });
  paste.addEventListener("submit", async (event) => {
    event.preventDefault();
    textErrors.replaceChildren();
    await submit({ text: text.value, injured_at: isoFromLocal(injured.value) }, (field, message) => {
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

function localMinutesAgo(minutes) {
  const d = new Date(Date.now() - minutes * 60000 - new Date().getTimezoneOffset() * 60000);
  return d.toISOString().slice(0, 16);
}

function isoFromLocal(value) { return value ? new Date(value).toISOString() : undefined; }
