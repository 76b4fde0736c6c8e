// One consult: the MIST-AT summary, the chat (queued while offline) and the audio call.
import * as api from "./api.js";
import { el, clock, toast } from "./dom.js";
import { ConsultSocket } from "./consult_socket.js";
import { AudioCall } from "./audio_call.js";

export async function mount(root, { session, params }) {
  const consult = await api.get(`/v1/consults/${params[0]}`);
  const messages = el("ol", { class: "messages", id: "messages", "aria-live": "polite", "aria-label": "Messages" });
  const conn = el("span", { class: "conn", id: "conn-state", role: "status" }, "connecting…");
  const callState = el("span", { id: "call-state", role: "status" });
  const text = el("input", { id: "chat-text", "aria-label": "Message", autocomplete: "off", maxlength: 8000 });
  const composer = el("form", { class: "composer" }, text, el("button", { type: "submit", class: "primary" }, "Send"));
  const callButton = el("button", { type: "button", id: "call" }, "Start audio call");
  const hangup = el("button", { type: "button", hidden: true }, "Hang up");
  root.append(el("div", { class: "consult-layout" },
    summary(consult),
    el("section", { class: "card chat", "aria-labelledby": "chat-title" },
      el("div", { class: "map-bar" }, el("h2", { id: "chat-title" }, "Consult chat"), conn,
        session.role === "specialist" ? callButton : null, hangup, callState),
      messages, composer)));

  const mine = (m) => m.sender === session.user;
  const bubble = (m, queued) => el("li", { class: `${mine(m) ? "mine" : ""} ${queued ? "queued" : ""}`,
                                           dataset: { client: m.client_id, seq: m.seq ?? "" } },
    m.text, el("small", {}, queued ? "queued: sends when the link is back" : `${m.from} · ${clock(m.sent_at)}`));
  const show = (node) => { messages.append(node); messages.scrollTop = messages.scrollHeight; };
  // Delivered messages in the server's sequence, whatever order they arrive in after a drop;
  // messages still queued here stay below them until the server has given them their place.
  const place = (node, seq) => {
    const after = [...messages.children].find((li) => li.classList.contains("queued") || Number(li.dataset.seq) > seq);
    messages.insertBefore(node, after || null);
    messages.scrollTop = messages.scrollHeight;
  };
  let call = null;
  const socket = new ConsultSocket(consult.id, {
    state: (s) => {
      conn.dataset.state = s;
      conn.textContent = { open: "● connected", stale: "◐ link quiet: messages may be delayed",
                           closed: "○ offline: messages are queued" }[s];
    },
    queued: (item) => show(bubble({ ...item, sender: session.user }, true)),
    message: (m) => {
      messages.querySelector(`li[data-client="${CSS.escape(m.client_id)}"]`)?.remove();
      place(bubble(m, false), m.seq);
    },
    welcome: (w) => { call ??= new AudioCall(socket, w.ice_servers, (s) => {
      callState.textContent = `call: ${s}`; hangup.hidden = ["ended", "closed", "failed"].includes(s);
    }); },
    signal: (signal) => call?.receive(signal).catch((e) => toast(`call: ${e.message}`)),
    status: (status) => {
      document.getElementById("consult-status").textContent = `Status: ${status}`;
      toast(`Consult is now ${status}`, "info");
    },
    error: (frame) => toast(`${frame.code}: ${frame.detail}`),
  }, session.heartbeat_s);
  for (const item of socket.outbox) show(bubble({ ...item, sender: session.user }, true));
  socket.connect();
  composer.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!text.value.trim()) return;
    socket.send(text.value.trim());
    text.value = "";
  });
  callButton.addEventListener("click", () => call?.start().catch((e) => toast(`call: ${e.message}`)));
  hangup.addEventListener("click", () => call?.hangup());
  text.focus();
  return { unmount() { call?.pc && call.hangup(); socket.close(); } };
}

function summary(consult) {
  const s = consult.summary || {};
  return el("section", { class: "card", "aria-labelledby": "summary-title" },
    el("h2", { id: "summary-title" }, `${consult.specialty.replace("_", " ")} · ${consult.urgency}`),
    el("p", {}, el("strong", {}, "Question: "), consult.question),
    el("dl", { class: "mist" }, ["mechanism", "injuries", "signs", "treatment", "age"].filter((k) => s[k])
      .map((k) => [el("dt", {}, k), el("dd", {}, s[k])])),
    el("p", { class: "hint", id: "consult-status" }, `Status: ${consult.status}`),
    el("a", { href: "#/consults" }, "← All consults"));
}
