// Channels: list with the last delivery result, add, edit, test and delete.
import { h, clear, replace, msg, field, checkbox, setTitle, confirmDialog } from "./dom.js";
import { get, post, del, canWrite, enc } from "./api.js";
import { KINDS, kindLabel, kindSpec } from "./kinds.js";
import { relTime, absTime } from "./format.js";

function headersToText(obj) {
  return Object.entries(obj || {}).map(([k, v]) => `${k}: ${v}`).join("\n");
}

function textToHeaders(text, label) {
  const out = {};
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    const i = line.indexOf(":");
    if (i <= 0) throw new Error(`${label}: write each header as "Name: value"`);
    out[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return out;
}

// The form for one kind; returns {el, value()} where value() builds the "value" object.
function kindFields(spec, value) {
  const inputs = [];
  const el = h("div", { class: "kindfields" });
  for (const f of spec.fields) {
    const cur = value && value[f.name] !== undefined ? value[f.name] : f.def;
    let input;
    if (f.type === "bool") {
      const cb = checkbox(f.label, cur === undefined ? true : !!cur);
      inputs.push({ f, get: () => cb.input.checked });
      el.append(h("div", { class: "field" }, cb.wrap));
      continue;
    }
    if (f.type === "choice") {
      input = h("select", null, f.choices.map((c) => h("option", { value: c, selected: c === cur }, c)));
    } else if (f.type === "script" || f.type === "headers") {
      input = h("textarea", { rows: f.type === "headers" ? "2" : "3", class: "mono", spellcheck: "false" });
      input.value = f.type === "headers" ? headersToText(cur) : cur || "";
    } else if (f.type === "int") {
      input = h("input", { type: "number", step: "1", min: f.min, max: f.max, value: cur === undefined || cur === null ? "" : String(cur), class: "num" });
    } else {
      input = h("input", {
        type: f.type === "url" ? "url" : "text",
        value: cur === undefined || cur === null ? "" : String(cur),
        autocomplete: "off", spellcheck: "false",
        class: f.type === "secret" || f.type === "url" ? "mono" : null,
      });
    }
    input.name = f.name;
    const help = [f.help, f.type === "secret" && value ? "Shown shortened; leave it as is to keep the stored secret." : null].filter(Boolean).join(" ");
    el.append(field(f.optional ? `${f.label} (optional)` : f.label, input, help || null));
    inputs.push({
      f,
      get: () => {
        if (f.type === "headers") return textToHeaders(input.value, f.label);
        if (f.type === "int") {
          if (input.value.trim() === "") return f.optional ? undefined : "";
          return Number(input.value);
        }
        if (f.type === "chatid") return input.value.trim();
        if (f.type === "script") return input.value;
        return input.value.trim();
      },
    });
  }
  return {
    el,
    value() {
      const v = {};
      for (const { f, get: g } of inputs) {
        const x = g();
        if (x !== undefined) v[f.name] = x;
      }
      return v;
    },
  };
}

export async function render({ main, params, alive }) {
  const [p] = params;
  setTitle("Integrations");
  const writable = canWrite();
  const list = h("div", { class: "channels" });
  const out = h("div", { class: "msg" });
  const formSlot = h("div");
  const addBtn = writable ? h("button", { type: "button", class: "btn btn-primary" }, "Add integration") : null;

  main.append(
    h("div", { class: "pagehead" }, h("h1", null, "Integrations"), addBtn),
    h("p", { class: "help" }, "Integrations (channels) are where alerts go. Attach them to checks in each check's editor; new checks get all of them."),
    out, formSlot, list);

  if (addBtn) addBtn.addEventListener("click", () => openForm(null, formSlot));

  // Add or edit form. ch: the full channel (GET /api/v3/channels/<id>) or null for a new one.
  function openForm(ch, slot, onDone) {
    clear(slot);
    const kindSel = h("select", { disabled: !!ch },
      KINDS.map((k) => h("option", { value: k.kind, selected: ch ? ch.kind === k.kind : k.kind === "webhook" }, k.label)));
    const name = h("input", { type: "text", value: ch ? ch.name : "", maxlength: "100", autocomplete: "off" });
    const fieldsSlot = h("div");
    const formOut = h("div", { class: "msg", "data-test": "channel-error" });
    let current = null;
    const showKind = () => {
      const spec = kindSpec(kindSel.value);
      current = kindFields(spec, ch && ch.kind === spec.kind ? ch.value : null);
      replace(fieldsSlot, current.el);
    };
    kindSel.addEventListener("change", showKind);
    showKind();
    const save = h("button", { type: "submit", class: "btn btn-primary" }, ch ? "Save" : "Add integration");
    const cancel = h("button", { type: "button", class: "btn" }, "Cancel");
    const form = h("form", { class: "card channel-form", novalidate: true, "aria-label": ch ? `Edit ${ch.name}` : "New integration" },
      h("h2", null, ch ? `Edit “${ch.name || kindLabel(ch.kind)}”` : "New integration"),
      field("Kind", kindSel),
      field("Name", name, "Shown in the check editor and in the list below."),
      fieldsSlot, formOut,
      h("div", { class: "actions" }, cancel, save));
    cancel.addEventListener("click", () => {
      clear(slot);
      if (onDone) onDone();
    });
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      msg(formOut);
      let body;
      try {
        body = { name: name.value.trim(), kind: kindSel.value, value: current.value() };
      } catch (err) {
        msg(formOut, err.message);
        return;
      }
      save.disabled = true;
      try {
        if (ch) {
          delete body.kind;
          await post(`/api/v3/channels/${enc(ch.id)}`, body);
        } else {
          await post("/api/v3/channels/", body);
        }
        clear(slot);
        msg(out, ch ? "Integration saved." : "Integration added.", "ok");
        await load();
      } catch (err) {
        msg(formOut, err.message);
      } finally {
        save.disabled = false;
      }
    });
    slot.append(form);
    (ch ? name : kindSel).focus();
  }

  function lastResult(ch) {
    if (!ch.last_notify) return h("span", { class: "muted" }, "No notifications sent yet.");
    const when = h("span", { title: absTime(ch.last_notify) }, relTime(ch.last_notify));
    if (ch.last_error) return h("span", { class: "bad" }, "✖ Last notification failed ", when, ": ", ch.last_error);
    return h("span", { class: "good" }, "● Last notification delivered ", when);
  }

  function card(ch) {
    const managed = ch.managed_by === "config";
    const result = h("div", { class: "msg", "data-test": "test-result" });
    const editSlot = h("div");
    const test = h("button", { type: "button", class: "btn" }, "Send test notification");
    const edit = h("button", { type: "button", class: "btn" }, "Edit");
    const remove = h("button", { type: "button", class: "btn btn-danger" }, "Delete");
    const el = h("article", { class: "card channel", "data-id": ch.id, "aria-label": ch.name || kindLabel(ch.kind) },
      h("div", { class: "channel-head" },
        h("div", null, h("h2", { class: "channel-name" }, ch.name || h("span", { class: "muted" }, "Unnamed")),
          h("span", { class: "kind" }, kindLabel(ch.kind))),
        writable ? h("div", { class: "actions" }, test, managed ? null : edit, managed ? null : remove) : null),
      managed ? h("p", { class: "note" }, "Defined in the config file; edit it there.") : null,
      h("p", { class: "last" }, lastResult(ch)),
      result, editSlot);
    test.addEventListener("click", async () => {
      test.disabled = true;
      msg(result, "Sending…", "info");
      try {
        const r = await post(`/api/v3/channels/${enc(ch.id)}/test`);
        if (r && r.ok) msg(result, "Test notification delivered.", "ok");
        else msg(result, `Test failed (${(r && r.result) || "error"}): ${(r && r.error) || "unknown error"}`);
      } catch (err) {
        msg(result, err.message);
      } finally {
        test.disabled = false;
      }
    });
    edit.addEventListener("click", () => openForm(ch, editSlot));
    remove.addEventListener("click", async () => {
      const ok = await confirmDialog({
        title: "Delete this integration?",
        text: `“${ch.name || kindLabel(ch.kind)}” will be removed from every check that uses it.`,
      });
      if (!ok) return;
      try {
        await del(`/api/v3/channels/${enc(ch.id)}`);
        msg(out, "Integration deleted.", "ok");
        await load();
      } catch (err) {
        msg(out, err.message);
      }
    });
    return el;
  }

  async function load() {
    const data = await get("/api/v3/channels/");
    const full = await Promise.all((data.channels || []).map((c) =>
      get(`/api/v3/channels/${enc(c.id)}`).catch(() => c)));
    if (!alive()) return;
    clear(list);
    if (!full.length) {
      list.append(h("div", { class: "empty" }, h("h2", null, "No integrations yet"),
        h("p", null, "Add one to be told when a check goes down: email, a webhook, Slack, Telegram, ntfy and more.")));
      return;
    }
    for (const ch of full) list.append(card(ch));
  }

  try {
    await load();
  } catch (e) {
    if (e.status === 403 || e.status === 401) {
      msg(out, e.status === 403 ? "Integrations need read-write access to this project." : e.message);
    } else throw e;
  }
}
