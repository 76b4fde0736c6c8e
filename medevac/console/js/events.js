// The live event stream (/v1/events, server-sent events) read with fetch, so it can send the
// bearer token and an explicit Last-Event-ID on every reconnect: a dropped link costs latency,
// never an event. Listeners get every event in sequence order, exactly once. A link that goes
// silent is noticed by its missed heartbeats (see watchdog.js), dropped and reopened.
import { token } from "./api.js";
import { Watchdog } from "./watchdog.js";

const BACKOFF_MS = [250, 500, 1000, 2000];

export class LiveEvents {
  constructor(onStatus, heartbeatS = 15) {
    this.heartbeatS = heartbeatS;
    this.lastHeard = null;
    this.lastId = null;
    this.listeners = new Set();
    this.onStatus = onStatus;
    this.stopped = false;
    this.failures = 0;
    this.controller = null;
  }

  subscribe(listener) { this.listeners.add(listener); return () => this.listeners.delete(listener); }

  start() { this.stopped = false; this.loop(); }

  stop() { this.stopped = true; this.controller?.abort(); }

  async loop() {
    while (!this.stopped) {
      try {
        await this.readOnce();
      } catch (error) {
        if (this.stopped) return;
      }
      this.onStatus("reconnecting", this.lastHeard);
      const wait = BACKOFF_MS[Math.min(this.failures++, BACKOFF_MS.length - 1)];
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  async readOnce() {
    const controller = this.controller = new AbortController();
    const dog = new Watchdog(this.heartbeatS, (state, at) => { this.lastHeard = at; this.onStatus(state, at); },
                             () => controller.abort());
    try {
      const headers = { Accept: "text/event-stream", Authorization: `Bearer ${token()}` };
      if (this.lastId !== null) headers["Last-Event-ID"] = String(this.lastId);
      const response = await fetch("/v1/events", { headers, signal: controller.signal, cache: "no-store" });
      if (!response.ok) throw new Error(`events: HTTP ${response.status}`);
      dog.heard();
      this.failures = 0;
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        dog.heard();
        buffer += value.replace(/\r\n?/g, "\n");
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          this.dispatch(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    } finally {
      dog.stop();
    }
  }

  dispatch(block) {
    const fields = {};
    for (const line of block.split("\n")) {
      if (!line || line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const name = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
      fields[name] = fields[name] === undefined ? value : `${fields[name]}\n${value}`;
    }
    if (fields.data === undefined) return;
    const seq = Number(fields.id);
    if (this.lastId !== null && seq <= this.lastId) return; // already seen before a reconnect
    this.lastId = seq;
    const event = JSON.parse(fields.data);
    for (const listener of this.listeners) listener(event);
  }
}
