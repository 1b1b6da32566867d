#!/usr/bin/env node
// Runs browser test files: node tests/ui/run.mjs [file.test.mjs ...] (default: every
// tests/ui/*.test.mjs). One line per test case; exit 0 only if all passed and one or more ran.
// Environment: DOGWATCH_BIN (required), CHROMIUM (default /usr/bin/chromium),
// DOGWATCH_UI_ARTIFACTS (default <repo>/build/ui-artifacts).
import { readdirSync, mkdirSync, existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { registry } from "./lib.mjs";
import { killAll, artifactsDir } from "./harness.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));

function withTimeout(promise, ms, what) {
  let t;
  return Promise.race([
    promise.finally(() => clearTimeout(t)),
    new Promise((_, rej) => {
      t = setTimeout(() => rej(new Error(`${what} timed out after ${ms / 1000} s`)), ms);
    }),
  ]);
}

function oneLine(e) {
  const text = e && e.message ? e.message : String(e);
  return text.split("\n").map((l) => l.trim()).filter(Boolean).slice(0, 6).join(" | ");
}

async function main() {
  if (!process.env.DOGWATCH_BIN) {
    console.error("run.mjs: set DOGWATCH_BIN to the dogwatch binary");
    process.exit(2);
  }
  let files = process.argv.slice(2);
  if (!files.length) files = readdirSync(here).filter((f) => f.endsWith(".test.mjs")).sort().map((f) => path.join(here, f));
  files = files.map((f) => {
    if (existsSync(f)) return path.resolve(f);
    if (existsSync(path.join(here, f))) return path.join(here, f);
    return path.resolve(f);
  });
  mkdirSync(artifactsDir(), { recursive: true });
  let passed = 0;
  let failed = 0;
  for (const file of files) {
    const short = path.basename(file, ".test.mjs");
    registry.current = { tests: [], after: [], pages: new Set() };
    try {
      await import(pathToFileURL(file).href);
    } catch (e) {
      console.log(`FAIL ${short}: cannot load: ${oneLine(e)}`);
      failed += 1;
      continue;
    }
    const file_ = registry.current;
    let broken = null;
    for (const t of file_.tests) {
      if (broken) {
        console.log(`FAIL ${short}: ${t.name}: not run, "${broken}" failed`);
        failed += 1;
        continue;
      }
      const start = Date.now();
      try {
        await withTimeout(Promise.resolve().then(t.fn), t.timeout, t.name);
        console.log(`ok   ${short}: ${t.name} (${((Date.now() - start) / 1000).toFixed(1)} s)`);
        passed += 1;
      } catch (e) {
        console.log(`FAIL ${short}: ${t.name}: ${oneLine(e)}`);
        if (process.env.DOGWATCH_UI_VERBOSE && e && e.stack) console.log(e.stack);
        failed += 1;
        broken = t.name;
        let i = 0;
        for (const page of file_.pages) {
          i += 1;
          const shot = path.join(artifactsDir(), `${short}-FAILED-${i}.png`);
          try {
            if (!page.isClosed()) {
              await withTimeout(page.screenshot({ path: shot, fullPage: true }), 10000, "screenshot");
              console.log(`     screenshot: ${shot}`);
            }
          } catch {
            // the page may be gone
          }
        }
      }
    }
    for (const fn of file_.after.reverse()) {
      try {
        await withTimeout(Promise.resolve().then(fn), 20000, "cleanup");
      } catch (e) {
        console.log(`     cleanup of ${short} failed: ${oneLine(e)}`);
      }
    }
  }
  killAll();
  const total = passed + failed;
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 && total > 0 ? 0 : 1);
}

process.on("SIGINT", () => {
  killAll();
  process.exit(130);
});
process.on("SIGTERM", () => {
  killAll();
  process.exit(143);
});
main().catch((e) => {
  console.log(`FAIL run.mjs: ${oneLine(e)}`);
  killAll();
  process.exit(1);
});
