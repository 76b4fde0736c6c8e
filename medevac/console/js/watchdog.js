// Notices a link that died without closing (radio and satellite links drop packets, they do
// not close sockets): the service sends a heartbeat every `periodS`; silence for one and a half
// periods is "stale" (amber), for three and a half the link is taken as dead (red) and dropped.
const TICK_MS = 250;

export class Watchdog {
  constructor(periodS, onState, onDead) {
    this.periodMs = periodS * 1000;
    this.onState = onState; // ("live" | "stale", lastHeard)
    this.onDead = onDead;
    this.last = Date.now();
    this.live = false;
    this.timer = setInterval(() => this.check(), TICK_MS);
  }

  // Anything received counts: a heartbeat, an event, a message.
  heard() {
    this.last = Date.now();
    if (this.live !== true) { this.live = true; this.onState("live", this.last); }
  }

  check() {
    const silent = Date.now() - this.last;
    if (silent > 3.5 * this.periodMs) {
      this.stop();
      this.onDead(this.last);
    } else if (this.live === true && silent > 1.5 * this.periodMs) {
      this.live = "stale";
      this.onState("stale", this.last);
    }
  }

  stop() { clearInterval(this.timer); }
}
