// The single page: session, header, and a History API router over the paths of docs/web-ui.md.
import { h, replace, clear, setTitle } from "./dom.js";
import { state, get, post, setSession, projects, ApiError } from "./api.js";

const ROUTES = [
  [/^\/login$/, "login", false],
  [/^\/setup$/, "setup", false],
  [/^\/$/, "home", true],
  [/^\/account$/, "account", true],
  [/^\/projects\/([^/]+)\/?$/, "dashboard", true],
  [/^\/projects\/([^/]+)\/checks\/new$/, "editor", true],
  [/^\/projects\/([^/]+)\/checks\/([^/]+)\/edit$/, "editor", true],
  [/^\/projects\/([^/]+)\/checks\/([^/]+)$/, "check", true],
  [/^\/projects\/([^/]+)\/integrations$/, "integrations", true],
  [/^\/projects\/([^/]+)\/settings$/, "settings", true],
];

const main = document.getElementById("main");
const top = document.getElementById("top");
let cleanup = null;
let generation = 0;

export function navigate(path, { replace: rep = false } = {}) {
  if (rep) history.replaceState(null, "", path);
  else history.pushState(null, "", path);
  route();
}

function match(pathname) {
  for (const [re, page, auth] of ROUTES) {
    const m = re.exec(pathname);
    if (m) return { page, auth, params: m.slice(1).map(decodeURIComponent) };
  }
  return { page: "notfound", auth: true, params: [] };
}

async function route() {
  if (cleanup) {
    try {
      cleanup();
    } catch {
      // a page's cleanup must not stop navigation
    }
    cleanup = null;
  }
  generation += 1;
  const gen = generation;
  const { pathname, search } = location;
  const query = new URLSearchParams(search);
  const m = match(pathname);

  if (m.auth && !state.session) {
    const next = pathname + search;
    navigate(next === "/" ? "/login" : `/login?next=${encodeURIComponent(next)}`, { replace: true });
    return;
  }
  if ((m.page === "login" || m.page === "setup") && state.session) {
    navigate("/", { replace: true });
    return;
  }
  if (m.page === "home") {
    const first = projects()[0];
    if (first) {
      navigate(`/projects/${first.uuid}/`, { replace: true });
      return;
    }
  }
  state.project = m.params[0] && m.page !== "account" ? m.params[0] : state.project;
  renderHeader(m);
  clear(main);
  main.append(h("p", { class: "loading" }, "Loading…"));

  if (m.page === "home") {
    setTitle("No projects");
    replace(main, h("section", { class: "empty" }, h("h1", null, "No projects"),
      h("p", null, "You are not a member of any project. Ask an administrator to run "),
      h("pre", null, "dogwatch project add NAME --owner YOUR-EMAIL")));
    return;
  }
  if (m.params[0] && m.page !== "account" && !projects().some((p) => p.uuid === m.params[0])) {
    notFound("This project does not exist, or you are not a member of it.");
    return;
  }
  if (m.page === "notfound") {
    notFound("There is no page at this address.");
    return;
  }
  const ctx = {
    main,
    params: m.params,
    query,
    navigate,
    alive: () => gen === generation,
    onCleanup: (fn) => {
      const prev = cleanup;
      cleanup = () => {
        if (prev) prev();
        fn();
      };
    },
  };
  try {
    const mod = await import(`./${m.page}.js`);
    if (gen !== generation) return;
    clear(main);
    await mod.render(ctx);
  } catch (e) {
    if (gen !== generation) return;
    if (e instanceof ApiError && (e.status === 404 || e.status === 403)) {
      notFound(e.status === 403 ? "You do not have access to this." : "Not found.");
    } else if (e instanceof ApiError && e.status === 401) {
      // onUnauthorized already moved us to /login
    } else {
      replace(main, h("section", { class: "empty" }, h("h1", null, "Something went wrong"),
        h("p", { class: "msg msg-error", role: "alert" }, e.message || String(e))));
    }
  }
  if (gen === generation && document.activeElement === document.body) main.focus({ preventScroll: true });
}

export function notFound(text) {
  setTitle("Not found");
  replace(main, h("section", { class: "empty", "data-test": "not-found" }, h("h1", null, "Not found"),
    h("p", null, text), h("p", null, h("a", { href: "/" }, "Back to your checks"))));
}

function renderHeader(m) {
  clear(top);
  const brand = h("a", { href: "/", class: "brand" },
    h("img", { src: "/static/favicon.svg", alt: "", width: "24", height: "24" }), "dogwatch");
  if (!state.session) {
    top.append(h("div", { class: "bar" }, brand));
    return;
  }
  const p = state.project;
  const list = projects();
  const nav = h("nav", { class: "nav", "aria-label": "Main" });
  const inProject = p && list.some((x) => x.uuid === p);
  if (inProject) {
    const link = (href, label, pages) =>
      h("a", { href, "aria-current": pages.includes(m.page) ? "page" : null }, label);
    nav.append(
      link(`/projects/${p}/`, "Checks", ["dashboard", "check", "editor"]),
      link(`/projects/${p}/integrations`, "Integrations", ["integrations"]),
      link(`/projects/${p}/settings`, "Settings", ["settings"]),
    );
  }
  let switcher = null;
  if (list.length > 1) {
    const sel = h("select", { "aria-label": "Project", class: "project-select" },
      list.map((x) => h("option", { value: x.uuid, selected: x.uuid === p }, x.name)));
    if (!inProject) sel.prepend(h("option", { value: "", selected: true }, "Choose a project…"));
    sel.addEventListener("change", () => sel.value && navigate(`/projects/${sel.value}/`));
    switcher = sel;
  } else if (list.length === 1) {
    switcher = h("span", { class: "project-name" }, list[0].name);
  }
  const logout = h("button", { type: "button", class: "btn btn-small btn-quiet" }, "Log out");
  logout.addEventListener("click", logOut);
  const user = h("div", { class: "user" },
    h("a", { href: "/account", "aria-current": m.page === "account" ? "page" : null, class: "account-link" },
      state.session.user.email),
    logout);
  top.append(h("div", { class: "bar" }, brand, switcher, nav, user));
}

export async function logOut() {
  try {
    await post("/api/ui/logout");
  } catch {
    // logged out already
  }
  setSession(null);
  navigate("/login");
}

// Updates the session (e.g. after login) and goes on to `next`.
export function loggedIn(session, next) {
  setSession(session);
  const safe = next && next.startsWith("/") && !next.startsWith("//") ? next : "/";
  navigate(safe, { replace: true });
}

export async function reloadSession() {
  setSession(await get("/api/ui/session", { quiet401: true }));
}

document.addEventListener("click", (e) => {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const a = e.target.closest("a[href]");
  if (!a || a.target || a.hasAttribute("download")) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || url.pathname.startsWith("/static/") ||
      url.pathname.startsWith("/api/") || url.pathname.startsWith("/b/") ||
      url.pathname.startsWith("/badge/") || url.pathname.startsWith("/ping/")) return;
  e.preventDefault();
  if (url.pathname + url.search !== location.pathname + location.search) navigate(url.pathname + url.search);
});
window.addEventListener("popstate", route);

state.onUnauthorized = () => {
  if (!state.session) return;
  setSession(null);
  navigate(`/login?next=${encodeURIComponent(location.pathname + location.search)}`, { replace: true });
};

async function boot() {
  try {
    setSession(await get("/api/ui/session", { quiet401: true }));
  } catch (e) {
    setSession(null);
    state.setupOpen = !!(e.body && e.body.setup);
    if (!(e instanceof ApiError) || e.status !== 401) {
      replace(main, h("p", { class: "msg msg-error", role: "alert" }, e.message));
      return;
    }
    if (state.setupOpen && location.pathname !== "/setup") {
      // No user yet: the log-in page says where to find the set-up link.
    }
  }
  route();
}

boot();
