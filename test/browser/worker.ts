/**
 * Runs the real Worker under `wrangler dev` for browser tests: a random free port, its own
 * temporary local state (D1 migrated and seeded through wrangler), secrets passed as vars.
 */
import { execFile, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { freePort, onFreshPorts, waitForHealth } from "../../scripts/replay/dev-server.mjs";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const WRANGLER = join(ROOT, "node_modules", "wrangler", "bin", "wrangler.js");
const WRANGLER_ENV = {
  ...process.env,
  WRANGLER_SEND_METRICS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  CI: "true",
  NO_COLOR: "1",
};

export interface RunningWorker {
  origin: string;
  token: string;
  stop(): Promise<void>;
}

function wrangler(args: string[]) {
  // The project's Node (this process) runs wrangler, whatever node is first on PATH.
  return run(process.execPath, [WRANGLER, ...args], { cwd: ROOT, env: WRANGLER_ENV, maxBuffer: 16 * 1024 * 1024 });
}

/**
 * Starts the Worker with migrated, seeded local D1 (`seedSql`), reads token-protected.
 * `vars` adds or overrides Worker variables (e.g. ALLOW_PRIVATE_NETWORK for fixture servers).
 */
export async function startWorker(seedSql: string, vars: Record<string, string> = {}): Promise<RunningWorker> {
  const dir = await mkdtemp(join(tmpdir(), "storywatch-browser-"));
  const persistTo = join(dir, "state");
  const token = `browser-${crypto.randomUUID()}`;
  await wrangler(["d1", "migrations", "apply", "DB", "--local", "--persist-to", persistTo]);
  const seedFile = join(dir, "seed.sql");
  await writeFile(seedFile, seedSql);
  await wrangler(["d1", "execute", "DB", "--local", "--persist-to", persistTo, "--file", seedFile, "--yes"]);

  try {
    return await onFreshPorts(() => launch(persistTo, token, vars, () => rm(dir, { recursive: true, force: true })));
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

async function launch(
  persistTo: string,
  token: string,
  vars: Record<string, string>,
  cleanUp: () => Promise<void>,
): Promise<RunningWorker> {
  const [port, inspectorPort] = [await freePort(), await freePort()];
  const child = spawn(
    process.execPath,
    [
      WRANGLER,
      "dev",
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
      "warn",
      "--var",
      `API_TOKEN:${token}`,
      "--var",
      `WEBHOOK_SECRET_KEY:${btoa("browser-test-webhook-key-32bytes")}`,
      "--var",
      "PUBLIC_READS:false",
      ...Object.entries(vars).flatMap(([name, value]) => ["--var", `${name}:${value}`]),
    ],
    // Own process group, so stop() ends wrangler and the workerd it started, and nothing else.
    { cwd: ROOT, env: WRANGLER_ENV, detached: true, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const kill = async () => {
    if (child.pid !== undefined && child.exitCode === null) {
      process.kill(-child.pid, "SIGTERM");
      const killed = await Promise.race([
        exited.then(() => true),
        new Promise((resolve) => setTimeout(() => resolve(false), 5_000)),
      ]);
      if (!killed) process.kill(-child.pid, "SIGKILL");
    }
  };

  const origin = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(origin, { output: () => output, exitCode: () => child.exitCode, timeoutMs: 90_000 });
  } catch (error) {
    await kill();
    throw error;
  }
  return {
    origin,
    token,
    stop: async () => {
      await kill();
      await cleanUp();
    },
  };
}
