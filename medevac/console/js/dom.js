// Small DOM helpers: build elements without innerHTML (no injection from API text).
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

export function clear(node) { node.replaceChildren(); return node; }

// A view's re-read, one at a time: a call while one runs reads once more after it, so an answer
// read before a change can never land after (and paint over) one read since.
export function serially(read) {
  let running = null;
  let again = false;
  return function run() {
    if (running) { again = true; return running; }
    running = (async () => {
      try {
        do { again = false; await read(); } while (again);
      } finally { running = null; }
    })();
    return running;
  };
}

// "3 min ago", "2 h ago": how old a reported figure is.
export function age(iso, now = Date.now()) {
  if (!iso) return "never";
  const minutes = Math.max(0, Math.round((now - Date.parse(iso)) / 60000));
  if (minutes < 1) return "just now";
  if (minutes < 120) return `${minutes} min ago`;
  if (minutes < 48 * 60) return `${Math.round(minutes / 60)} h ago`;
  return `${Math.round(minutes / 1440)} d ago`;
}

export function clock(iso) {
  if (!iso) return "—";
  return new Date(iso).toISOString().slice(11, 16) + "Z";
}

export function toast(message, kind = "error") {
  const box = document.getElementById("toast");
  box.textContent = message;
  box.dataset.kind = kind;
  box.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { box.hidden = true; }, 6000);
}

// A field-level message next to the input it belongs to.
export function fieldError(container, message) {
  container.append(el("p", { class: "field-error", role: "alert" }, message));
}

// A time in the mission's zone with its Z time beside it: "06 Dec, 08:12 GMT+1 (07:12Z)".
export function zoned(iso, zone) {
  if (!iso) return "—";
  const local = new Intl.DateTimeFormat("en-GB", { timeZone: zone || "UTC", day: "2-digit", month: "short",
    hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZoneName: "short" }).format(new Date(iso));
  return `${local} (${clock(iso)})`;
}

// Re-render `node` without losing what the officer is doing in it: open panels, typed text, focus.
export function keepingInput(node, render) {
  const open = [...node.querySelectorAll("details[open]")].map((d) => d.className);
  const typed = [...node.querySelectorAll("input, select")].filter((i) => i.getAttribute("aria-label"))
    .map((i) => [i.getAttribute("aria-label"), i.value]);
  const focused = document.activeElement && node.contains(document.activeElement)
    ? document.activeElement.getAttribute("aria-label") : null;
  const fresh = render();
  for (const name of open) fresh.querySelector(`details.${CSS.escape(name)}`)?.setAttribute("open", "");
  for (const [label, value] of typed) {
    const input = fresh.querySelector(`[aria-label="${CSS.escape(label)}"]`);
    if (input && input.value !== value && [...(input.options || [{ value }])].some((o) => o.value === value)) input.value = value;
  }
  if (focused) fresh.querySelector(`[aria-label="${CSS.escape(focused)}"]`)?.focus();
  return fresh;
}
