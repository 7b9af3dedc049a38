import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// `npm run load`: test/load/load.test.ts at full size (2,000 feeds), with a probe the test can
// ask for the workerd process's CPU time and peak memory (workerd gives neither to the code inside it).
const migrations = await readD1Migrations(fileURLToPath(new URL("../schemas/migrations", import.meta.url)));

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** workerd processes started by this vitest process (other runs on the machine are not ours). */
function ourWorkerdPids(): number[] {
  const parents = new Map<number, number>();
  const names = new Map<number, string>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const close = stat.lastIndexOf(")");
      names.set(Number(entry), stat.slice(stat.indexOf("(") + 1, close));
      parents.set(Number(entry), Number(stat.slice(close + 2).split(" ")[1]));
    } catch {
      // gone meanwhile
    }
  }
  const descends = (pid: number): boolean => {
    for (let p = parents.get(pid); p !== undefined && p > 1; p = parents.get(p)) if (p === process.pid) return true;
    return false;
  };
  return [...names].filter(([pid, name]) => name.startsWith("workerd") && descends(pid)).map(([pid]) => pid);
}

/** CPU time (user + system) and peak RSS of our workerd; `reset` restarts the peak (clear_refs 5). */
function sample(reset: boolean): { cpuMs: number; peakRssMb: number } {
  let cpuMs = 0;
  let peakKb = 0;
  for (const pid of ourWorkerdPids()) {
    try {
      if (reset) writeFileSync(`/proc/${pid}/clear_refs`, "5");
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      cpuMs += ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
      const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      peakKb = Math.max(peakKb, Number(hwm?.[1] ?? 0));
    } catch {
      // gone meanwhile
    }
  }
  return { cpuMs, peakRssMb: peakKb / 1024 };
}

export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: {
          TEST_MIGRATIONS: migrations,
          API_TOKEN: "test-token",
          WEBHOOK_SECRET_KEY: "dGVzdC1vbmx5LXdlYmhvb2sta2V5LTMyLWJ5dGVzISE=",
          ALLOW_PRIVATE_NETWORK: "false",
          WEBHOOK_RETRY_SCHEDULE: "0,1,2",
          LOAD_FEEDS: process.env.LOAD_FEEDS ?? "2000",
        },
        outboundService(request: Request) {
          const url = new URL(request.url);
          if (url.host === "load-probe.invalid") return Response.json(sample(url.searchParams.has("reset")));
          return new Response(`load run tried to reach the real network: ${request.url}`, { status: 599 });
        },
      },
    }),
  ],
  test: {
    root: fileURLToPath(new URL("..", import.meta.url)),
    include: ["test/load/*.test.ts"],
    setupFiles: ["./test/setup.ts"],
    testTimeout: 60 * 60_000,
  },
});
