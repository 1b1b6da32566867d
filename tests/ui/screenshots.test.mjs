// Screenshots of the dashboard (up, late, down, paused, new checks) and of a check page with
// pings and flips, at desktop and phone widths, light and dark. No horizontal overflow on phones.
import assert from "node:assert/strict";
import path from "node:path";
import { mkdirSync } from "node:fs";
import { test, after, sleep, waitFor } from "./lib.mjs";
import { startServer, addUser, createKey, api, ping, artifactsDir } from "./harness.mjs";
import { launch, newPage, assertClean, login } from "./browser.mjs";

let srv;
let browser;
let key;
let state;
let projectPath;
const checks = {};
const USER = ["sam@example.com", "sam's password!"];

after(async () => {
  if (browser) await browser.close();
  if (srv) {
    await srv.stop();
    srv.cleanup();
  }
});

const make = (body) => api(srv, key, "POST", "/api/v3/checks/", body);

test("start dogwatch with checks in every state", async () => {
  srv = await startServer();
  await addUser(srv, USER[0], USER[1], "Production");
  key = await createKey(srv, "Production");
  await api(srv, key, "POST", "/api/v3/channels/", { name: "ops email", kind: "email", value: { address: "ops@example.com" } });
  await api(srv, key, "POST", "/api/v3/channels/", { name: "team slack", kind: "slack", value: { url: "https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXX" } });
  checks.backup = await make({ name: "Nightly database backup", tags: "prod db backup", desc: "pg_dump of the main cluster to S3", timeout: 3, grace: 2, channels: "*" });
  checks.report = await make({ name: "Weekly report mailer", tags: "prod reports", schedule: "0 7 * * 1", tz: "Europe/Riga", grace: 3600 });
  checks.late = await make({ name: "Certificate renewal", tags: "tls", timeout: 1, grace: 86400 });
  checks.down = await make({ name: "Log rotation on web-01 with a rather long name that wraps", tags: "web ops", timeout: 1, grace: 1 });
  checks.paused = await make({ name: "Legacy FTP sync", tags: "legacy", timeout: 86400, grace: 3600 });
  checks.fresh = await make({ name: "Cache warmer", schedule: "*/10 * * * *", tz: "UTC", grace: 300 });
  checks.seconds = await make({ name: "heartbeat", timeout: 86400, grace: 3600 });

  // Runs with durations on the backup check: start ... success/fail.
  for (let i = 0; i < 8; i += 1) {
    const rid = crypto.randomUUID();
    await ping(`${checks.backup.ping_url}/start?rid=${rid}`);
    await sleep(150 + ((i * 137) % 500));
    await ping(`${checks.backup.ping_url}${i === 5 ? "/fail" : ""}?rid=${rid}`, {
      method: "POST", body: `dumped ${1000 + i * 37} tables\nok`, ua: "curl/8.5.0",
    });
  }
  await ping(`${checks.backup.ping_url}/log`, { method: "POST", body: "disk usage 71%", ua: "dogwatch/0.1" });
  await ping(checks.down.ping_url);
  await ping(checks.late.ping_url);
  await ping(checks.seconds.ping_url, { ua: "Python-urllib/3.11" });
  await ping(`${checks.report.ping_url}/0`);
  await api(srv, key, "POST", `/api/v3/checks/${checks.paused.uuid}/pause`);
  // Let the backup check go down (3 s + 2 s), then come back up: two more flips.
  await waitFor(async () => (await api(srv, key, "GET", `/api/v3/checks/${checks.backup.uuid}`)).status === "down",
    { timeout: 15000, what: "the backup check to go down" });
  const rid = crypto.randomUUID();
  await ping(`${checks.backup.ping_url}/start?rid=${rid}`);
  await sleep(400);
  await ping(`${checks.backup.ping_url}?rid=${rid}`, { method: "POST", body: "dumped 1337 tables\nok", ua: "curl/8.5.0" });
  await api(srv, key, "POST", `/api/v3/checks/${checks.backup.uuid}`, { timeout: 86400, grace: 3600 });
  await waitFor(async () => (await api(srv, key, "GET", `/api/v3/checks/${checks.down.uuid}`)).status === "down",
    { timeout: 15000, what: "a check to go down" });
  await waitFor(async () => (await api(srv, key, "GET", `/api/v3/checks/${checks.late.uuid}`)).status === "grace",
    { timeout: 15000, what: "a check to be late" });

  browser = await launch();
  const page = await newPage(browser);
  await login(page, srv.base, USER[0], USER[1]);
  projectPath = new URL(page.url()).pathname;
  state = await page.context().storageState();
  await page.context().close();
});

const VIEWS = [
  ["desktop", { width: 1280, height: 800 }],
  ["phone", { width: 390, height: 844 }],
];
const SCHEMES = ["light", "dark"];

async function noOverflow(page, what) {
  const [sw, cw] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  assert.ok(sw <= cw, `${what}: horizontal overflow (scrollWidth ${sw} > clientWidth ${cw})`);
}

for (const [view, viewport] of VIEWS) {
  for (const scheme of SCHEMES) {
    test(`${view} ${scheme}: dashboard, check, editor, integrations, settings`, async () => {
      const dir = artifactsDir();
      mkdirSync(dir, { recursive: true });
      const page = await newPage(browser, { viewport, colorScheme: scheme, storageState: state });
      const shot = (name) => page.screenshot({ path: path.join(dir, `${name}-${view}-${scheme}.png`), fullPage: true });

      await page.goto(srv.base + projectPath);
      await page.locator("table.checks tbody tr").nth(6).waitFor();
      for (const st of ["up", "grace", "down", "paused", "new"]) {
        await page.locator(`table.checks .status[data-status=${st}]`).first().waitFor();
      }
      await noOverflow(page, "dashboard");
      await shot("dashboard");

      await page.goto(`${srv.base}${projectPath}checks/${checks.backup.uuid}`);
      await page.locator("table.events tbody tr").nth(5).waitFor();
      await page.locator(".chart rect").first().waitFor();
      await page.locator(".flips li").nth(1).waitFor();
      await page.locator("table.events tbody tr").first().getByRole("button", { name: "Show body" }).click();
      await page.locator("[data-test=ping-body]").waitFor();
      await noOverflow(page, "check page");
      await shot("check");

      await page.goto(`${srv.base}${projectPath}checks/${checks.report.uuid}/edit`);
      await page.locator("[data-test=schedule-preview] li").nth(4).waitFor();
      await noOverflow(page, "editor");
      await shot("editor");

      await page.goto(`${srv.base}${projectPath}integrations`);
      await page.getByRole("article").nth(1).waitFor();
      await noOverflow(page, "integrations");
      await shot("integrations");

      await page.goto(`${srv.base}${projectPath}settings`);
      await page.getByRole("heading", { name: "API keys" }).waitFor();
      await noOverflow(page, "settings");
      await shot("settings");

      await page.goto(`${srv.base}/account`);
      await page.getByRole("heading", { name: "Change password" }).waitFor();
      await noOverflow(page, "account");
      await shot("account");

      await assertClean(page);
      await page.context().close();
    }, { timeout: 90000 });
  }
}

test("login page screenshots", async () => {
  for (const [view, viewport] of VIEWS) {
    const page = await newPage(browser, { viewport, colorScheme: "dark" });
    await page.goto(`${srv.base}/login`);
    await page.getByRole("heading", { name: "Log in to dogwatch" }).waitFor();
    await noOverflow(page, "login");
    await page.screenshot({ path: path.join(artifactsDir(), `login-${view}-dark.png`), fullPage: true });
    await assertClean(page);
    await page.context().close();
  }
});
