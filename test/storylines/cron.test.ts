import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { getStorylineRow } from "../../src/store/storylines";
import bundled from "../../storylines.json";
import { fakeInternet } from "../helpers/fake-internet";

// Its own file, so its storage starts empty: nothing here was created by another test.
describe("the cron tick", () => {
  it("loads the declared storylines and feeds before polling", async () => {
    const internet = fakeInternet();
    // The declared feeds get polled in the same tick: answer them with an empty feed.
    internet.on("https://*", new Response('<rss version="2.0"><channel><title>t</title></channel></rss>'));
    try {
      expect(await getStorylineRow(env.DB, "putin-trump-summit")).toBeNull();
      const ctx = createExecutionContext();
      await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: "*/5 * * * *" }), env, ctx);
      await waitOnExecutionContext(ctx);
      const row = await getStorylineRow(env.DB, "putin-trump-summit");
      expect(row).toMatchObject({ source: "config", active: 1, kind: "event" });
      const { results } = await env.DB.prepare("SELECT url FROM feeds").all<{ url: string }>();
      for (const feed of bundled.feeds) expect(results.map((r) => r.url)).toContain(new URL(feed.url).href);
    } finally {
      internet.restore();
    }
  });
});
