// Debian's chromium through playwright-core, with every page watched for console errors,
// uncaught exceptions, CSP violations and dialogs (any of which fails the test).
import { chromium } from "playwright-core";
import { trackPage, waitFor } from "./lib.mjs";

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--disable-gpu", "--no-first-run", "--disable-dev-shm-usage"],
  });
}

// Chromium logs every 4xx answer to fetch() as a console error; the UI gets those on purpose
// (401 before login, 400 for an invalid schedule, 403/404 for another project's check).
// Anything else, including a failed /static/ load, counts.
function harmless(msg) {
  const text = msg.text();
  const url = (msg.location() && msg.location().url) || "";
  return /^Failed to load resource: the server responded with a status of 4\d\d/.test(text) && !url.includes("/static/");
}

// A new context and page: opts are Playwright context options (viewport, colorScheme, storageState).
export async function newPage(browser, opts = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...opts });
  const page = await context.newPage();
  page.problems = [];
  page.setDefaultTimeout(10000);
  page.on("console", (m) => {
    if (m.type() === "error" && !harmless(m)) page.problems.push(`console error: ${m.text()}`);
  });
  page.on("pageerror", (e) => page.problems.push(`page error: ${e.message}`));
  page.on("dialog", async (d) => {
    page.problems.push(`unexpected ${d.type()} dialog: ${d.message()}`);
    await d.dismiss().catch(() => {});
  });
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener("securitypolicyviolation", (e) => {
      window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  trackPage(page);
  return page;
}

// Fails if the page saw a console error, an exception, a dialog or a CSP violation.
export async function assertClean(page) {
  let csp = [];
  try {
    csp = await page.evaluate(() => window.__csp || []);
  } catch {
    // page closed or navigating
  }
  const all = [...page.problems, ...csp.map((c) => `CSP violation: ${c}`)];
  if (all.length) throw new Error(all.join("; "));
}

export async function login(page, base, email, password) {
  await page.goto(`${base}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL(/\/projects\/[0-9a-f-]+\/$/);
}

// The current project's UUID from the URL.
export function projectFromUrl(page) {
  const m = /\/projects\/([0-9a-f-]+)\//.exec(page.url());
  return m && m[1];
}

// A dashboard row by check name.
export function row(page, name) {
  return page.locator("table.checks tbody tr").filter({ has: page.getByRole("link", { name, exact: true }) });
}

export { waitFor };
