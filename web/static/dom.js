// DOM building without innerHTML: every string becomes a text node.

// h("a", {href: "/x", class: "btn", onclick: fn}, "text", child, [more]) -> element.
// Attributes: "class", "for", "data-*", "aria-*", booleans (true sets, false/null skips),
// "on<event>" functions become listeners. Children may be strings, numbers, nodes, arrays, null.
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith("on") && typeof v === "function") {
        el.addEventListener(k.slice(2), v);
      } else if (k === "value" && "value" in el) {
        el.value = v;
      } else if (k === "checked" || k === "disabled" || k === "selected" || k === "readOnly") {
        el[k] = !!v;
      } else {
        el.setAttribute(k, v === true ? "" : String(v));
      }
    }
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

// SVG elements need their namespace.
const SVG = "http://www.w3.org/2000/svg";
export function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v !== null && v !== undefined) el.setAttribute(k, String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

export function replace(el, ...children) {
  clear(el);
  return append(el, children);
}

// A message area: msg(el, "text", "error"|"ok"|"info"), msg(el) clears it.
export function msg(el, text, kind = "error") {
  clear(el);
  el.className = "msg" + (text ? " msg-" + kind : "");
  if (text) el.append(document.createTextNode(text));
  el.setAttribute("role", kind === "error" ? "alert" : "status");
}

let idCounter = 0;
export function uid(prefix = "f") {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

// A labelled form field: returns {wrap, input}. opts: {help, type, ...input attrs}.
export function field(label, input, help) {
  if (!input.id) input.id = uid();
  const wrap = h("div", { class: "field" }, h("label", { for: input.id }, label), input);
  if (help) {
    const hid = uid("help");
    input.setAttribute("aria-describedby", hid);
    wrap.append(h("p", { class: "help", id: hid }, help));
  }
  return wrap;
}

export function checkbox(label, checked, attrs = {}) {
  const input = h("input", { type: "checkbox", checked, ...attrs });
  return { input, wrap: h("label", { class: "check" }, input, " ", label) };
}

// Copies text; falls back to selecting a hidden textarea and execCommand("copy").
export async function copyText(text) {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through to the fallback
  }
  const ta = h("textarea", { class: "offscreen", readonly: true, "aria-hidden": "true" });
  ta.value = text;
  document.body.append(ta);
  ta.select();
  let ok = false;
  try {
    ok = document.execCommand("copy");
  } catch {
    ok = false;
  }
  ta.remove();
  return ok;
}

export function copyButton(getText, label = "Copy") {
  const btn = h("button", { type: "button", class: "btn btn-small" }, label);
  btn.addEventListener("click", async () => {
    const ok = await copyText(typeof getText === "function" ? getText() : getText);
    btn.textContent = ok ? "Copied" : "Press Ctrl+C";
    setTimeout(() => {
      btn.textContent = label;
    }, 1500);
  });
  return btn;
}

// A read-only text box with a copy button next to it.
export function copyField(label, value, attrs = {}) {
  const input = h("input", { type: "text", readonly: true, class: "mono", value, ...attrs });
  input.addEventListener("focus", () => input.select());
  const f = field(label, input);
  const row = h("div", { class: "copyrow" });
  input.replaceWith(row);
  row.append(input, copyButton(() => input.value));
  return f;
}

// A modal confirmation: resolves true when the user confirms. Uses a <dialog>.
export function confirmDialog({ title, text, confirm = "Delete", danger = true }) {
  return new Promise((resolve) => {
    const dlg = h("dialog", { class: "modal", "aria-labelledby": "dlg-title" });
    const ok = h("button", { type: "button", class: danger ? "btn btn-danger" : "btn btn-primary" }, confirm);
    const cancel = h("button", { type: "button", class: "btn" }, "Cancel");
    append(dlg, [h("h2", { id: "dlg-title" }, title), text ? h("p", null, text) : null,
      h("div", { class: "actions" }, cancel, ok)]);
    let answer = false;
    ok.addEventListener("click", () => {
      answer = true;
      dlg.close();
    });
    cancel.addEventListener("click", () => dlg.close());
    dlg.addEventListener("close", () => {
      dlg.remove();
      resolve(answer);
    });
    document.body.append(dlg);
    dlg.showModal();
    cancel.focus();
  });
}

// Tabs: [{label, content: Node}] -> element with role=tablist.
export function tabs(items, name = "tabs") {
  const list = h("div", { class: "tablist", role: "tablist", "aria-label": name });
  const panels = h("div", { class: "tabpanels" });
  const buttons = [];
  items.forEach((item, i) => {
    const id = uid("tab");
    const pid = uid("panel");
    const btn = h("button", { type: "button", role: "tab", id, "aria-controls": pid, class: "tab",
      "aria-selected": i === 0 ? "true" : "false", tabindex: i === 0 ? "0" : "-1" }, item.label);
    const panel = h("div", { role: "tabpanel", id: pid, "aria-labelledby": id, class: "tabpanel" }, item.content);
    panel.hidden = i !== 0;
    btn.addEventListener("click", () => select(i));
    btn.addEventListener("keydown", (e) => {
      if (e.key === "ArrowRight" || e.key === "ArrowLeft") {
        const n = (i + (e.key === "ArrowRight" ? 1 : items.length - 1)) % items.length;
        select(n);
        buttons[n].focus();
      }
    });
    buttons.push({ btn, panel });
    list.append(btn);
    panels.append(panel);
  });
  function select(n) {
    buttons.forEach(({ btn, panel }, j) => {
      btn.setAttribute("aria-selected", j === n ? "true" : "false");
      btn.tabIndex = j === n ? 0 : -1;
      panel.hidden = j !== n;
    });
  }
  return h("div", { class: "tabs" }, list, panels);
}

// Debounce: the function runs once `ms` after the last call.
export function debounce(fn, ms) {
  let t = null;
  return (...args) => {
    clearTimeout(t);
    t = setTimeout(() => fn(...args), ms);
  };
}

export function setTitle(...parts) {
  document.title = [...parts.filter(Boolean), "dogwatch"].join(" · ");
}
