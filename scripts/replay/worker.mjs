// Starts the real Worker with `wrangler dev` on a free port, against fresh local D1, KV,
// Queues and Durable Objects in a temporary directory, with the D1 migrations applied.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "../..");

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

function childEnv() {
  return {
    ...process.env,
    // The project's own Node 22 (node_modules/.bin/node) runs wrangler, as under `npm run`.
    PATH: `${join(ROOT, "node_modules", ".bin")}${delimiter}${process.env.PATH ?? ""}`,
    WRANGLER_SEND_METRICS: "false",
    CLOUDFLARE_CF_FETCH_ENABLED: "false",
    CI: "true",
    NO_COLOR: "1",
    FORCE_COLOR: "0",
  };
}

function run(args, { log }) {
  return new Promise((resolveRun, reject) => {
    const child = spawn("wrangler", args, { cwd: ROOT, env: childEnv(), stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => {
      output += d;
    });
    child.stderr.on("data", (d) => {
      output += d;
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code === 0) resolveRun(output);
      else reject(new Error(`wrangler ${args.join(" ")} exited ${code}:\n${output}`));
    });
    log?.(`$ wrangler ${args.join(" ")}`);
  });
}

/**
 * Returns { url, token, stop(), logs() }. Settings: ALLOW_PRIVATE_NETWORK so feeds and
 * webhooks on 127.0.0.1 are allowed, and a short WEBHOOK_RETRY_SCHEDULE so a failed
 * delivery retries within the replay.
 */
export async function startWorker({ log, retrySchedule = "0,1,2,5" } = {}) {
  const persistTo = mkdtempSync(join(tmpdir(), "storywatch-replay-"));
  const token = `replay-${randomBytes(12).toString("hex")}`;
  await run(["d1", "migrations", "apply", "DB", "--local", "--persist-to", persistTo], { log });
  // Bundle once and serve that bundle: `wrangler dev` on the sources would reload whenever a
  // source file changes mid-replay, dropping in-flight queue messages; a replay runs one build.
  const bundleDir = join(persistTo, "bundle");
  await run(["deploy", "--dry-run", "--outdir", bundleDir], { log });
  // A port found free can be taken again before wrangler binds it (by another replay running
  // beside this one, or by workerd's own sockets): start again on new ports when that is what failed.
  for (let attempt = 1; ; attempt++) {
    try {
      return await launch({ persistTo, bundleDir, token, retrySchedule, log });
    } catch (error) {
      if (attempt >= START_ATTEMPTS || !(error instanceof PortTaken)) {
        rmSync(persistTo, { recursive: true, force: true });
        throw error;
      }
      log?.(`wrangler dev found its port taken; starting again (attempt ${attempt + 1} of ${START_ATTEMPTS})`);
    }
  }
}

const START_ATTEMPTS = 3;
const PORT_TAKEN = /address already in use|EADDRINUSE/i;

/** wrangler dev could not bind a port it was given or chose. */
class PortTaken extends Error {}

async function launch({ persistTo, bundleDir, token, retrySchedule, log }) {
  const port = await freePort();
  const inspectorPort = await freePort();
  const vars = {
    API_TOKEN: token,
    WEBHOOK_SECRET_KEY: randomBytes(32).toString("base64"),
    ALLOW_PRIVATE_NETWORK: "true",
    WEBHOOK_RETRY_SCHEDULE: retrySchedule,
    PUBLIC_READS: "false",
  };
  const args = [
    "dev",
    join(bundleDir, "index.js"),
    "--no-bundle",
    "--config",
    join(ROOT, "wrangler.toml"),
    "--ip",
    "127.0.0.1",
    "--port",
    String(port),
    "--inspector-port",
    String(inspectorPort),
    "--persist-to",
    persistTo,
    "--show-interactive-dev-session=false",
    "--log-level",
    "log",
    ...Object.entries(vars).flatMap(([name, value]) => ["--var", `${name}:${value}`]),
  ];
  log?.(`$ wrangler dev --port ${port} --persist-to ${persistTo}`);
  // Its own process group, so stop() ends wrangler and the workerd it started, and nothing else.
  const child = spawn("wrangler", args, {
    cwd: ROOT,
    env: childEnv(),
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  const keep = (d) => {
    output += d;
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  let exited = null;
  child.on("exit", (code) => {
    exited = code;
  });

  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (exited === null) {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {}
      await new Promise((r) => {
        const timer = setTimeout(() => {
          try {
            process.kill(-child.pid, "SIGKILL");
          } catch {}
          r();
        }, 5000);
        child.once("exit", () => {
          clearTimeout(timer);
          r();
        });
      });
    }
  };

  const deadline = Date.now() + 120_000;
  for (;;) {
    if (PORT_TAKEN.test(output)) {
      await stop();
      throw new PortTaken(`wrangler dev could not bind a port:\n${output.slice(-4000)}`);
    }
    if (exited !== null) {
      await stop();
      throw new Error(`wrangler dev exited ${exited} before it was ready:\n${output.slice(-4000)}`);
    }
    try {
      // Bounded: whatever holds the port may accept and never answer.
      const res = await fetch(`${url}/v1/health`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) break;
    } catch {}
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`wrangler dev did not answer on ${url} within 120 s:\n${output.slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  const stopAndClean = async () => {
    await stop();
    rmSync(persistTo, { recursive: true, force: true });
  };
  return { url, token, stop: stopAndClean, logs: () => output, pid: child.pid };
}
