// A user sees only their own projects: another project's check page shows "not found" and its
// API answers 403 or 404 with their session, whichever project header they send.
import assert from "node:assert/strict";
import { test, after } from "./lib.mjs";
import { startServer, addUser, createKey, api, projectUuid } from "./harness.mjs";
import { launch, newPage, assertClean, login, projectFromUrl } from "./browser.mjs";

let srv;
let browser;
let page;
let alpha;
let beta;
let check;
let key;
const SECRET_NAME = "alpha-secret-payroll-job";

after(async () => {
  if (browser) await browser.close();
  if (srv) {
    await srv.stop();
    srv.cleanup();
  }
});

test("start dogwatch with two users in two projects", async () => {
  srv = await startServer();
  await addUser(srv, "alice@example.com", "alice password 1", "Alpha");
  await addUser(srv, "bob@example.com", "bob password 22", "Beta");
  alpha = await projectUuid(srv, "Alpha");
  beta = await projectUuid(srv, "Beta");
  key = await createKey(srv, "Alpha");
  check = await api(srv, key, "POST", "/api/v3/checks/", { name: SECRET_NAME, desc: "alpha only", timeout: 3600, grace: 60 });
  await fetch(check.ping_url, { method: "POST", body: "alpha body" });
  browser = await launch();
  page = await newPage(browser);
  await login(page, srv.base, "bob@example.com", "bob password 22");
  assert.equal(projectFromUrl(page), beta);
});

test("bob's dashboard does not list alpha's check", async () => {
  await page.getByText("No checks yet").first().waitFor();
  assert.equal(await page.getByText(SECRET_NAME).count(), 0);
  assert.equal(await page.getByRole("combobox", { name: "Project" }).count(), 0, "bob has one project");
  await assertClean(page);
});

test("alpha's check page under alpha's project: not found", async () => {
  await page.goto(`${srv.base}/projects/${alpha}/checks/${check.uuid}`);
  await page.locator("[data-test=not-found]").waitFor();
  assert.equal(await page.getByText(SECRET_NAME).count(), 0);
  await assertClean(page);
});

test("alpha's check page under bob's project: not found", async () => {
  await page.goto(`${srv.base}/projects/${beta}/checks/${check.uuid}`);
  await page.locator("[data-test=not-found]").waitFor();
  assert.equal(await page.getByText(SECRET_NAME).count(), 0);
  await page.goto(`${srv.base}/projects/${beta}/checks/${check.uuid}/edit`);
  await page.locator("[data-test=not-found]").waitFor();
  assert.equal(await page.getByText(SECRET_NAME).count(), 0);
  await page.goto(`${srv.base}/projects/${alpha}/settings`);
  await page.locator("[data-test=not-found]").waitFor();
  await assertClean(page);
});

test("the API refuses bob's session for alpha's check, with either project header", async () => {
  const results = await page.evaluate(async ({ uuid, alpha: a, beta: b }) => {
    const s = await (await fetch("/api/ui/session")).json();
    const out = [];
    for (const project of [b, a]) {
      for (const [method, path] of [
        ["GET", `/api/v3/checks/${uuid}`],
        ["GET", `/api/v3/checks/${uuid}/pings/`],
        ["GET", `/api/v3/checks/${uuid}/pings/1/body`],
        ["GET", `/api/v3/checks/${uuid}/flips/`],
        ["POST", `/api/v3/checks/${uuid}/pause`],
        ["POST", `/api/v3/checks/${uuid}`],
        ["DELETE", `/api/v3/checks/${uuid}`],
        ["GET", "/api/v3/checks/"],
      ]) {
        const headers = { "X-Dogwatch-Project": project, "X-CSRF-Token": s.csrf };
        const init = { method, headers };
        if (method === "POST") {
          init.body = JSON.stringify({ name: "pwned by bob" });
          headers["Content-Type"] = "application/json";
        }
        const res = await fetch(path, init);
        out.push({ project: project === a ? "alpha" : "beta", method, path, status: res.status, text: await res.text() });
      }
    }
    const ui = await fetch(`/api/ui/projects/${a}`);
    out.push({ project: "alpha", method: "GET", path: "/api/ui/projects/alpha", status: ui.status, text: await ui.text() });
    const up = await fetch(`/api/ui/projects/${a}/checks/${uuid}/uptime`);
    out.push({ project: "alpha", method: "GET", path: "uptime", status: up.status, text: await up.text() });
    return out;
  }, { uuid: check.uuid, alpha, beta });
  for (const r of results) {
    assert.ok(!r.text.includes(SECRET_NAME) && !r.text.includes("alpha body"),
      `${r.method} ${r.path} (${r.project} header) leaked: ${r.text.slice(0, 200)}`);
    if (r.path === "/api/v3/checks/") {
      if (r.project === "beta") assert.equal(r.status, 200, "bob lists his own project");
      else assert.ok([401, 403, 404].includes(r.status), `list with alpha's header: ${r.status}`);
      continue;
    }
    assert.ok([403, 404].includes(r.status), `${r.method} ${r.path} (${r.project} header): ${r.status} ${r.text.slice(0, 200)}`);
  }
  const still = await api(srv, key, "GET", `/api/v3/checks/${check.uuid}`);
  assert.equal(still.name, SECRET_NAME);
  assert.notEqual(still.status, "paused");
  await assertClean(page);
});
