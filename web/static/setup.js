// First-run set-up: the first user and their first project.
import { h, field, msg, setTitle } from "./dom.js";
import { post } from "./api.js";
import { loggedIn } from "./app.js";

export function render({ main, query }) {
  setTitle("Set up");
  const token = query.get("token") || "";
  const email = h("input", { type: "email", name: "email", autocomplete: "username", required: true });
  const password = h("input", { type: "password", name: "password", autocomplete: "new-password", required: true, minlength: "10" });
  const project = h("input", { type: "text", name: "project", required: true, value: "My project", maxlength: "100" });
  const out = h("div", { class: "msg" });
  const submit = h("button", { type: "submit", class: "btn btn-primary" }, "Create account");
  const form = h("form", { class: "card narrow", novalidate: true },
    h("h1", null, "Welcome to dogwatch"),
    h("p", null, "Create the first user and project. This link works once."),
    field("Email", email),
    field("Password", password, "At least 10 characters."),
    field("Project name", project, "Checks live in projects; you can add more later with dogwatch project add."),
    out,
    h("div", { class: "actions" }, submit));
  if (!token) msg(out, "This set-up link has no token. Copy the whole setup_url from the server log.");
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    msg(out);
    if (password.value.length < 10) {
      msg(out, "password: use at least 10 characters");
      password.focus();
      return;
    }
    submit.disabled = true;
    try {
      const s = await post("/api/ui/setup", {
        token, email: email.value.trim(), password: password.value, project: project.value.trim(),
      }, { quiet401: true });
      loggedIn(s, "/");
    } catch (err) {
      msg(out, err.message);
    } finally {
      submit.disabled = false;
    }
  });
  main.append(h("section", { class: "auth" }, form));
  email.focus();
}
