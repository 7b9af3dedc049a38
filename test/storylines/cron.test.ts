import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { api } from "../helpers/api";
import { fakeInternet } from "../helpers/fake-internet";

async function tick(at: number): Promise<void> {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime: at, cron: "*/5 * * * *" }), env, ctx);
  await waitOnExecutionContext(ctx);
}

const count = async (table: string) =>
  (await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table}`).first<{ n: number }>())?.n ?? 0;

// Its own file, so its storage starts empty, as a fresh install's does.
describe("a fresh install", () => {
  it("tracks nothing and makes no outbound request until the user adds a feed", async () => {
    // Every outbound fetch of the Worker, its queue consumers and Durable Objects is recorded.
    const internet = fakeInternet();
    try {
      const start = Date.now();
      for (let i = 0; i < 3; i++) await tick(start + i * 5 * 60_000);
      expect(internet.requests).toEqual([]);
      expect({ feeds: await count("feeds"), storylines: await count("storylines"), runs: await count("runs") }).toEqual(
        { feeds: 0, storylines: 0, runs: 0 },
      );
      // The console's pages and a manual run do not reach out either.
      expect((await api("/")).status).toBe(200);
      expect((await api("/v1/runs", { method: "POST" })).status).toBe(202);
      expect(internet.requests).toEqual([]);

      // The first feed the user adds is fetched on the next tick, and nothing else is.
      internet.on("https://news.example/feed.xml", '<rss version="2.0"><channel><title>t</title></channel></rss>');
      expect((await api("/v1/feeds", { method: "POST", json: { url: "https://news.example/feed.xml" } })).status).toBe(
        201,
      );
      await tick(start + 20 * 60_000);
      await expect
        .poll(() => internet.requests.map((r) => r.url), { timeout: 20_000 })
        .toEqual(["https://news.example/feed.xml"]);
    } finally {
      internet.restore();
    }
  });
});
