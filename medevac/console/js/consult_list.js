// The clinician's consults (and a form to request one); the specialist's offers to accept.
import * as api from "./api.js";
import { el, clear, age, toast, serially } from "./dom.js";

export const SPECIALTIES = ["trauma_surgery", "orthopaedics", "neurosurgery", "internal_medicine", "paediatrics", "obstetrics",
  "mental_health", "radiology", "infectious_disease", "burns", "anaesthesia", "ophthalmology", "dermatology", "cardiology"];

export async function mount(root, { session, live }) {
  const list = el("ul", { class: "consults", id: "consult-list", "aria-live": "polite" });
  const heading = session.role === "specialist" ? "Offers and my consults" : "My consults";
  if (session.role === "clinician") root.append(requestForm());
  root.append(el("section", { class: "card", "aria-labelledby": "consults-title" },
    el("h2", { id: "consults-title" }, heading), list));
  const load = serially(async () => {
    const page = await api.get("/v1/consults?limit=100");
    clear(list).append(...(page.items.length ? page.items.map((c) => item(c, session, load))
                                             : [el("li", { class: "empty" }, "No consults.")]));
  });
  await load();
  const off = live.subscribe((event) => { if (event.entity === "consult") load(); });
  return { unmount() { off(); } };
}

function item(consult, session, reload) {
  const open = el("a", { href: `#/consults/${consult.id}` }, "Open chat");
  const actions = [];
  if (session.role === "specialist" && ["offered", "broadcast"].includes(consult.status)) {
    actions.push(el("button", { type: "button", class: "primary", onclick: () => answer(consult, "accept", reload) }, "Accept"),
                 el("button", { type: "button", onclick: () => answer(consult, "decline", reload) }, "Decline"));
  } else if (session.role === "clinician" || consult.status === "accepted") {
    actions.push(open);
  }
  return el("li", { class: "offer card", dataset: { consult: consult.id, status: consult.status } },
    el("span", {}, el("strong", {}, `${consult.urgency.toUpperCase()} · ${consult.specialty.replace("_", " ")}`),
      ` — ${consult.question} `, el("small", { class: "age" }, `(${consult.status}, ${age(consult.created_at)})`)),
    el("span", {}, actions));
}

async function answer(consult, verb, reload) {
  try {
    await api.post(`/v1/consults/${consult.id}/${verb}`, verb === "decline" ? {} : undefined);
    if (verb === "accept") location.hash = `#/consults/${consult.id}`; else reload();
  } catch (error) {
    toast(error.message);
    reload();
  }
}

function requestForm() {
  const f = (name, label, node) => el("label", { class: "field" }, label, node);
  const form = el("form", { class: "card nineline", id: "consult-form", "aria-labelledby": "consult-form-title" },
    el("h2", { id: "consult-form-title" }, "Request a specialist"),
    el("div", { class: "line" },
      f("specialty", "Specialty", el("select", { name: "specialty" }, SPECIALTIES.map((s) => el("option", { value: s }, s.replace("_", " "))))),
      f("urgency", "Urgency", el("select", { name: "urgency" }, ["emergency", "urgent", "routine"].map((u) => el("option", { value: u }, u))))),
    f("question", "Question", el("input", { name: "question", required: true })),
    el("fieldset", { class: "line" }, el("legend", {}, "MIST-AT"),
      ...["mechanism", "injuries", "signs", "treatment", "age"].map((k) => f(k, k[0].toUpperCase() + k.slice(1), el("input", { name: k, required: k === "mechanism" })))),
    el("button", { type: "submit", class: "primary" }, "Request consult"));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const v = (k) => form.elements[k].value.trim();
    const body = { specialty: v("specialty"), urgency: v("urgency"), question: v("question"),
                   summary: { mechanism: v("mechanism"), injuries: v("injuries"), signs: v("signs"),
                              treatment: v("treatment"), age: v("age") || null } };
    try {
      const created = await api.post("/v1/consults", body, { "Idempotency-Key": api.newId() });
      location.hash = `#/consults/${created.id}`;
    } catch (error) {
      toast(error.message);
    }
  });
  return form;
}
