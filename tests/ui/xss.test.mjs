// Markup in names, tags, descriptions, ping bodies, user agents and channel names renders as
// text: no dialog, no injected script, no <img src=x>.
import assert from "node:assert/strict";
import { test, after } from "./lib.mjs";
import { startServer, addUser, createKey, api, ping } from "./harness.mjs";
import { launch, newPage, assertClean, login, row } from "./browser.mjs";

let srv;
let browser;
let page;
let check;
const NAME = "<img src=x onerror=alert(1)>";
const TAG = "<b>bold</b>";
const DESC = "<script>alert(3)</script><iframe src=javascript:alert(5)>";
const BODY = "<script>window.__pwned=1</script><img src=x onerror=alert(2)>";
const UA = "<img src=x onerror=alert(4)>";
const CHANNEL = "<svg onload=alert(6)>";

after(async () => {
  if (browser) await browser.close();
  if (srv) {
    await srv.stop();
    srv.cleanup();
  }
});

async function assertNoInjection() {
  assert.equal(await page.evaluate(() => window.__pwned), undefined, "window.__pwned was set");
  assert.equal(await page.locator('img[src="x"]').count(), 0, "an <img src=x> exists");
  assert.equal(await page.locator("main script, main iframe, main svg[onload], main b").count(), 0, "markup was parsed");
  await assertClean(page);
}

test("start dogwatch, a user, a check with markup everywhere", async () => {
  srv = await startServer();
  await addUser(srv, "eve@example.com", "eve's long password", "Markup");
  const key = await createKey(srv, "Markup");
  check = await api(srv, key, "POST", "/api/v3/checks/", { name: NAME, tags: `${TAG} plain`, desc: DESC, timeout: 3600, grace: 60 });
  await api(srv, key, "POST", "/api/v3/channels/", { name: CHANNEL, kind: "webhook", value: { url_down: "http://127.0.0.1:9/x" } });
  await ping(check.ping_url, { method: "POST", body: BODY, ua: UA });
  browser = await launch();
  page = await newPage(browser);
  await login(page, srv.base, "eve@example.com", "eve's long password");
});

test("dashboard shows the name and tag as text", async () => {
  const r = row(page, NAME);
  await r.waitFor();
  await r.getByRole("button", { name: TAG }).waitFor();
  await r.getByText(DESC).waitFor();
  await assertNoInjection();
});

test("check page shows name, description, user agent and body as text", async () => {
  await page.getByRole("link", { name: NAME, exact: true }).click();
  await page.getByRole("heading", { name: NAME }).waitFor();
  await page.getByText(DESC).first().waitFor();
  const ev = page.locator("table.events tbody tr").filter({ hasText: UA });
  await ev.waitFor();
  await ev.getByRole("button", { name: "Show body" }).click();
  const pre = page.locator("[data-test=ping-body]");
  await pre.waitFor();
  assert.equal(await pre.textContent(), BODY);
  assert.equal(await page.title(), `${NAME} · dogwatch`);
  await assertNoInjection();
});

test("editor and integrations show them as text", async () => {
  await page.getByRole("link", { name: "Edit" }).click();
  assert.equal(await page.getByLabel("Name", { exact: true }).inputValue(), NAME);
  assert.equal(await page.getByLabel("Description").inputValue(), DESC);
  await page.getByRole("checkbox", { name: new RegExp(CHANNEL.replace(/[()]/g, "\\$&")) }).waitFor();
  await page.getByRole("link", { name: "Integrations" }).click();
  await page.getByRole("heading", { name: CHANNEL }).waitFor();
  await assertNoInjection();
});
