// The live event stream (/v1/events, server-sent events) read with fetch, so it can send the
// bearer token and an explicit Last-Event-ID on every reconnect: a dropped link costs latency,
// never an event. Listeners get every event in sequence order, exactly once.
import { token } from "./api.js";

const BACKOFF_MS = [250, 500, 1000, 2000, 3000];

export class LiveEvents {
  constructor(onStatus) {
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
      this.onStatus("reconnecting");
      const wait = BACKOFF_MS[Math.min(this.failures++, BACKOFF_MS.length - 1)];
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  async readOnce() {
    this.controller = new AbortController();
    const headers = { Accept: "text/event-stream", Authorization: `Bearer ${token()}` };
    if (this.lastId !== null) headers["Last-Event-ID"] = String(this.lastId);
    const response = await fetch("/v1/events", { headers, signal: this.controller.signal, cache: "no-store" });
    if (!response.ok) throw new Error(`events: HTTP ${response.status}`);
    this.onStatus("live");
    this.failures = 0;
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value.replace(/\r\n?/g, "\n");
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        this.dispatch(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
      }
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
