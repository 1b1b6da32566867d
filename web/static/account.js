// Account: change password, log out.
import { h, field, msg, setTitle } from "./dom.js";
import { post, state, projects } from "./api.js";
import { logOut } from "./app.js";

export function render({ main }) {
  setTitle("Account");
  const current = h("input", { type: "password", autocomplete: "current-password", required: true });
  const next = h("input", { type: "password", autocomplete: "new-password", required: true, minlength: "10" });
  const again = h("input", { type: "password", autocomplete: "new-password", required: true });
  const out = h("div", { class: "msg" });
  const save = h("button", { type: "submit", class: "btn btn-primary" }, "Change password");
  const form = h("form", { class: "card narrow", novalidate: true },
    h("h2", null, "Change password"),
    field("Current password", current),
    field("New password", next, "At least 10 characters. Your other sessions will be logged out."),
    field("New password again", again),
    out,
    h("div", { class: "actions" }, save));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    msg(out);
    if (next.value !== again.value) {
      msg(out, "The new passwords differ.");
      again.focus();
      return;
    }
    save.disabled = true;
    try {
      await post("/api/ui/password", { current: current.value, new: next.value });
      current.value = "";
      next.value = "";
      again.value = "";
      msg(out, "Password changed.", "ok");
    } catch (err) {
      msg(out, err.message);
    } finally {
      save.disabled = false;
    }
  });
  const logout = h("button", { type: "button", class: "btn" }, "Log out");
  logout.addEventListener("click", logOut);
  main.append(
    h("div", { class: "pagehead" }, h("h1", null, "Account")),
    h("section", { class: "card narrow" },
      h("p", null, "Logged in as ", h("strong", null, state.session.user.email)),
      h("p", null, "Projects: ", projects().map((x) => `${x.name}${x.role === "r" ? " (read-only)" : ""}`).join(", ") || "none"),
      h("div", { class: "actions" }, logout)),
    form);
}
