// One check: its ping URL and snippets, details and uptime, a run-time chart, the event log with
// expandable bodies, and the status history. Pause, resume and delete. Refreshes every 5 s.
import { h, clear, replace, msg, setTitle, copyField, confirmDialog } from "./dom.js";
import { get, post, del, canWrite, enc } from "./api.js";
import { relTime, absTime, duration, wholeSeconds, percent, tagsOf, checkId, PING_KINDS } from "./format.js";
import { statusPill } from "./status.js";
import { snippets } from "./snippets.js";
import { durationChart } from "./chart.js";
import { scheduleWords } from "./dashboard.js";

const POLL_MS = 5000;

export async function render({ main, params, navigate, alive, onCleanup }) {
  const [p, id] = params;
  const api = `/api/v3/checks/${enc(id)}`;
  let check = await get(api); // a 403/404 here shows "not found"
  if (!alive()) return;
  const writable = canWrite() && !!check.uuid;

  const title = h("h1", { class: "checktitle" });
  const pill = h("span");
  const desc = h("div", { class: "desc" });
  const out = h("div", { class: "msg" });
  const actions = h("div", { class: "actions" });
  const details = h("dl", { class: "details" });
  const uptime = h("dl", { class: "uptime" });
  const chart = h("div");
  const logBody = h("tbody");
  const logEmpty = h("p", { class: "muted" });
  const flipsList = h("ol", { class: "flips" });
  const pingRows = new Map(); // n -> tr

  const pauseBtn = h("button", { type: "button", class: "btn" });
  const deleteBtn = h("button", { type: "button", class: "btn btn-danger" }, "Delete");
  if (writable) {
    actions.append(h("a", { class: "btn", href: `/projects/${p}/checks/${enc(id)}/edit` }, check.managed ? "View settings" : "Edit"),
      pauseBtn, deleteBtn);
  }

  main.append(
    h("p", { class: "crumbs" }, h("a", { href: `/projects/${p}/` }, "← All checks")),
    h("div", { class: "pagehead" }, h("div", { class: "titlewrap" }, pill, title), actions),
    desc,
    out,
    h("div", { class: "grid2" },
      h("section", { class: "card" }, h("h2", null, "How to ping"),
        check.ping_url ? copyField("Ping URL", check.ping_url, { "data-test": "ping-url" }) : h("p", { class: "muted" }, "Read-only access: the ping URL is hidden."),
        h("div", { "data-test": "slug-url" }),
        check.ping_url ? snippets(check) : null),
      h("section", { class: "card" }, h("h2", null, "Details"), details,
        h("h3", null, "Uptime"), uptime)),
    h("section", { class: "card" }, h("h2", null, "Run time"), chart),
    h("section", { class: "card" }, h("h2", null, "Events"),
      h("div", { class: "tablewrap" }, h("table", { class: "events" },
        h("thead", null, h("tr", null,
          h("th", { scope: "col" }, "Event"), h("th", { scope: "col" }, "Time"),
          h("th", { scope: "col" }, "Source"), h("th", { scope: "col" }, "User agent"),
          h("th", { scope: "col" }, "Exit status"), h("th", { scope: "col" }, "Duration"),
          h("th", { scope: "col" }, h("span", { class: "sr-only" }, "Body")))),
        logBody)),
      logEmpty),
    h("section", { class: "card" }, h("h2", null, "Status history"), flipsList));

  // The slug URL, when the project's ping key is known.
  if (check.slug && check.ping_url) {
    get(`/api/ui/projects/${enc(p)}`).then((proj) => {
      if (!alive() || !proj || !proj.ping_url) return;
      const slot = main.querySelector("[data-test=slug-url]");
      if (slot) slot.append(copyField("Ping URL by slug", `${proj.ping_url}/${check.slug}`));
    }).catch(() => {});
  }

  pauseBtn.addEventListener("click", async () => {
    msg(out);
    pauseBtn.disabled = true;
    try {
      check = await post(`${api}/${check.status === "paused" ? "resume" : "pause"}`);
      drawCheck();
      refresh();
    } catch (e) {
      msg(out, e.message);
    } finally {
      pauseBtn.disabled = false;
    }
  });
  deleteBtn.addEventListener("click", async () => {
    const ok = await confirmDialog({
      title: "Delete this check?",
      text: `“${check.name || check.slug || check.uuid}” and all its pings and history will be deleted. Jobs that still ping its URL will get 404.`,
    });
    if (!ok) return;
    try {
      await del(api);
      navigate(`/projects/${p}/`);
    } catch (e) {
      msg(out, e.message);
    }
  });

  function drawCheck() {
    setTitle(check.name || check.slug || "Check");
    replace(title, check.name || check.slug || h("span", { class: "muted" }, "Unnamed check"));
    replace(pill, statusPill(check));
    clear(desc);
    if (check.desc) desc.append(h("p", null, check.desc));
    const tags = tagsOf(check);
    if (tags.length) desc.append(h("p", { class: "chips" }, tags.map((t) => h("span", { class: "chip" }, t))));
    if (check.managed) desc.append(h("p", { class: "note" }, "This check is managed by the config file: change it there."));
    pauseBtn.textContent = check.status === "paused" ? "Resume" : "Pause";
    deleteBtn.hidden = !!check.managed;
    const item = (k, v) => [h("dt", null, k), h("dd", null, v)];
    replace(details,
      item("Schedule", scheduleWords(check)),
      item("Last ping", check.last_ping ? h("span", { title: absTime(check.last_ping) }, relTime(check.last_ping)) : "never"),
      item("Next ping due", check.next_ping ? h("span", { title: absTime(check.next_ping) }, relTime(check.next_ping)) : "–"),
      check.last_duration !== undefined ? item("Last run took", wholeSeconds(check.last_duration)) : null,
      item("Total pings", String(check.n_pings ?? 0)),
      item("Accepts", check.methods === "POST" ? "POST only" : "any method"),
      item("Slug", check.slug || "–"));
  }

  function pingRow(ping) {
    const k = PING_KINDS[ping.type] || { label: ping.type, cls: "", icon: "?" };
    let label = k.label;
    if (ping.exit_status !== undefined && ping.exit_status !== null) label = `${label} (exit ${ping.exit_status})`;
    const tr = h("tr", { "data-n": ping.n },
      h("td", { "data-label": "Event" }, h("span", { class: `status ${k.cls}` },
        h("span", { class: "status-icon", "aria-hidden": "true" }, k.icon), h("span", { class: "status-label" }, label)),
        h("span", { class: "muted" }, ` #${ping.n}`)),
      h("td", { "data-label": "Time", title: relTime(ping.date) }, absTime(ping.date)),
      h("td", { "data-label": "Source" }, [ (ping.scheme || "").toUpperCase(), ping.method, ping.remote_addr ? `from ${ping.remote_addr}` : "" ].filter(Boolean).join(" ")),
      h("td", { "data-label": "User agent", class: "ua" }, ping.ua || ""),
      ping.exit_status !== undefined && ping.exit_status !== null
        ? h("td", { "data-label": "Exit status" }, String(ping.exit_status))
        : h("td", { "data-label": "Exit status", class: "na" }, h("span", { class: "muted" }, "–")),
      typeof ping.duration === "number"
        ? h("td", { "data-label": "Duration" }, duration(ping.duration))
        : h("td", { "data-label": "Duration", class: "na" }, h("span", { class: "muted" }, "–")),
      h("td", { "data-label": "Body" }));
    if (ping.body_url) {
      const btn = h("button", { type: "button", class: "btn btn-small", "aria-expanded": "false" }, "Show body");
      let bodyRow = null;
      btn.addEventListener("click", async () => {
        if (bodyRow) {
          bodyRow.hidden = !bodyRow.hidden;
          btn.setAttribute("aria-expanded", bodyRow.hidden ? "false" : "true");
          btn.textContent = bodyRow.hidden ? "Show body" : "Hide body";
          return;
        }
        btn.disabled = true;
        const pre = h("pre", { class: "body", "data-test": "ping-body" });
        bodyRow = h("tr", { class: "bodyrow" }, h("td", { colspan: "7" }, pre));
        try {
          pre.textContent = await get(`${api}/pings/${ping.n}/body`, { text: true });
        } catch (e) {
          pre.textContent = `Could not load the body: ${e.message}`;
        }
        tr.after(bodyRow);
        tr.bodyRow = bodyRow;
        btn.disabled = false;
        btn.setAttribute("aria-expanded", "true");
        btn.textContent = "Hide body";
      });
      tr.lastChild.append(btn);
    }
    return tr;
  }

  function drawPings(pings) {
    const keep = new Set(pings.map((x) => x.n));
    for (const [n, tr] of pingRows) {
      if (!keep.has(n)) {
        if (tr.bodyRow) tr.bodyRow.remove();
        tr.remove();
        pingRows.delete(n);
      }
    }
    // Newest first: new pings go on top, in order.
    let anchor = logBody.firstChild;
    for (const ping of pings) {
      let tr = pingRows.get(ping.n);
      if (!tr) {
        tr = pingRow(ping);
        pingRows.set(ping.n, tr);
        logBody.insertBefore(tr, anchor);
      } else {
        anchor = (tr.bodyRow || tr).nextSibling;
      }
    }
    logEmpty.textContent = pings.length ? "" : "No pings yet. Run the job, or try: curl " + (check.ping_url || "");
    replace(chart, durationChart(pings, chart.clientWidth || 600));
  }

  function drawFlips(flips) {
    clear(flipsList);
    if (!flips.length) {
      flipsList.append(h("li", { class: "muted" }, "No status changes yet."));
      return;
    }
    for (const f of flips.slice(0, 50)) {
      const to = f.status || (f.up ? "up" : "down");
      flipsList.append(h("li", null,
        statusPill({ status: to }),
        h("time", { datetime: f.timestamp, title: relTime(f.timestamp) }, absTime(f.timestamp)),
        f.reason ? h("span", { class: "muted" }, ` ${f.reason}`) : null));
    }
  }

  function drawUptime(u) {
    replace(uptime, ["7", "30", "90"].map((d) => h("div", { class: "uptime-item" },
      h("dt", null, `${d} days`), h("dd", null, u && u[d] !== undefined ? percent(u[d]) : "–"))));
  }

  async function refresh() {
    const tasks = [
      get(api).then((c) => { check = c; drawCheck(); }),
      writable ? get(`${api}/pings/`).then((d) => drawPings(d.pings || [])) : Promise.resolve(drawPings([])),
      get(`${api}/flips/`).then((d) => drawFlips(Array.isArray(d) ? d : d.flips || [])),
      get(`/api/ui/projects/${enc(p)}/checks/${enc(checkId(check))}/uptime`).then(drawUptime).catch(() => drawUptime(null)),
    ];
    const results = await Promise.allSettled(tasks);
    if (!alive()) return;
    const failed = results.find((r) => r.status === "rejected");
    if (failed && failed.reason && failed.reason.status !== 401) {
      if (failed.reason.status === 404) msg(out, "This check no longer exists.");
      else msg(out, `Could not refresh: ${failed.reason.message}`);
    } else if (out.classList.contains("msg-error") && out.textContent.startsWith("Could not refresh")) {
      msg(out);
    }
  }

  drawCheck();
  await refresh();
  let timer = null;
  const tick = async () => {
    if (!document.hidden && alive()) await refresh();
    if (alive()) timer = setTimeout(tick, POLL_MS);
  };
  timer = setTimeout(tick, POLL_MS);
  onCleanup(() => clearTimeout(timer));
}
