import { env } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pollFeed } from "../../src/feeds/poller";
import { getFeed, REDIRECT_CHECKS_TO_MOVE } from "../../src/store/feeds";
import { api } from "../helpers/api";
import { type FakeInternet, fakeInternet } from "../helpers/fake-internet";
import { addFeed, resetFeedTables, rss, startRunWithoutQueue } from "./helpers";

const OLD = "https://old.example/feed.xml";
const NEW = "https://new.example/rss";
const T0 = new Date("2025-08-13T12:00:00.000Z");
const redirect = (location: string, status: number) => new Response(null, { status, headers: { location } });

let internet: FakeInternet;
beforeEach(async () => {
  await resetFeedTables();
  internet = fakeInternet();
  internet.on(NEW, () => new Response(rss([{ guid: "a", title: "Moved feed" }])));
});
afterEach(() => internet.restore());

let check = 0;
async function checkFeed(feedId: string) {
  const now = new Date(T0.getTime() + ++check * 3600_000);
  const { run } = await startRunWithoutQueue(now);
  return pollFeed(env, { runId: run.id, feedId }, now);
}

describe("permanent redirects", () => {
  it("move the feed's URL after 3 checks in a row, logged in its history and shown on GET /v1/feeds/:id", async () => {
    const feedId = await addFeed(OLD, T0);
    internet.on(OLD, () => redirect(NEW, 301));
    expect(REDIRECT_CHECKS_TO_MOVE).toBe(3);
    for (let seen = 1; seen < 3; seen++) {
      expect(await checkFeed(feedId)).toMatchObject({ state: "checked" });
      expect(await getFeed(env.DB, feedId)).toMatchObject({ url: OLD, redirect_url: NEW, redirect_checks: seen });
    }
    await checkFeed(feedId);
    expect(await getFeed(env.DB, feedId)).toMatchObject({ url: NEW, redirect_url: null, redirect_checks: 0 });

    const shown = await (await api(`/v1/feeds/${feedId}`)).json<{
      url: string;
      history: Array<{ event: string; detail: string; at: string }>;
    }>();
    expect(shown.url).toBe(NEW);
    expect(shown.history).toEqual([
      { at: expect.any(String), event: "url_changed", detail: expect.stringContaining(`${OLD} → ${NEW}`) },
    ]);
    expect(shown.history[0]?.detail).toMatch(/permanent redirects on 3 checks in a row/);

    // From now on the new URL is fetched directly.
    const before = internet.requestsTo(OLD).length;
    await checkFeed(feedId);
    expect(internet.requestsTo(OLD)).toHaveLength(before);
  });

  it("counts only checks in a row, and only permanent (301, 308) redirects", async () => {
    const feedId = await addFeed(OLD, T0);
    internet.on(OLD, () => redirect(NEW, 308));
    await checkFeed(feedId);
    await checkFeed(feedId);
    // The publisher takes the redirect back for one check: the count starts over.
    internet.on(OLD, () => new Response(rss([{ guid: "a", title: "Back home" }])));
    await checkFeed(feedId);
    expect(await getFeed(env.DB, feedId)).toMatchObject({ url: OLD, redirect_url: null, redirect_checks: 0 });
    internet.on(OLD, () => redirect(NEW, 308));
    await checkFeed(feedId);
    await checkFeed(feedId);
    expect(await getFeed(env.DB, feedId)).toMatchObject({ url: OLD, redirect_checks: 2 });

    // Temporary redirects (302, 307) never move a feed.
    const temporary = await addFeed("https://temp.example/feed", T0);
    internet.on("https://temp.example/feed", () => redirect(NEW, 302));
    for (let i = 0; i < 4; i++) await checkFeed(temporary);
    expect(await getFeed(env.DB, temporary)).toMatchObject({ url: "https://temp.example/feed", redirect_checks: 0 });
    // A permanent hop after a temporary one is not the feed's new address either.
    const mixed = await addFeed("https://mixed.example/feed", T0);
    internet.on("https://mixed.example/feed", () => redirect("https://hop.example/feed", 307));
    internet.on("https://hop.example/feed", () => redirect(NEW, 301));
    for (let i = 0; i < 4; i++) await checkFeed(mixed);
    expect(await getFeed(env.DB, mixed)).toMatchObject({ url: "https://mixed.example/feed", redirect_checks: 0 });
  });

  it("does not move onto a URL another feed watches, and says so in the history", async () => {
    const feedId = await addFeed(OLD, T0);
    const other = await addFeed(NEW, T0);
    internet.on(OLD, () => redirect(NEW, 301));
    for (let i = 0; i < 3; i++) await checkFeed(feedId);
    expect(await getFeed(env.DB, feedId)).toMatchObject({ url: OLD, redirect_checks: 0 });
    const shown = await (await api(`/v1/feeds/${feedId}`)).json<{
      history: Array<{ event: string; detail: string }>;
    }>();
    expect(shown.history).toEqual([
      {
        at: expect.any(String),
        event: "redirect_not_followed",
        detail: `permanent redirects on 3 checks in a row lead to ${NEW}, which another feed already watches: ${other}; the URL stays ${OLD}`,
      },
    ]);
  });
});
