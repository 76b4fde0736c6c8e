// A consult's websocket with an outbox: messages typed while the link is down are kept (also
// across a reload) and sent on reconnect; the server stores each client_id once, so a resend
// after a lost ack is harmless. Reconnects resume after the last message sequence held.
// A socket whose heartbeats stop is taken as dead (see watchdog.js) and reopened.
import { token, newId } from "./api.js";
import { Watchdog } from "./watchdog.js";

const BACKOFF_MS = [300, 600, 1200, 2500];

export class ConsultSocket {
  constructor(consultId, handlers, heartbeatS = 20) {
    this.consultId = consultId;
    this.heartbeatS = heartbeatS;
    this.handlers = handlers; // {state, message, queued, welcome, signal, status, error}
    this.after = 0;
    this.key = `medevac.outbox.${consultId}`;
    this.outbox = JSON.parse(localStorage.getItem(this.key) || "[]");
    this.failures = 0;
    this.closed = false;
  }

  connect() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const url = `${scheme}://${location.host}/v1/consults/${this.consultId}/ws?after=${this.after}` +
                `&access_token=${encodeURIComponent(token())}`;
    const ws = this.ws = new WebSocket(url);
    this.welcomed = false;
    const dog = this.dog = new Watchdog(this.heartbeatS, (state) => {
      if (state === "stale" || this.welcomed) this.handlers.state(state === "stale" ? "stale" : "open");
    },
                                        () => this.dropped(ws));
    ws.onmessage = (event) => { dog.heard(); this.receive(JSON.parse(event.data)); };
    ws.onclose = () => this.dropped(ws);
  }

  // Closed, or silent past its heartbeats: a silent socket may never report its close, so it is
  // abandoned at once and a new one opened.
  dropped(ws) {
    if (ws !== this.ws) return;
    this.dog.stop();
    this.ws = null;
    ws.onmessage = ws.onclose = null;
    if (ws.readyState !== WebSocket.CLOSED) ws.close();
    this.handlers.state("closed");
    if (this.closed) return;
    const wait = BACKOFF_MS[Math.min(this.failures++, BACKOFF_MS.length - 1)];
    setTimeout(() => this.connect(), wait);
  }

  close() { this.closed = true; this.dog?.stop(); this.ws?.close(); }

  get open() { return this.ws?.readyState === WebSocket.OPEN && this.welcomed; }

  receive(frame) {
    if (frame.type === "welcome") {
      this.welcomed = true;
      this.failures = 0;
      this.handlers.state("open");
      this.handlers.welcome?.(frame);
      for (const item of this.outbox) this.transmit(item);
    } else if (frame.type === "message") {
      if (frame.seq <= this.after) return;
      this.after = frame.seq;
      this.forget(frame.client_id);
      this.handlers.message(frame);
    } else if (frame.type === "ack") {
      this.forget(frame.client_id);
    } else if (frame.type === "signal") {
      this.handlers.signal?.(frame.signal);
    } else if (frame.type === "status") {
      this.handlers.status?.(frame.status);
    } else if (frame.type === "error") {
      this.handlers.error?.(frame);
    }
  }

  send(text) {
    const item = { client_id: newId(), text };
    this.outbox.push(item);
    this.persist();
    this.handlers.queued(item);
    if (this.open) this.transmit(item);
  }

  signal(signal) { if (this.open) this.ws.send(JSON.stringify({ type: "signal", signal })); }

  transmit(item) { this.ws.send(JSON.stringify({ type: "message", ...item })); }

  forget(clientId) {
    const before = this.outbox.length;
    this.outbox = this.outbox.filter((item) => item.client_id !== clientId);
    if (this.outbox.length !== before) this.persist();
  }

  persist() { localStorage.setItem(this.key, JSON.stringify(this.outbox)); }
}
