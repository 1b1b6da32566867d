// The tiny test registry shared by run.mjs and the *.test.mjs files.
// A test file is a sequence of steps: test(name, fn) runs in order; once a step fails, the rest
// of that file is reported as failed without running. after(fn) always runs at the end.

export const registry = { current: null };

export function test(name, fn, { timeout = 60000 } = {}) {
  if (!registry.current) throw new Error("test() called outside run.mjs");
  registry.current.tests.push({ name, fn, timeout });
}

export function after(fn) {
  registry.current.after.push(fn);
}

// Pages to screenshot when a step fails (browser.mjs adds them).
export function trackPage(page) {
  if (registry.current) registry.current.pages.add(page);
}

export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

// Polls fn until it returns a truthy value; throws with `what` after `timeout` ms.
export async function waitFor(fn, { timeout = 10000, interval = 100, what = "condition" } = {}) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ""}`);
    await sleep(interval);
  }
}
