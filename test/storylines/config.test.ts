import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import example from "../../examples/putin-trump.json";
import checkedInSchema from "../../schemas/storyline.schema.json";
import { getStorylineRow } from "../../src/store/storylines";
import { parseStorylinesFile, syncConfiguredStorylines } from "../../src/storylines/config";
import { compileMatcher, prepareItem } from "../../src/storylines/matcher";
import { type StorylinesFile, storylinesFileJsonSchema } from "../../src/storylines/schema";
import bundled from "../../storylines.json";
import { api } from "../helpers/api";

describe("storylines.json", () => {
  it("matches the checked-in JSON Schema generated from the zod schema (run `npm run schema` after changing it)", () => {
    expect(checkedInSchema).toEqual(storylinesFileJsonSchema());
  });

  it("is empty as shipped: a fresh install tracks nothing and fetches nothing", () => {
    expect(parseStorylinesFile(bundled)).toMatchObject({ feeds: [], storylines: [] });
  });

  it("the example (examples/putin-trump.json) is valid and tracks the Putin–Trump summit with real world-news feeds", () => {
    const file = parseStorylinesFile(example);
    const summit = file.storylines.find((s) => s.id === "putin-trump-summit");
    expect(summit?.kind).toBe("event");
    expect(file.feeds?.length).toBeGreaterThanOrEqual(6);
    for (const feed of file.feeds ?? []) expect(feed.url).toMatch(/^https:\/\//);
    const matcher = compileMatcher([{ key: "summit", query: summit?.query ?? "" }]);
    const matches = (title: string, summary = "") => matcher.match(prepareItem({ title, summary })).length > 0;
    expect(matches("Trump says he will meet Putin in Alaska on Friday")).toBe(true);
    expect(matches("Kremlin: no date set for Putin-Trump summit")).toBe(true);
    expect(matches("Peskov says Budapest venue still possible", "Trump and Putin may meet")).toBe(true);
    expect(matches("Trump hosts Xi for trade talks")).toBe(false);
    expect(matches("Putin meets Modi in New Delhi")).toBe(false);
  });

  it("names the bad field of an invalid file", () => {
    expect(() => parseStorylinesFile({ storylines: [{ id: "x", title: "x", kind: "event", query: "(a" }] })).toThrow(
      /storylines\.0\.query is not a valid query: Unbalanced parentheses.*position 1/,
    );
    expect(() =>
      parseStorylinesFile({
        storylines: [
          { id: "x", title: "x", kind: "topic", query: "a" },
          { id: "x", title: "y", kind: "topic", query: "b" },
        ],
      }),
    ).toThrow(/storylines\.1\.id repeats id "x"/);
  });
});

describe("syncConfiguredStorylines", () => {
  const file: StorylinesFile = {
    feeds: [{ url: "https://world.example/rss.xml", title: "World Example" }],
    storylines: [
      { id: "declared-summit", title: "Declared summit", kind: "event", query: "Putin AND Trump AND summit" },
      {
        id: "declared-deal",
        title: "Declared deal",
        kind: "agreement",
        query: "minerals deal",
        alert_on: ["coverage"],
      },
    ],
  };
  const now = new Date("2026-11-28T04:00:00.000Z");

  it("creates declared storylines and feeds once, then changes nothing on later ticks", async () => {
    const first = await syncConfiguredStorylines(env, now, file);
    expect(first).toEqual({
      feedsAdded: 1,
      created: ["declared-summit", "declared-deal"],
      updated: [],
      deactivated: [],
      feedsPaused: [],
    });
    const row = await getStorylineRow(env.DB, "declared-summit");
    expect(row).toMatchObject({ source: "config", active: 1, kind: "event", created_at: now.toISOString() });
    expect(row?.feed_key).toMatch(/^fk_/);
    const feed = await env.DB.prepare("SELECT title FROM feeds WHERE url = 'https://world.example/rss.xml'").first();
    expect(feed).toEqual({ title: "World Example" });

    const later = new Date("2026-11-28T04:05:00.000Z");
    const second = await syncConfiguredStorylines(env, later, file);
    expect(second).toEqual({ feedsAdded: 0, created: [], updated: [], deactivated: [], feedsPaused: [] });
    expect(await getStorylineRow(env.DB, "declared-summit")).toEqual(row);

    const res = await api("/v1/storylines/declared-deal");
    expect(await res.json()).toMatchObject({ source: "config", alert_on: ["coverage"], status: null });
  });

  it("applies edits to the file and pauses storylines no longer declared", async () => {
    await syncConfiguredStorylines(env, now, file);
    const before = await getStorylineRow(env.DB, "declared-summit");
    const edited: StorylinesFile = {
      storylines: [{ ...(file.storylines[0] as StorylinesFile["storylines"][number]), query: "Putin NEAR/5 Trump" }],
    };
    const later = new Date("2026-11-28T04:10:00.000Z");
    const report = await syncConfiguredStorylines(env, later, edited);
    expect(report).toEqual({
      feedsAdded: 0,
      created: [],
      updated: ["declared-summit"],
      deactivated: ["declared-deal"],
      feedsPaused: [expect.stringMatching(/^feed_/)],
    });
    const after = await getStorylineRow(env.DB, "declared-summit");
    expect(after).toMatchObject({
      query: "Putin NEAR/5 Trump",
      updated_at: later.toISOString(),
      created_at: before?.created_at,
      feed_key: before?.feed_key,
    });
    // Paused and handed to the API: the user may now resume or delete them.
    expect(await getStorylineRow(env.DB, "declared-deal")).toMatchObject({ active: 0, source: "api" });
    const feed = await env.DB.prepare(
      "SELECT source, paused_at FROM feeds WHERE url = 'https://world.example/rss.xml'",
    ).first();
    expect(feed).toEqual({ source: "api", paused_at: later.toISOString() });
  });

  it("starts a storyline over when its declared kind changes", async () => {
    await syncConfiguredStorylines(env, now, file);
    await env.DB.prepare(
      `UPDATE storylines SET status = 'scheduled', facts = '{"date":"2026-12-01","place":"Geneva"}' WHERE id = 'declared-summit'`,
    ).run();
    const sameKind: StorylinesFile = {
      storylines: [{ ...(file.storylines[0] as StorylinesFile["storylines"][number]), title: "Renamed" }],
    };
    await syncConfiguredStorylines(env, new Date("2026-11-28T04:20:00.000Z"), sameKind);
    expect(await getStorylineRow(env.DB, "declared-summit")).toMatchObject({ status: "scheduled" });
    const asDeal: StorylinesFile = {
      storylines: [{ ...(file.storylines[0] as StorylinesFile["storylines"][number]), kind: "agreement" }],
    };
    await syncConfiguredStorylines(env, new Date("2026-11-28T04:25:00.000Z"), asDeal);
    expect(await getStorylineRow(env.DB, "declared-summit")).toMatchObject({
      kind: "agreement",
      status: null,
      facts: "{}",
    });
  });

  it("takes over an API storyline of the same id and marks it config", async () => {
    await api("/v1/storylines", {
      method: "POST",
      json: { id: "declared-summit", title: "Mine", kind: "topic", query: "Putin" },
    });
    const report = await syncConfiguredStorylines(env, now, file);
    expect(report.updated).toContain("declared-summit");
    expect(await getStorylineRow(env.DB, "declared-summit")).toMatchObject({
      source: "config",
      kind: "event",
      title: "Declared summit",
    });
  });

  it("registers a declared feed once, even if it was added through the API", async () => {
    const added = await api("/v1/feeds", { method: "POST", json: { url: "https://both.example/feed.xml" } });
    expect(added.status).toBe(201);
    const report = await syncConfiguredStorylines(env, now, {
      feeds: [{ url: "https://both.example/feed.xml#top" }, { url: "https://only-file.example/feed.xml" }],
      storylines: [],
    });
    // One created, one claimed: the API's feed is now the file's (source "config").
    expect(report.feedsAdded).toBe(2);
    const { results } = await env.DB.prepare("SELECT url, source FROM feeds WHERE url LIKE '%both.example%'").all();
    expect(results).toEqual([{ url: "https://both.example/feed.xml", source: "config" }]);
  });

  it("writes nothing for an invalid file", async () => {
    const count = async () =>
      (await env.DB.prepare("SELECT COUNT(*) AS n FROM storylines").first<{ n: number }>())?.n ?? 0;
    const before = await count();
    const report = await syncConfiguredStorylines(env, now, new Error("storylines.json is invalid: test"));
    expect(report).toEqual({ feedsAdded: 0, created: [], updated: [], deactivated: [], feedsPaused: [] });
    expect(await count()).toBe(before);
  });

  it("loads the bundled storylines.json by default: nothing", async () => {
    const report = await syncConfiguredStorylines(env, now);
    expect(report).toMatchObject({ feedsAdded: 0, created: [] });
    expect(await getStorylineRow(env.DB, "putin-trump-summit")).toBeNull();
  });

  it("answers 409 with the same message to changing or deleting a declared feed or storyline", async () => {
    await syncConfiguredStorylines(env, now, file);
    const feed = await env.DB.prepare("SELECT id FROM feeds WHERE url = 'https://world.example/rss.xml'").first<{
      id: string;
    }>();
    const problems = [];
    for (const [path, method, json] of [
      [`/v1/feeds/${feed?.id}`, "DELETE", undefined],
      [`/v1/feeds/${feed?.id}`, "PATCH", { paused: true }],
      ["/v1/storylines/declared-summit", "DELETE", undefined],
      ["/v1/storylines/declared-summit", "PATCH", { title: "x" }],
    ] as const) {
      const res = await api(path, { method, ...(json ? { json } : {}) });
      expect(res.status).toBe(409);
      problems.push((await res.json()) as { type: string; detail: string });
    }
    for (const problem of problems) {
      expect(problem.type).toBe("urn:storywatch:problem:managed-by-config");
      expect(problem.detail).toMatch(
        /^This (feed|storyline) \("[^"]+"\) is declared in storylines\.json, which is re-applied on every tick; (change|remove) it there and deploy\.$/,
      );
    }
    expect((await api(`/v1/feeds/${feed?.id}`)).status).toBe(200);
  });

  it("never brings back a feed the user deleted", async () => {
    const declared: StorylinesFile = { feeds: [{ url: "https://gone.example/feed.xml" }], storylines: [] };
    await syncConfiguredStorylines(env, now, declared);
    // Removed from the file: paused and handed over, then deleted by the user.
    await syncConfiguredStorylines(env, now, { feeds: [], storylines: [] });
    const row = await env.DB.prepare("SELECT id FROM feeds WHERE url = 'https://gone.example/feed.xml'").first<{
      id: string;
    }>();
    expect((await api(`/v1/feeds/${row?.id}`, { method: "DELETE" })).status).toBe(204);
    // An API feed deleted by the user: later ticks never recreate either.
    const added = (await (
      await api("/v1/feeds", { method: "POST", json: { url: "https://mine.example/feed" } })
    ).json()) as {
      id: string;
    };
    expect((await api(`/v1/feeds/${added.id}`, { method: "DELETE" })).status).toBe(204);
    for (let tick = 0; tick < 3; tick++) await syncConfiguredStorylines(env, now, { feeds: [], storylines: [] });
    await syncConfiguredStorylines(env, now);
    const left = await env.DB.prepare(
      "SELECT COUNT(*) AS n FROM feeds WHERE url IN ('https://gone.example/feed.xml', 'https://mine.example/feed')",
    ).first<{ n: number }>();
    expect(left?.n).toBe(0);
  });
});
