// Project settings: API keys (create, shown once; revoke), the ping key, badges.
import { h, clear, msg, field, checkbox, setTitle, copyField, confirmDialog } from "./dom.js";
import { get, post, del, canWrite, enc } from "./api.js";
import { relTime, absTime } from "./format.js";

// Same-origin path for showing an image under img-src 'self', whatever base_url says.
function localPath(url) {
  try {
    const u = new URL(url, location.href);
    return u.pathname + u.search;
  } catch {
    return url;
  }
}

export async function render({ main, params, alive }) {
  const [p] = params;
  setTitle("Settings");
  const proj = await get(`/api/ui/projects/${enc(p)}`);
  if (!alive()) return;
  const writable = canWrite() && proj.role !== "r";

  const keysOut = h("div", { class: "msg" });
  const newKeySlot = h("div");
  const keysBody = h("tbody");
  const keysTable = h("table", { class: "keys" },
    h("thead", null, h("tr", null, h("th", { scope: "col" }, "Name"), h("th", { scope: "col" }, "Key"),
      h("th", { scope: "col" }, "Access"), h("th", { scope: "col" }, "Created"), h("th", { scope: "col" }, "Last used"),
      h("th", { scope: "col" }, h("span", { class: "sr-only" }, "Actions")))),
    keysBody);
  const keysEmpty = h("p", { class: "muted" });

  function drawKeys(keys) {
    clear(keysBody);
    keysTable.hidden = !keys.length;
    keysEmpty.textContent = keys.length ? "" : "No API keys yet. Scripts, Terraform and the dogwatch command use them.";
    for (const k of keys) {
      const revoke = writable ? h("button", { type: "button", class: "btn btn-small btn-danger" }, "Revoke") : null;
      if (revoke) {
        revoke.addEventListener("click", async () => {
          const ok = await confirmDialog({
            title: "Revoke this API key?",
            text: `Anything using “${k.name || k.prefix}” will get 401 errors from now on.`,
            confirm: "Revoke",
          });
          if (!ok) return;
          try {
            await del(`/api/ui/projects/${enc(p)}/keys/${enc(k.id)}`);
            msg(keysOut, "Key revoked.", "ok");
            await reload();
          } catch (e) {
            msg(keysOut, e.message);
          }
        });
      }
      keysBody.append(h("tr", null,
        h("td", { "data-label": "Name" }, k.name || h("span", { class: "muted" }, "unnamed")),
        h("td", { "data-label": "Key", class: "mono" }, `${k.prefix}…`),
        h("td", { "data-label": "Access" }, k.read_only ? "read-only" : "read-write"),
        h("td", { "data-label": "Created", title: absTime(k.created) }, k.created ? relTime(k.created) : "–"),
        h("td", { "data-label": "Last used", title: absTime(k.last_used) }, k.last_used ? relTime(k.last_used) : "never"),
        h("td", null, revoke)));
    }
  }

  async function reload() {
    const fresh = await get(`/api/ui/projects/${enc(p)}`);
    drawKeys(fresh.api_keys || []);
  }

  let createForm = null;
  if (writable) {
    const name = h("input", { type: "text", maxlength: "100", autocomplete: "off", placeholder: "e.g. terraform" });
    const ro = checkbox("Read-only (can list checks and flips, cannot change anything)", false);
    const create = h("button", { type: "submit", class: "btn btn-primary" }, "Create API key");
    createForm = h("form", { class: "inline-form", novalidate: true }, field("Key name", name), ro.wrap, create);
    createForm.addEventListener("submit", async (e) => {
      e.preventDefault();
      msg(keysOut);
      create.disabled = true;
      try {
        const k = await post(`/api/ui/projects/${enc(p)}/keys`, { name: name.value.trim(), read_only: ro.input.checked });
        clear(newKeySlot);
        newKeySlot.append(h("div", { class: "newkey", role: "status" },
          h("p", null, h("strong", null, "Copy this key now: it is shown only once.")),
          copyField("New API key", k.key, { "data-test": "new-key" })));
        name.value = "";
        ro.input.checked = false;
        await reload();
      } catch (err) {
        msg(keysOut, err.message);
      } finally {
        create.disabled = false;
      }
    });
  }

  const pingUrl = proj.ping_url || "";
  const badgesData = proj.badges && proj.badges.badges ? proj.badges.badges : proj.badges || {};
  const badgeTags = Object.keys(badgesData).sort((a, b) => (a === "*" ? -1 : b === "*" ? 1 : a.localeCompare(b)));

  main.append(
    h("div", { class: "pagehead" }, h("h1", null, `Settings: ${proj.name}`)),
    h("section", { class: "card" }, h("h2", null, "API keys"),
      h("p", { class: "help" }, "For the Management API (X-Api-Key header). dogwatch stores only a hash of each key."),
      keysOut, newKeySlot, h("div", { class: "tablewrap" }, keysTable), keysEmpty, createForm),
    h("section", { class: "card" }, h("h2", null, "Ping key"),
      h("p", { class: "help" }, "With the ping key, jobs can ping a check by its slug instead of its UUID. Add ?create=1 to create a missing check on its first ping."),
      pingUrl ? [copyField("Ping key", proj.ping_key || "", { "data-test": "ping-key" }),
        copyField("Ping URL by slug", `${pingUrl}/<slug>`),
        h("pre", { class: "example" }, `curl -fsS -m 10 --retry 5 ${pingUrl}/my-backup-job?create=1`)]
        : h("p", { class: "muted" }, "This project has no ping key.")),
    h("section", { class: "card" }, h("h2", null, "Badges"),
      h("p", { class: "help" }, "Status badges for a README or a wiki page. Each URL is signed; it shows only the status, never check names."),
      badgeTags.length ? h("div", { class: "badges" }, badgeTags.map((tag) => {
        const b = badgesData[tag];
        return h("div", { class: "badge-item" },
          h("h3", null, tag === "*" ? "All checks" : `Tag: ${tag}`),
          h("p", { class: "badge-imgs" },
            b.svg ? h("img", { src: localPath(b.svg), alt: `Badge for ${tag === "*" ? "all checks" : tag}`, height: "20" }) : null,
            b.svg3 ? h("img", { src: localPath(b.svg3), alt: `Three-state badge for ${tag === "*" ? "all checks" : tag}`, height: "20" }) : null),
          b.svg ? copyField("SVG badge URL", b.svg) : null,
          b.svg3 ? copyField("SVG, with late", b.svg3) : null,
          b.shields ? copyField("Shields.io endpoint", b.shields) : null);
      })) : h("p", { class: "muted" }, "No badges yet.")));
  drawKeys(proj.api_keys || []);
}
