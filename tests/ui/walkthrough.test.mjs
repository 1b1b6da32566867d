// First run to log out, through the UI: set-up, a check, live pings, schedule preview, event log
// body, a webhook channel's test notification, pause, resume, delete.
import assert from "node:assert/strict";
import { test, after, waitFor } from "./lib.mjs";
import { startServer, startReceiver, ping } from "./harness.mjs";
import { launch, newPage, assertClean, row } from "./browser.mjs";

let srv;
let browser;
let page;
let receiver;
let pingUrl;
let checkUrl;
const email = "admin@example.com";
const password = "correct horse battery";

after(async () => {
  if (browser) await browser.close();
  if (receiver) await receiver.close();
  if (srv) {
    await srv.stop();
    srv.cleanup();
  }
});

test("start dogwatch and chromium", async () => {
  srv = await startServer();
  browser = await launch();
  page = await newPage(browser);
  receiver = await startReceiver();
});

test("before set-up, / shows the log-in page", async () => {
  await page.goto(srv.base + "/");
  await page.waitForURL(/\/login/);
  await page.getByRole("heading", { name: "Log in to dogwatch" }).waitFor();
  await page.getByText("No user exists yet").waitFor();
  await assertClean(page);
});

test("first-run set-up from the logged URL", async () => {
  const url = await srv.setupUrl();
  assert.match(url, /\/setup\?token=/);
  await page.goto(url);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByLabel("Project name").fill("Home lab");
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL(/\/projects\/[0-9a-f-]+\/$/);
  await page.getByRole("heading", { name: "Home lab" }).waitFor();
  await page.getByText("No checks yet").first().waitFor();
  await assertClean(page);
});

test("create a check in the editor", async () => {
  await page.getByRole("link", { name: "New check" }).click();
  await page.getByLabel("Name", { exact: true }).fill("nightly backup");
  await page.getByLabel("Tags").fill("prod backup");
  await page.getByLabel("Period", { exact: true }).fill("1");
  await page.getByLabel("Period unit").selectOption({ label: "hours" });
  await page.locator("[data-test=schedule-preview] .schedule-text").getByText(/hour/).waitFor();
  await page.getByRole("button", { name: "Create check" }).click();
  await page.waitForURL(/\/checks\/[0-9a-f-]{36}$/);
  checkUrl = page.url();
  await page.getByRole("heading", { name: "nightly backup" }).waitFor();
  pingUrl = await page.locator("[data-test=ping-url]").inputValue();
  assert.match(pingUrl, /\/ping\/[0-9a-f-]{36}$/);
  await assertClean(page);
});

test("a ping turns the check up on the dashboard without a reload", async () => {
  await page.getByRole("link", { name: "← All checks" }).click();
  const r = row(page, "nightly backup");
  await r.waitFor();
  assert.equal(await r.locator(".status").getAttribute("data-status"), "new");
  await r.getByRole("button", { name: "prod" }).waitFor();
  await page.evaluate(() => { window.__stillHere = true; });
  await ping(pingUrl);
  await waitFor(async () => (await r.locator(".status").getAttribute("data-status")) === "up",
    { timeout: 15000, what: "the row to show up" });
  assert.equal(await page.evaluate(() => window.__stillHere), true, "the page was reloaded");
  await r.getByText(/just now|seconds? ago/).waitFor();
  await assertClean(page);
});

test("filters: by status, tag and search", async () => {
  const r = row(page, "nightly backup");
  await page.getByLabel("Filter by status").selectOption("down");
  await r.waitFor({ state: "detached" });
  await page.getByText("No checks match these filters.").waitFor();
  await page.getByLabel("Filter by status").selectOption("");
  await r.waitFor();
  await page.getByLabel("Search checks").fill("nothing like this");
  await r.waitFor({ state: "detached" });
  await page.getByLabel("Search checks").fill("nightly");
  await r.waitFor();
  await page.getByRole("group", { name: "Filter by tag" }).getByRole("button", { name: "backup" }).click();
  await r.waitFor();
  assert.match(page.url(), /tag=backup/);
  await page.getByRole("group", { name: "Filter by tag" }).getByRole("button", { name: "backup" }).click();
  await page.getByLabel("Search checks").fill("");
  await assertClean(page);
});

test("schedule editor: cron preview updates as you type; errors show", async () => {
  await page.goto(checkUrl + "/edit");
  await page.getByLabel("Cron expression", { exact: true }).first().waitFor({ state: "attached" });
  await page.getByRole("radio", { name: "Cron expression" }).check();
  const preview = page.locator("[data-test=schedule-preview]");
  const expr = page.getByRole("textbox", { name: "Cron expression" });
  await expr.fill("*/15 * * * *");
  await waitFor(async () => (await preview.locator("li").count()) === 5 &&
    (await preview.locator("li").allTextContents()).every((t) => /:(00|15|30|45):00 UTC/.test(t)),
  { what: "5 quarter-hour runs" });
  await expr.fill("61 * * * *");
  await preview.locator("[data-test=schedule-error]").waitFor();
  assert.match(await preview.textContent(), /schedule/i);
  await expr.fill("0 3 * * *");
  await waitFor(async () => (await preview.locator("li").count()) === 5 &&
    (await preview.locator("li").allTextContents()).every((t) => /03:00:00 UTC/.test(t)),
  { what: "5 runs at 03:00 UTC" });
  await page.getByLabel("Time zone").fill("UTC");
  await page.getByRole("button", { name: "Save changes" }).click();
  await page.waitForURL(checkUrl);
  await page.getByText(/03:00|3:00/).first().waitFor();
  await assertClean(page);
});

test("a POST ping's body shows in the event log", async () => {
  const body = "backup finished: 42 files <b>not bold</b>";
  await ping(pingUrl, { method: "POST", body, ua: "walkthrough-agent/1.0" });
  const rowWithBody = page.locator("table.events tbody tr").filter({ hasText: "walkthrough-agent/1.0" });
  await rowWithBody.waitFor({ timeout: 15000 });
  await rowWithBody.getByRole("button", { name: "Show body" }).click();
  const pre = page.locator("[data-test=ping-body]");
  await pre.waitFor();
  assert.equal(await pre.textContent(), body);
  await assertClean(page);
});

test("webhook channel: add it and send a test notification", async () => {
  await page.getByRole("link", { name: "Integrations" }).click();
  await page.getByText("No integrations yet").waitFor();
  await page.getByRole("button", { name: "Add integration" }).click();
  const form = page.getByRole("form", { name: "New integration" });
  await form.getByLabel("Kind").selectOption("webhook");
  await form.getByLabel("Name", { exact: true }).fill("local receiver");
  await form.getByLabel("URL when down (optional)").fill(`${receiver.url}/down?check=$NAME`);
  await form.getByLabel("URL when up (optional)").fill(`${receiver.url}/up`);
  await form.getByRole("button", { name: "Add integration" }).click();
  const card = page.getByRole("article", { name: "local receiver" });
  await card.waitFor();
  await card.getByText("Webhook").waitFor();
  await card.getByRole("button", { name: "Send test notification" }).click();
  await card.locator("[data-test=test-result]").getByText("Test notification delivered.").waitFor({ timeout: 15000 });
  await waitFor(() => receiver.requests.length > 0, { what: "the receiver to get the test" });
  assert.match(receiver.requests[0].url, /^\/(down|up)/);
  await assertClean(page);
});

test("the editor lists the channel as a toggle", async () => {
  await page.goto(checkUrl + "/edit");
  const toggle = page.getByRole("checkbox", { name: /local receiver/ });
  await toggle.waitFor();
  await toggle.check();
  await page.getByRole("button", { name: "Save changes" }).click();
  await page.waitForURL(checkUrl);
  await page.goto(checkUrl + "/edit");
  assert.equal(await page.getByRole("checkbox", { name: /local receiver/ }).isChecked(), true);
  await page.getByRole("link", { name: "Cancel" }).click();
  await page.waitForURL(checkUrl);
  await assertClean(page);
});

test("pause, resume, delete with confirmation", async () => {
  await page.getByRole("button", { name: "Pause" }).click();
  await page.locator(".titlewrap .status[data-status=paused]").waitFor();
  await page.getByRole("button", { name: "Resume" }).click();
  await page.locator(".titlewrap .status[data-status=new]").waitFor();
  await page.getByRole("button", { name: "Delete" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByText("Delete this check?").waitFor();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await dialog.waitFor({ state: "detached" });
  assert.equal(page.url(), checkUrl);
  await page.getByRole("button", { name: "Delete" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
  await page.waitForURL(/\/projects\/[0-9a-f-]+\/$/);
  await page.getByText("No checks yet").first().waitFor();
  const res = await fetch(pingUrl);
  assert.equal(res.status, 404);
  await assertClean(page);
});

test("log out", async () => {
  await page.getByRole("button", { name: "Log out" }).click();
  await page.waitForURL(/\/login/);
  await page.goto(srv.base + "/account");
  await page.waitForURL(/\/login\?next=/);
  await page.getByRole("heading", { name: "Log in to dogwatch" }).waitFor();
  await assertClean(page);
});
