// A project's checks: status, name, tags, schedule, last ping, last duration; filters and live
// refresh (the list is polled every 5 s and rows change in place).
import { h, clear, replace, msg, setTitle } from "./dom.js";
import { get, currentProject, canWrite } from "./api.js";
import { relTime, absTime, wholeSeconds, period, statusOf, tagsOf, checkId, STATUS } from "./format.js";
import { statusPill } from "./status.js";

const POLL_MS = 5000;

export function scheduleWords(c) {
  if (c.schedule_text) return c.schedule_text;
  if (c.schedule) return `${c.schedule} (${c.tz || "UTC"}), grace ${period(c.grace)}`;
  if (c.timeout) return `Every ${period(c.timeout)}, grace ${period(c.grace)}`;
  return "";
}

export async function render({ main, params, query, alive, onCleanup }) {
  const p = params[0];
  const project = currentProject();
  setTitle(project && project.name);
  const filters = {
    q: query.get("q") || "",
    status: query.get("status") || "",
    tags: new Set(query.getAll("tag")),
  };
  let checks = [];
  const rows = new Map(); // id -> {tr, sig}

  const search = h("input", { type: "search", placeholder: "Search checks", value: filters.q, "aria-label": "Search checks" });
  const statusSel = h("select", { "aria-label": "Filter by status" },
    h("option", { value: "" }, "All statuses"),
    ["up", "grace", "down", "paused", "new"].map((s) =>
      h("option", { value: s, selected: filters.status === s }, `${STATUS[s].icon} ${STATUS[s].label}`)));
  const tagBar = h("div", { class: "tagbar", role: "group", "aria-label": "Filter by tag" });
  const summary = h("p", { class: "summary", "aria-live": "polite" });
  const tbody = h("tbody");
  const table = h("table", { class: "checks" },
    h("thead", null, h("tr", null,
      h("th", { scope: "col", class: "col-status" }, h("span", { class: "sr-only" }, "Status")),
      h("th", { scope: "col" }, "Name"),
      h("th", { scope: "col" }, "Tags"),
      h("th", { scope: "col" }, "Schedule"),
      h("th", { scope: "col" }, "Last ping"),
      h("th", { scope: "col" }, "Duration"))),
    tbody);
  const empty = h("div", { class: "empty" });
  const err = h("div", { class: "msg" });
  const newBtn = canWrite() ? h("a", { href: `/projects/${p}/checks/new`, class: "btn btn-primary" }, "New check") : null;

  main.append(
    h("div", { class: "pagehead" }, h("h1", null, project ? project.name : "Checks"), newBtn),
    h("div", { class: "filters" }, search, statusSel),
    tagBar,
    err,
    summary,
    h("div", { class: "tablewrap" }, table),
    empty);

  function syncUrl() {
    const qs = new URLSearchParams();
    if (filters.q) qs.set("q", filters.q);
    if (filters.status) qs.set("status", filters.status);
    for (const t of filters.tags) qs.append("tag", t);
    const s = qs.toString();
    history.replaceState(null, "", location.pathname + (s ? `?${s}` : ""));
  }

  function toggleTag(t) {
    if (filters.tags.has(t)) filters.tags.delete(t);
    else filters.tags.add(t);
    syncUrl();
    draw();
  }

  search.addEventListener("input", () => {
    filters.q = search.value;
    syncUrl();
    draw();
  });
  statusSel.addEventListener("change", () => {
    filters.status = statusSel.value;
    syncUrl();
    draw();
  });

  function visible(c) {
    if (filters.status && c.status !== filters.status) return false;
    const tags = tagsOf(c);
    for (const t of filters.tags) if (!tags.includes(t)) return false;
    if (filters.q) {
      const q = filters.q.toLowerCase();
      const hay = [c.name, c.slug, c.tags, c.desc].join(" ").toLowerCase();
      if (!hay.includes(q)) return false;
    }
    return true;
  }

  function rowFor(c) {
    const id = checkId(c);
    const href = `/projects/${p}/checks/${encodeURIComponent(id)}`;
    const name = c.name || c.slug || (id ? `${id.slice(0, 8)}…` : "unnamed");
    const last = c.last_ping
      ? h("span", { title: absTime(c.last_ping) }, relTime(c.last_ping))
      : h("span", { class: "muted" }, "never");
    return h("tr", { "data-id": id, class: `row ${statusOf(c).cls}` },
      h("td", { class: "col-status", "data-label": "Status" }, statusPill(c)),
      h("td", { class: "col-name", "data-label": "Name" },
        h("a", { href, class: "checkname" }, name),
        c.desc ? h("div", { class: "desc" }, c.desc) : null),
      h("td", { class: "col-tags", "data-label": "Tags" },
        tagsOf(c).map((t) => h("button", {
          type: "button", class: filters.tags.has(t) ? "chip chip-on" : "chip",
          "aria-pressed": filters.tags.has(t) ? "true" : "false", title: `Filter by tag ${t}`,
          onclick: () => toggleTag(t),
        }, t))),
      h("td", { class: "col-schedule", "data-label": "Schedule" }, scheduleWords(c)),
      h("td", { class: "col-last", "data-label": "Last ping" }, last,
        c.started && c.status !== "paused" ? h("span", { class: "running" }, " running") : null),
      h("td", { class: "col-duration", "data-label": "Duration" },
        c.last_duration !== undefined && c.last_duration !== null ? wholeSeconds(c.last_duration) : h("span", { class: "muted" }, "–")));
  }

  function drawTags() {
    const all = new Set();
    for (const c of checks) for (const t of tagsOf(c)) all.add(t);
    for (const t of filters.tags) all.add(t);
    const sorted = [...all].sort();
    const sig = JSON.stringify([sorted, [...filters.tags]]);
    if (tagBar.dataset.sig === sig) return;
    tagBar.dataset.sig = sig;
    clear(tagBar);
    if (!sorted.length) return;
    tagBar.append(h("span", { class: "muted" }, "Tags:"));
    for (const t of sorted) {
      tagBar.append(h("button", {
        type: "button", class: filters.tags.has(t) ? "chip chip-on" : "chip",
        "aria-pressed": filters.tags.has(t) ? "true" : "false", onclick: () => toggleTag(t),
      }, t));
    }
  }

  function draw() {
    drawTags();
    const shown = checks.filter(visible);
    const seen = new Set();
    shown.forEach((c, i) => {
      const id = checkId(c);
      seen.add(id);
      const sig = JSON.stringify([c, relTime(c.last_ping), [...filters.tags]]);
      let r = rows.get(id);
      if (!r || r.sig !== sig) {
        const tr = rowFor(c);
        if (r) r.tr.replaceWith(tr);
        r = { tr, sig };
        rows.set(id, r);
      }
      if (tbody.children[i] !== r.tr) tbody.insertBefore(r.tr, tbody.children[i] || null);
    });
    for (const [id, r] of rows) {
      if (!seen.has(id)) {
        r.tr.remove();
        rows.delete(id);
      }
    }
    const counts = {};
    for (const c of checks) counts[c.status] = (counts[c.status] || 0) + 1;
    replace(summary, checks.length
      ? ["up", "grace", "down", "paused", "new"].filter((s) => counts[s])
        .map((s) => `${counts[s]} ${STATUS[s].label.toLowerCase()}`).join(" · ")
      : "");
    table.hidden = shown.length === 0;
    clear(empty);
    if (!checks.length) {
      empty.append(h("h2", null, "No checks yet"),
        h("p", null, "A check watches one job: the job pings its URL when it runs, and dogwatch tells you when a ping is late."),
        canWrite() ? h("p", null, h("a", { href: `/projects/${p}/checks/new`, class: "btn btn-primary" }, "No checks yet — create one")) : null);
    } else if (!shown.length) {
      empty.append(h("p", null, "No checks match these filters."));
    }
  }

  async function load() {
    try {
      const data = await get("/api/v3/checks/");
      if (!alive()) return;
      checks = data.checks || [];
      msg(err);
      draw();
    } catch (e) {
      if (!alive()) return;
      if (e.status === 401) return;
      msg(err, `Could not refresh: ${e.message}`);
    }
  }

  await load();
  let timer = null;
  const tick = async () => {
    if (!document.hidden) await load();
    if (alive()) timer = setTimeout(tick, POLL_MS);
  };
  timer = setTimeout(tick, POLL_MS);
  onCleanup(() => clearTimeout(timer));
}
