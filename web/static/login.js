// Log in.
import { h, field, msg, setTitle } from "./dom.js";
import { post, state } from "./api.js";
import { loggedIn } from "./app.js";

export function render({ main, query }) {
  setTitle("Log in");
  const email = h("input", { type: "email", name: "email", autocomplete: "username", required: true });
  const password = h("input", { type: "password", name: "password", autocomplete: "current-password", required: true });
  const out = h("div", { class: "msg" });
  const submit = h("button", { type: "submit", class: "btn btn-primary" }, "Log in");
  const form = h("form", { class: "card narrow", novalidate: true },
    h("h1", null, "Log in to dogwatch"),
    field("Email", email),
    field("Password", password),
    out,
    h("div", { class: "actions" }, submit));
  if (state.setupOpen) {
    form.append(h("p", { class: "help" },
      "No user exists yet. Open the one-time set-up link that dogwatch wrote to its log at start " +
      "(look for setup_url=…), or create a user with: dogwatch user add EMAIL"));
  }
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    msg(out);
    if (!email.value || !password.value) {
      msg(out, "Enter your email and password.");
      return;
    }
    submit.disabled = true;
    try {
      const s = await post("/api/ui/login", { email: email.value.trim(), password: password.value }, { quiet401: true });
      loggedIn(s, query.get("next"));
    } catch (err) {
      msg(out, err.message);
      password.select();
    } finally {
      submit.disabled = false;
    }
  });
  main.append(h("section", { class: "auth" }, form));
  email.focus();
}
