// The one way the UI talks to the server: JSON in and out, the CSRF token on POST and DELETE,
// the project header on /api/v3, and {"error": ...} turned into an ApiError with that text.

export const state = {
  session: null, // GET /api/ui/session answer
  csrf: "",
  project: "", // the current project's UUID
  onUnauthorized: null, // set by app.js
};

export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

const MESSAGES = {
  401: "You are not logged in.",
  403: "You do not have access to this.",
  404: "Not found.",
  409: "Conflict.",
  429: "Too many attempts; try again later.",
  503: "The server is busy; try again.",
};

// opts: {project: uuid (default state.project), text: true to read a text body,
//        quiet401: true to not redirect to /login on 401}
export async function request(method, path, body, opts = {}) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if ((method === "POST" || method === "DELETE") && state.csrf) headers["X-CSRF-Token"] = state.csrf;
  const project = opts.project === undefined ? state.project : opts.project;
  if (path.startsWith("/api/v3/") && project) headers["X-Dogwatch-Project"] = project;
  let res;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
      cache: "no-store",
    });
  } catch (e) {
    throw new ApiError(0, "Cannot reach the server. Is dogwatch running?");
  }
  if (res.status === 401 && !opts.quiet401 && state.onUnauthorized) {
    state.onUnauthorized();
  }
  if (res.status === 204) return null;
  const text = await res.text();
  if (res.ok) {
    if (opts.text) return text;
    if (!text) return null;
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  let message = data && typeof data.error === "string" ? data.error : text.trim();
  if (!message || message.length > 300 || message.startsWith("<")) {
    message = MESSAGES[res.status] || `Request failed (HTTP ${res.status}).`;
  }
  throw new ApiError(res.status, message, data);
}

export const get = (path, opts) => request("GET", path, undefined, opts);
export const post = (path, body = {}, opts) => request("POST", path, body, opts);
export const del = (path, opts) => request("DELETE", path, undefined, opts);

// Remembers a session answer (from GET /api/ui/session, login or setup).
export function setSession(s) {
  state.session = s;
  state.csrf = (s && s.csrf) || "";
}

export function projects() {
  return (state.session && state.session.projects) || [];
}

export function currentProject() {
  return projects().find((p) => p.uuid === state.project) || null;
}

export function canWrite() {
  const p = currentProject();
  return !p || p.role !== "r";
}

export const enc = encodeURIComponent;
