// Starts the real Worker with `wrangler dev` on a free port, against fresh local D1, KV,
// Queues and Durable Objects in a temporary directory, with the D1 migrations applied.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { freePort, onFreshPorts, waitForHealth } from "./dev-server.mjs";

const ROOT = resolve(import.meta.dirname, "../..");

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
  try {
    return await onFreshPorts(
      () => launch({ persistTo, bundleDir, token, retrySchedule, log }),
      (attempt, of) => log?.(`wrangler dev found its port taken; starting again (attempt ${attempt} of ${of})`),
    );
  } catch (error) {
    rmSync(persistTo, { recursive: true, force: true });
    throw error;
  }
}

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

  try {
    await waitForHealth(url, { output: () => output, exitCode: () => exited, timeoutMs: 120_000 });
  } catch (error) {
    await stop();
    throw error;
  }
  const stopAndClean = async () => {
    await stop();
    rmSync(persistTo, { recursive: true, force: true });
  };
  return { url, token, stop: stopAndClean, logs: () => output, pid: child.pid };
}
