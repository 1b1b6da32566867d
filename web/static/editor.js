// The check editor (new and edit): name, slug, tags, description, schedule with a live preview,
// channels, allowed methods and keyword filters. Saves through the v3 API.
import { h, field, checkbox, msg, clear, replace, setTitle, debounce, uid } from "./dom.js";
import { get, post, canWrite, enc } from "./api.js";
import { relTime, zonedTime } from "./format.js";

const UNITS = [["seconds", 1], ["minutes", 60], ["hours", 3600], ["days", 86400], ["weeks", 604800]];

// A duration as a number and a unit select; value() is whole seconds.
function durationInput(label, secs, help) {
  let unit = 1;
  for (const [, n] of UNITS) if (secs >= n && secs % n === 0) unit = n;
  const num = h("input", { type: "number", min: "1", step: "1", value: String(secs / unit), class: "num", inputmode: "numeric" });
  const sel = h("select", { "aria-label": `${label} unit` }, UNITS.map(([name, n]) => h("option", { value: String(n), selected: n === unit }, name)));
  const f = field(label, num, help);
  const row = h("div", { class: "inline" });
  num.replaceWith(row);
  row.append(num, sel);
  return {
    wrap: f, num, sel,
    value: () => Math.round(Number(num.value) * Number(sel.value)),
  };
}

function timezones() {
  try {
    return Intl.supportedValuesOf("timeZone");
  } catch {
    return ["UTC"];
  }
}

export async function render({ main, params, navigate, alive }) {
  const [p, id] = params;
  const isNew = !id;
  const [check, channelsData] = await Promise.all([
    isNew ? Promise.resolve(null) : get(`/api/v3/checks/${enc(id)}`),
    get("/api/v3/channels/").catch(() => ({ channels: [] })),
  ]);
  if (!alive()) return;
  const c = check || { name: "", slug: "", tags: "", desc: "", timeout: 86400, grace: 3600, methods: "", channels: "*",
    start_kw: "", success_kw: "", failure_kw: "", filter_subject: false, filter_body: false, filter_http_body: false, filter_default_fail: false };
  const readOnly = !!c.managed || !canWrite() || (!isNew && !c.uuid);
  const channels = channelsData.channels || [];
  setTitle(isNew ? "New check" : `Edit ${c.name || c.slug || "check"}`);

  const name = h("input", { type: "text", value: c.name, maxlength: "100", autocomplete: "off" });
  const slug = h("input", { type: "text", value: c.slug, maxlength: "100", pattern: "[a-z0-9_-]*", autocomplete: "off", class: "mono" });
  const tags = h("input", { type: "text", value: c.tags, autocomplete: "off" });
  const desc = h("textarea", { rows: "3" });
  desc.value = c.desc || "";

  const initialKind = c.schedule ? (c.schedule.trim().split(/\s+/).length === 5 && !c.schedule.includes("\n") ? "cron" : "oncalendar") : "simple";
  const kindName = uid("kind");
  const kinds = [["simple", "Simple: every period"], ["cron", "Cron expression"], ["oncalendar", "systemd OnCalendar"]];
  const kindRadios = kinds.map(([v, label]) => {
    const input = h("input", { type: "radio", name: kindName, value: v, checked: v === initialKind });
    return { v, input, wrap: h("label", { class: "check" }, input, " ", label) };
  });
  const period = durationInput("Period", c.timeout || 86400, "How often the job runs.");
  const cronExpr = h("input", { type: "text", class: "mono", value: initialKind === "cron" ? c.schedule : "0 3 * * *", autocomplete: "off", spellcheck: "false" });
  const calExpr = h("textarea", { class: "mono", rows: "2", spellcheck: "false" });
  calExpr.value = initialKind === "oncalendar" ? c.schedule : "*-*-* 03:00:00";
  const tzList = uid("tzlist");
  const tz = h("input", { type: "text", value: c.tz || "UTC", list: tzList, autocomplete: "off" });
  const tzData = h("datalist", { id: tzList }, timezones().map((z) => h("option", { value: z })));
  const grace = durationInput("Grace time", c.grace || 3600, "How long to wait after a ping is due before alerting.");

  const simpleBox = h("div", null, period.wrap);
  const cronBox = h("div", null, field("Cron expression", cronExpr, "Five fields: minute, hour, day of month, month, day of week. E.g. 0 3 * * 1-5"));
  const calBox = h("div", null, field("OnCalendar expression", calExpr, "As in systemd timers, one per line. E.g. Mon..Fri *-*-* 03:00:00"));
  const tzBox = h("div", null, field("Time zone", tz, "An IANA time zone such as Europe/Berlin."), tzData);
  const preview = h("div", { class: "preview", "aria-live": "polite", "data-test": "schedule-preview" });

  const chanBoxes = channels.map((ch) => {
    const on = c.channels === "*" || (c.channels || "").split(",").map((x) => x.trim()).includes(ch.id);
    const cb = checkbox(h("span", null, ch.name || ch.kind, " ", h("span", { class: "muted" }, `(${ch.kind})`)), on, { value: ch.id });
    return { id: ch.id, ...cb };
  });
  const methods = h("select", null,
    h("option", { value: "", selected: c.methods !== "POST" }, "Any method (GET, POST, HEAD, …)"),
    h("option", { value: "POST", selected: c.methods === "POST" }, "POST only (GET pings are ignored)"));
  const startKw = h("input", { type: "text", value: c.start_kw || "", maxlength: "200" });
  const successKw = h("input", { type: "text", value: c.success_kw || "", maxlength: "200" });
  const failureKw = h("input", { type: "text", value: c.failure_kw || "", maxlength: "200" });
  const fHttp = checkbox("Filter HTTP request bodies", !!c.filter_http_body);
  const fSubject = checkbox("Filter email subjects", !!c.filter_subject);
  const fBody = checkbox("Filter email bodies", !!c.filter_body);
  const fDefault = checkbox("When no keyword matches, treat the ping as a failure (instead of ignoring it)", !!c.filter_default_fail);

  const out = h("div", { class: "msg", "data-test": "form-error" });
  const save = h("button", { type: "submit", class: "btn btn-primary" }, isNew ? "Create check" : "Save changes");
  const cancel = h("a", { class: "btn", href: isNew ? `/projects/${p}/` : `/projects/${p}/checks/${enc(id)}` }, "Cancel");

  const fs = h("fieldset", { class: "plain", disabled: readOnly },
    h("section", { class: "card" }, h("h2", null, "Name"),
      field("Name", name, "Shown in the dashboard and in alerts."),
      field("Slug", slug, "For ping URLs by project ping key and slug: lower-case letters, digits, - and _."),
      field("Tags", tags, "Space-separated, e.g. prod backup."),
      field("Description", desc)),
    h("section", { class: "card" }, h("h2", null, "Schedule"),
      h("fieldset", { class: "radios" }, h("legend", null, "Schedule kind"), kindRadios.map((r) => r.wrap)),
      simpleBox, cronBox, calBox, tzBox, grace.wrap,
      h("h3", null, "Next 5 expected pings"), preview),
    h("section", { class: "card" }, h("h2", null, "Notify"),
      channels.length
        ? h("fieldset", { class: "checks-list" }, h("legend", null, "Channels to alert"), chanBoxes.map((b) => b.wrap))
        : h("p", { class: "muted" }, "No integrations yet. ", h("a", { href: `/projects/${p}/integrations` }, "Add one"), " to get alerts.")),
    h("section", { class: "card" }, h("h2", null, "Filtering"),
      field("Accepted HTTP methods", methods),
      h("p", { class: "help" }, "Keywords are comma-separated. A failure keyword wins over success, success over start."),
      field("Start keywords", startKw),
      field("Success keywords", successKw),
      field("Failure keywords", failureKw),
      h("div", { class: "checks-list" }, fHttp.wrap, fSubject.wrap, fBody.wrap, fDefault.wrap)));

  const form = h("form", { class: "editor", novalidate: true },
    h("p", { class: "crumbs" }, h("a", { href: isNew ? `/projects/${p}/` : `/projects/${p}/checks/${enc(id)}` }, isNew ? "← All checks" : "← Back to the check")),
    h("h1", null, isNew ? "New check" : `Edit “${c.name || c.slug || "check"}”`),
    c.managed ? h("p", { class: "note" }, "This check is managed by the config file: it is shown read-only here. Change it in the config file and reload dogwatch.") : null,
    !c.managed && readOnly ? h("p", { class: "note" }, "You have read-only access to this project.") : null,
    fs,
    out,
    readOnly ? h("div", { class: "actions" }, cancel) : h("div", { class: "actions sticky" }, cancel, save));

  function kind() {
    return kindRadios.find((r) => r.input.checked).v;
  }
  function showKind() {
    const k = kind();
    simpleBox.hidden = k !== "simple";
    cronBox.hidden = k !== "cron";
    calBox.hidden = k !== "oncalendar";
    tzBox.hidden = k === "simple";
  }
  const expr = () => (kind() === "cron" ? cronExpr.value.trim() : calExpr.value.trim());

  let seq = 0;
  async function updatePreview() {
    const mine = ++seq;
    const body = { kind: kind(), schedule: kind() === "simple" ? "" : expr(), tz: tz.value.trim() || "UTC", timeout: period.value(), grace: grace.value() };
    try {
      const r = await post("/api/ui/schedule", body);
      if (mine !== seq || !alive()) return;
      preview.classList.remove("invalid");
      replace(preview,
        r.text ? h("p", { class: "schedule-text" }, r.text) : null,
        !(r.next || []).length && kind() === "simple" ? h("p", { class: "muted" }, "Each ping is due one period after the previous one.") : null,
        h("ol", { class: "next-runs" }, (r.next || []).map((t) =>
          h("li", null, h("time", { datetime: t }, zonedTime(t, kind() === "simple" ? "" : tz.value.trim())),
            h("span", { class: "muted" }, ` ${relTime(t)} · ${t.replace("T", " ").replace(/(\.\d+)?(Z|[+]00:00)$/, " UTC")}`)))));
    } catch (e) {
      if (mine !== seq || !alive()) return;
      preview.classList.add("invalid");
      replace(preview, h("p", { class: "msg msg-error", role: "alert", "data-test": "schedule-error" }, e.message));
    }
  }
  const schedulePreview = debounce(updatePreview, 300);
  for (const r of kindRadios) r.input.addEventListener("change", () => { showKind(); schedulePreview(); });
  for (const el of [cronExpr, calExpr, tz, period.num, period.sel, grace.num, grace.sel]) {
    el.addEventListener("input", schedulePreview);
    el.addEventListener("change", schedulePreview);
  }
  showKind();
  updatePreview();

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (readOnly) return;
    msg(out);
    const body = {
      name: name.value.trim(),
      slug: slug.value.trim(),
      tags: tags.value.trim().split(/\s+/).filter(Boolean).join(" "),
      desc: desc.value,
      grace: grace.value(),
      methods: methods.value,
      start_kw: startKw.value.trim(),
      success_kw: successKw.value.trim(),
      failure_kw: failureKw.value.trim(),
      filter_http_body: fHttp.input.checked,
      filter_subject: fSubject.input.checked,
      filter_body: fBody.input.checked,
      filter_default_fail: fDefault.input.checked,
    };
    if (kind() === "simple") body.timeout = period.value();
    else {
      body.schedule = expr();
      body.tz = tz.value.trim() || "UTC";
    }
    if (chanBoxes.length) {
      body.channels = chanBoxes.filter((b) => b.input.checked).map((b) => b.id).join(",");
    }
    save.disabled = true;
    try {
      const saved = isNew ? await post("/api/v3/checks/", body) : await post(`/api/v3/checks/${enc(id)}`, body);
      navigate(`/projects/${p}/checks/${enc(saved.uuid || id)}`);
    } catch (err) {
      msg(out, err.message);
      out.scrollIntoView({ block: "nearest" });
    } finally {
      save.disabled = false;
    }
  });

  main.append(form);
  if (isNew) name.focus();
}
