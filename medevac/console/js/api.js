// The HTTP API with the signed-in token; problem+json errors become ApiError.
const TOKEN_KEY = "medevac.token";

export function token() { return sessionStorage.getItem(TOKEN_KEY); }
export function setToken(value) {
  if (value) sessionStorage.setItem(TOKEN_KEY, value); else sessionStorage.removeItem(TOKEN_KEY);
}

export class ApiError extends Error {
  constructor(status, problem, retryAfter = null) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
    this.errors = problem.errors || [];
    this.retryAfter = retryAfter; // seconds, on 429 and 503
  }
}

// Returns {data, etag, status}; throws ApiError for 4xx/5xx and TypeError when the link is down.
// A change that gets no answer within ACT_TIMEOUT_MS (a silent link) fails as TimeoutError, so the
// officer is told instead of watching a button that never comes back.
const ACT_TIMEOUT_MS = 15000;

export async function request(path, { method = "GET", body, headers = {} } = {}) {
  const init = { method, headers: { Accept: "application/json", ...headers } };
  if (method !== "GET") init.signal = AbortSignal.timeout(ACT_TIMEOUT_MS);
  if (token()) init.headers.Authorization = `Bearer ${token()}`;
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) throw new ApiError(response.status, data || {}, response.headers.get("Retry-After"));
  return { data, etag: response.headers.get("ETag"), status: response.status };
}

export async function get(path) { return (await request(path)).data; }
export async function post(path, body, headers) { return (await request(path, { method: "POST", body, headers })).data; }

// Every page of a list operation (the registry lists are small: one mission's facilities or assets).
export async function all(path) {
  const items = [];
  let cursor = null;
  do {
    const sep = path.includes("?") ? "&" : "?";
    const page = await get(cursor ? `${path}${sep}cursor=${encodeURIComponent(cursor)}` : path);
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return items;
}

export function newId() { return crypto.randomUUID(); }
