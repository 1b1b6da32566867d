// Status pills: a shape and a colour, and the word for screen readers (and on hover).
import { h } from "./dom.js";
import { statusOf, STATUS } from "./format.js";

export function statusPill(check, { text = true } = {}) {
  const st = check.status === "up" && check.started ? { ...statusOf(check), label: "Up, running" } : statusOf(check);
  return h("span", { class: `status ${st.cls}`, title: st.label, "data-status": check.status },
    h("span", { class: "status-icon", "aria-hidden": "true" }, st.icon),
    text ? h("span", { class: "status-label" }, st.label) : h("span", { class: "sr-only" }, st.label));
}

export function statusIcon(name) {
  const st = STATUS[name] || STATUS.new;
  return h("span", { class: `status ${st.cls}`, title: st.label },
    h("span", { class: "status-icon", "aria-hidden": "true" }, st.icon),
    h("span", { class: "status-label" }, st.label));
}
