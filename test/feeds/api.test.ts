import { env } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pollFeed } from "../../src/feeds/poller";
import { api } from "../helpers/api";
import { type FakeInternet, fakeInternet } from "../helpers/fake-internet";
import { feedsOfRun, resetFeedTables, rss, startRunWithoutQueue, waitForRun } from "./helpers";

const PROBLEM = "application/problem+json";

let internet: FakeInternet;
beforeEach(async () => {
  await resetFeedTables();
  internet = fakeInternet();
});
afterEach(() => internet.restore());

async function countFeeds(): Promise<number> {
  return (await env.DB.prepare("SELECT count(*) AS n FROM feeds").first<{ n: number }>())?.n ?? -1;
}

describe("POST /v1/feeds", () => {
  it("creates a feed, due at once, with health fields", async () => {
    const res = await api("/v1/feeds", {
      method: "POST",
      json: { url: "https://news.example/rss.xml#x", title: "News" },
    });
    expect(res.status).toBe(201);
    const feed = await res.json<Record<string, unknown>>();
    expect(feed).toMatchObject({
      id: expect.stringMatching(/^feed_/),
      url: "https://news.example/rss.xml",
      title: "News",
      last_checked_at: null,
      last_status: null,
      last_error: null,
      items_seen: 0,
      consecutive_failures: 0,
    });
    expect(feed.next_check_at).toBe(feed.created_at);
    expect(res.headers.get("location")).toBe(`/v1/feeds/${feed.id}`);
  });

  it("refuses private, loopback and metadata addresses with a 400 naming the reason, writing nothing", async () => {
    for (const url of [
      "http://127.1/feed",
      "http://0x7f000001/",
      "http://[::1]/",
      "http://[::ffff:a9fe:a9fe]/",
      "http://localhost/x",
      "http://169.254.169.254/",
    ]) {
      const res = await api("/v1/feeds", { method: "POST", json: { url } });
      expect(res.status, url).toBe(400);
      expect(res.headers.get("content-type")).toBe(PROBLEM);
      const body = await res.json<{ type: string; detail: string }>();
      expect(body.type).toBe("urn:storywatch:problem:url-refused");
      expect(body.detail).toMatch(/loopback|metadata|local/);
    }
    for (const url of ["ftp://news.example/feed", "https://user:pw@news.example/feed"]) {
      const res = await api("/v1/feeds", { method: "POST", json: { url } });
      expect(res.status, url).toBe(400);
      expect((await res.json<{ type: string }>()).type).toBe("urn:storywatch:problem:invalid-url");
    }
    expect(await countFeeds()).toBe(0);
  });

  it("validates the body", async () => {
    const res = await api("/v1/feeds", { method: "POST", json: { title: "no url", extra: 1 } });
    expect(res.status).toBe(400);
    const body = await res.json<{ errors: { field: string }[] }>();
    expect(body.errors.map((e) => e.field)).toContain("url");
    expect(await countFeeds()).toBe(0);
  });

  it("refuses a title made only of invisible characters", async () => {
    const res = await api("/v1/feeds", {
      method: "POST",
      json: { url: "https://news.example/feed.xml", title: "\u200b\u2060\u202e" },
    });
    expect(res.status).toBe(400);
    const body = await res.json<{ errors: { field: string; message: string }[] }>();
    expect(body.errors[0]).toMatchObject({ field: "title", message: expect.stringMatching(/invisible/) });
    expect(await countFeeds()).toBe(0);
  });

  it("answers a duplicate URL with 409 and the existing feed", async () => {
    const first = await (await api("/v1/feeds", { method: "POST", json: { url: "https://news.example/rss" } })).json<{
      id: string;
    }>();
    const res = await api("/v1/feeds", { method: "POST", json: { url: "https://NEWS.example/rss#other" } });
    expect(res.status).toBe(409);
    expect(res.headers.get("content-type")).toBe(PROBLEM);
    const body = await res.json<{ type: string; existing: { id: string; url: string } }>();
    expect(body.type).toBe("urn:storywatch:problem:feed-exists");
    expect(body.existing).toMatchObject({ id: first.id, url: "https://news.example/rss" });
    expect(await countFeeds()).toBe(1);
  });
});

describe("GET and DELETE /v1/feeds", () => {
  it("lists, shows and deletes feeds; unknown ids are 404", async () => {
    const created = await (await api("/v1/feeds", { method: "POST", json: { url: "https://a.example/rss" } })).json<{
      id: string;
    }>();
    await api("/v1/feeds", { method: "POST", json: { url: "https://b.example/rss" } });
    const list = await (await api("/v1/feeds")).json<{ feeds: { id: string }[] }>();
    expect(list.feeds).toHaveLength(2);
    expect((await (await api(`/v1/feeds/${created.id}`)).json<{ id: string }>()).id).toBe(created.id);
    await env.CACHE.put(`feed-validators:${created.id}`, JSON.stringify({ etag: '"x"', lastModified: null }));
    expect((await api(`/v1/feeds/${created.id}`, { method: "DELETE" })).status).toBe(204);
    expect(await env.CACHE.get(`feed-validators:${created.id}`)).toBeNull();
    expect((await api(`/v1/feeds/${created.id}`)).status).toBe(404);
    expect((await api(`/v1/feeds/${created.id}`, { method: "DELETE" })).status).toBe(404);
    expect((await api("/v1/feeds/feed_nope/items")).status).toBe(404);
  });
});

describe("PATCH /v1/feeds/:id", () => {
  it("pauses a feed (no run takes it), resumes it due at once, and sets its own interval", async () => {
    const { id } = await (await api("/v1/feeds", { method: "POST", json: { url: "https://a.example/rss" } })).json<{
      id: string;
    }>();
    const paused = await api(`/v1/feeds/${id}`, { method: "PATCH", json: { paused: true, poll_interval_minutes: 30 } });
    expect(await paused.json()).toMatchObject({ paused_at: expect.any(String), poll_interval_minutes: 30 });
    const leased = await env.DB.prepare("SELECT COUNT(*) AS n FROM feeds WHERE paused_at IS NULL").first<{
      n: number;
    }>();
    expect(leased?.n).toBe(0);
    const run = await (await api("/v1/runs", { method: "POST" })).json<{ id: string }>();
    expect(await feedsOfRun(run.id)).toHaveLength(0);
    const resumed = await (
      await api(`/v1/feeds/${id}`, { method: "PATCH", json: { paused: false, poll_interval_minutes: null } })
    ).json<{ paused_at: string | null; poll_interval_minutes: number | null; next_check_at: string }>();
    expect(resumed).toMatchObject({ paused_at: null, poll_interval_minutes: null });
    expect(Date.parse(resumed.next_check_at)).toBeLessThanOrEqual(Date.now());
  });

  it("refuses an interval outside 5–1440 minutes and unknown feeds, writing nothing", async () => {
    const { id } = await (await api("/v1/feeds", { method: "POST", json: { url: "https://a.example/rss" } })).json<{
      id: string;
    }>();
    const res = await api(`/v1/feeds/${id}`, { method: "PATCH", json: { poll_interval_minutes: 1 } });
    expect(res.status).toBe(400);
    expect(
      (await (await api(`/v1/feeds/${id}`)).json<{ poll_interval_minutes: null }>()).poll_interval_minutes,
    ).toBeNull();
    expect((await api("/v1/feeds/feed_nope", { method: "PATCH", json: { paused: true } })).status).toBe(404);
  });
});

describe("GET /v1/feeds/:id/items", () => {
  it("lists normalised items newest first with the DESIGN fields and pages with a cursor", async () => {
    const { id } = await (
      await api("/v1/feeds", { method: "POST", json: { url: "https://news.example/feed.xml" } })
    ).json<{ id: string }>();
    internet.on(
      "https://news.example/feed.xml",
      rss([
        { guid: "a", title: "Oldest &amp; first", date: "Mon, 11 Aug 2025 08:00:00 GMT" },
        { guid: "b", title: "Newest", date: "Wed, 13 Aug 2025 08:00:00 GMT" },
        { guid: "c", title: "Middle", date: "Tue, 12 Aug 2025 08:00:00 GMT" },
      ]),
    );
    const now = new Date("2025-08-13T12:00:00Z");
    const { run } = await startRunWithoutQueue(now);
    await pollFeed(env, { runId: run.id, feedId: id }, now);

    const page1 = await (await api(`/v1/feeds/${id}/items?limit=2`)).json<{
      items: Record<string, unknown>[];
      next_cursor: string | null;
    }>();
    expect(page1.items.map((i) => i.title)).toEqual(["Newest", "Middle"]);
    expect(Object.keys(page1.items[0] ?? {}).sort()).toEqual([
      "first_seen_at",
      "id",
      "published_at",
      "summary",
      "title",
      "url",
    ]);
    expect(page1.items[0]).toMatchObject({
      url: "https://news.example/b",
      published_at: "2025-08-13T08:00:00.000Z",
      summary: "About Newest",
      first_seen_at: now.toISOString(),
    });
    expect(page1.next_cursor).toBeTruthy();
    const page2 = await (await api(`/v1/feeds/${id}/items?limit=2&cursor=${page1.next_cursor}`)).json<{
      items: { title: string }[];
      next_cursor: string | null;
    }>();
    expect(page2.items.map((i) => i.title)).toEqual(["Oldest & first"]);
    expect(page2.next_cursor).toBeNull();
    expect((await api(`/v1/feeds/${id}/items?cursor=garbage`)).status).toBe(400);

    const feed = await (await api(`/v1/feeds/${id}`)).json<Record<string, unknown>>();
    expect(feed).toMatchObject({
      last_status: "ok",
      items_seen: 3,
      last_checked_at: now.toISOString(),
      last_error: null,
    });
  });
});

describe("/v1/runs", () => {
  it("POST answers 202 with a running run over every feed; GET lists newest first and shows one", async () => {
    internet.on("https://news.example/*", rss([{ guid: "a", title: "x" }]));
    await api("/v1/feeds", { method: "POST", json: { url: "https://news.example/1" } });
    await api("/v1/feeds", { method: "POST", json: { url: "https://news.example/2" } });
    const res = await api("/v1/runs", { method: "POST" });
    expect(res.status).toBe(202);
    const run = await res.json<Record<string, unknown>>();
    expect(run).toMatchObject({
      id: expect.stringMatching(/^run_/),
      trigger: "manual",
      status: "running",
      feeds_total: 2,
      feeds_checked: 0,
      feeds_failed: 0,
      items_new: 0,
      developments: 0,
      finished_at: null,
    });
    expect(res.headers.get("location")).toBe(`/v1/runs/${run.id}`);

    // The local queue consumer polls both feeds; wait for the run to complete.
    let current: Record<string, unknown> = run;
    for (let i = 0; i < 100 && current.status === "running"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      current = await (await api(`/v1/runs/${run.id}`)).json();
    }
    expect(current).toMatchObject({ status: "completed", feeds_checked: 2, feeds_failed: 0, items_new: 2 });
    expect(current.finished_at).toEqual(expect.any(String));

    const second = await (await api("/v1/runs", { method: "POST" })).json<{ id: string }>();
    expect(await waitForRun(second.id)).toMatchObject({ status: "completed", feeds_checked: 2, items_new: 0 });
    const list = await (await api("/v1/runs")).json<{ runs: { id: string }[] }>();
    expect(list.runs.map((r) => r.id)).toEqual([second.id, run.id]);
    expect((await api("/v1/runs/run_missing")).status).toBe(404);
  });
});

describe("OpenAPI", () => {
  it("documents the feeds and runs routes", async () => {
    const doc = await (await api("/openapi.json")).json<{ paths: Record<string, Record<string, unknown>> }>();
    for (const path of ["/v1/feeds", "/v1/feeds/{id}", "/v1/feeds/{id}/items", "/v1/runs", "/v1/runs/{id}"]) {
      expect(doc.paths, path).toHaveProperty([path]);
    }
    expect(Object.keys(doc.paths["/v1/feeds"] ?? {}).sort()).toEqual(["get", "post"]);
    expect(Object.keys(doc.paths["/v1/feeds/{id}"] ?? {}).sort()).toEqual(["delete", "get", "patch"]);
  });
});
