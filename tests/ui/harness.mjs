// Runs the real dogwatch binary for a test file: its own loopback port, temp data dir and
// config; the set-up URL from its log; CLI helpers for users, projects and keys; a webhook
// receiver. Every process started here is killed at the end (run.mjs calls killAll()).
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { waitFor } from "./lib.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "..", "..");
const children = new Set();

export function artifactsDir() {
  return process.env.DOGWATCH_UI_ARTIFACTS || path.join(repo, "build", "ui-artifacts");
}

export function killAll() {
  for (const c of children) {
    try {
      c.kill("SIGKILL");
    } catch {
      // gone already
    }
  }
  children.clear();
}
process.on("exit", killAll);

function bin() {
  const b = process.env.DOGWATCH_BIN;
  if (!b) throw new Error("DOGWATCH_BIN is not set");
  return path.resolve(b);
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// Runs a dogwatch command; resolves {code, stdout, stderr}.
export function run(args, { input, timeout = 30000 } = {}) {
  return new Promise((resolve, reject) => {
    const c = spawn(bin(), args, { stdio: ["pipe", "pipe", "pipe"] });
    children.add(c);
    let stdout = "";
    let stderr = "";
    c.stdout.on("data", (d) => { stdout += d; });
    c.stderr.on("data", (d) => { stderr += d; });
    const t = setTimeout(() => c.kill("SIGKILL"), timeout);
    c.on("error", reject);
    c.on("close", (code) => {
      clearTimeout(t);
      children.delete(c);
      resolve({ code, stdout, stderr });
    });
    // A command that does not read its stdin may exit before the write lands; the EPIPE
    // that follows is not the test's business (the exit code and output are).
    c.stdin.on("error", (e) => {
      if (e.code !== "EPIPE") reject(e);
    });
    c.stdin.end(input === undefined ? "" : input);
  });
}

// Starts `dogwatch serve` and waits until GET /api/v3/status answers 200.
export async function startServer({ extraConfig = "" } = {}) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "dogwatch-ui-"));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const config = path.join(dataDir, "dogwatch.toml");
  writeFileSync(config, [
    "[server]",
    `listen = "127.0.0.1:${port}"`,
    `base_url = "${base}"`,
    "",
    "[checks]",
    'min_timeout = "1s"',
    "",
    "[alerts]",
    'connect_timeout = "2s"',
    'send_timeout = "5s"',
    "",
    "[log]",
    'level = "info"',
    "",
    extraConfig,
  ].join("\n"));
  const proc = spawn(bin(), ["serve", "--config", config, "--data-dir", dataDir], { stdio: ["ignore", "pipe", "pipe"] });
  children.add(proc);
  let log = "";
  let exited = null;
  proc.stdout.on("data", (d) => { log += d; });
  proc.stderr.on("data", (d) => { log += d; });
  proc.on("exit", (code, signal) => {
    exited = { code, signal };
    children.delete(proc);
  });

  const server = {
    port, base, dataDir, config, proc,
    log: () => log,
    // Runs a dogwatch subcommand against this server's config and data dir.
    cli: async (args, opts) => {
      const r = await run([...args, "--config", config, "--data-dir", dataDir], opts);
      if (r.code !== 0) throw new Error(`dogwatch ${args.join(" ")} exited ${r.code}: ${r.stderr.trim()}`);
      return r;
    },
    async setupUrl() {
      return waitFor(() => {
        const m = /setup_url="([^"]+)"/.exec(log);
        return m && m[1].replace(/\\"/g, '"').replace(/\\\\/g, "\\");
      }, { timeout: 10000, what: "setup_url in the server log" });
    },
    async stop() {
      if (exited) return;
      proc.kill("SIGTERM");
      await waitFor(() => exited, { timeout: 6000, what: "dogwatch to exit" }).catch(() => proc.kill("SIGKILL"));
    },
    cleanup() {
      rmSync(dataDir, { recursive: true, force: true });
    },
  };

  await waitFor(async () => {
    if (exited) throw new Error(`dogwatch exited early (${JSON.stringify(exited)}):\n${log.slice(-2000)}`);
    try {
      const res = await fetch(`${base}/api/v3/status`);
      return res.status === 200;
    } catch {
      return false;
    }
  }, { timeout: 20000, interval: 100, what: "GET /api/v3/status" }).catch((e) => {
    proc.kill("SIGKILL");
    throw new Error(`${e.message}\n${log.slice(-2000)}`);
  });
  return server;
}

// A user with their own project; returns {email, password, project, pingKey}.
export async function addUser(server, email, password, project) {
  await server.cli(["user", "add", email, "--password-stdin"], { input: `${password}\n` });
  let pingKey = "";
  if (project) {
    const r = await server.cli(["project", "add", project, "--owner", email]);
    pingKey = r.stdout.trim();
  }
  return { email, password, project, pingKey };
}

export async function createKey(server, project, { readOnly = false } = {}) {
  const r = await server.cli(["key", "create", "--project", project, ...(readOnly ? ["--read-only"] : [])]);
  return r.stdout.trim();
}

// The UUID of a project by name, from `dogwatch project list`.
export async function projectUuid(server, name) {
  const r = await server.cli(["project", "list"]);
  for (const line of (r.stdout + r.stderr).split("\n")) {
    const m = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/.exec(line);
    if (m && line.includes(name)) return m[1];
  }
  throw new Error(`project ${name} not in: ${r.stdout}`);
}

// Management API v3 with an API key.
export async function api(server, key, method, pathname, body) {
  const res = await fetch(server.base + pathname, {
    method,
    headers: { "X-Api-Key": key, ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = text;
  }
  if (!res.ok) throw new Error(`${method} ${pathname}: HTTP ${res.status} ${text}`);
  return data;
}

export async function ping(url, { method = "GET", body, ua } = {}) {
  const res = await fetch(url, { method, body, headers: ua ? { "User-Agent": ua } : {} });
  if (!res.ok) throw new Error(`ping ${url}: HTTP ${res.status}`);
  return res.status;
}

// A local HTTP endpoint that records every request.
export async function startReceiver() {
  const requests = [];
  const srv = http.createServer((req, res) => {
    let body = "";
    req.on("data", (d) => { body += d; });
    req.on("end", () => {
      requests.push({ method: req.method, url: req.url, headers: req.headers, body });
      res.writeHead(200, { "Content-Type": "text/plain" });
      res.end("ok");
    });
  });
  await new Promise((r) => srv.listen(0, "127.0.0.1", r));
  const { port } = srv.address();
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((r) => { srv.closeAllConnections?.(); srv.close(() => r()); }),
  };
}
