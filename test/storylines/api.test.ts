import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api } from "../helpers/api";

const PROBLEM = "application/problem+json";

interface Problem {
  type: string;
  status: number;
  detail: string;
  errors?: Array<{ field: string; message: string }>;
}

interface StorylineBody {
  id: string;
  title: string;
  kind: string;
  query: string;
  feeds: string[] | null;
  alert_on: string[];
  aliases: Record<string, string[]> | null;
  participants: Array<{ name: string; aliases?: string[] }> | null;
  active: boolean;
  source: string;
  status: string | null;
  facts: Record<string, unknown>;
  feed_key: string;
  last_development: { id: string; title: string } | null;
  created_at: string;
  updated_at: string;
}

const SUMMIT = {
  id: "putin-trump-summit-api",
  title: "Putin–Trump summit",
  kind: "event",
  query: '(Putin OR Kremlin) AND Trump AND (summit OR meet* OR "talks")',
};

async function create(body: Record<string, unknown>) {
  return api("/v1/storylines", { method: "POST", json: body });
}

async function expectProblem(res: Response, status: number, field?: string): Promise<Problem> {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toBe(PROBLEM);
  const body = await res.json<Problem>();
  expect(body.status).toBe(status);
  if (field) expect(body.errors?.map((e) => e.field)).toContain(field);
  return body;
}

async function storylineCount(): Promise<number> {
  const row = await env.DB.prepare("SELECT COUNT(*) AS n FROM storylines").first<{ n: number }>();
  return row?.n ?? 0;
}

describe("POST /v1/storylines", () => {
  it("creates a storyline with defaults, a feed key and no status yet", async () => {
    const res = await create(SUMMIT);
    expect(res.status).toBe(201);
    expect(res.headers.get("location")).toBe(`/v1/storylines/${SUMMIT.id}`);
    const body = await res.json<StorylineBody>();
    expect(body).toMatchObject({
      ...SUMMIT,
      feeds: null,
      alert_on: ["status_change", "new_fact"],
      aliases: null,
      participants: null,
      active: true,
      source: "api",
      status: null,
      facts: { date: null, place: null, participants: null, note: null },
      last_development: null,
      // Its own health: detection failures land here, never on a feed.
      last_error: null,
      failing_since: null,
    });
    expect(body.feed_key).toMatch(/^fk_[A-Za-z0-9_-]{20,}$/);
    expect(Date.parse(body.created_at)).not.toBeNaN();
    expect(body.updated_at).toBe(body.created_at);

    const got = await api(`/v1/storylines/${SUMMIT.id}`);
    expect(got.status).toBe(200);
    expect(await got.json()).toEqual(body);
  });

  it("defaults a topic to alerting on coverage, its only kind of development", async () => {
    const topic = await (await create({ ...SUMMIT, id: "topic-default", kind: "topic" })).json<StorylineBody>();
    expect(topic.alert_on).toEqual(["coverage"]);
    const chosen = await (
      await create({ ...SUMMIT, id: "topic-chosen", kind: "topic", alert_on: ["new_fact"] })
    ).json<StorylineBody>();
    expect(chosen.alert_on).toEqual(["new_fact"]);
  });

  it("gives every storyline its own feed key and keeps optional fields", async () => {
    const feedId = "feed_storyline_api_test";
    await env.DB.prepare("INSERT INTO feeds (id, url, created_at, next_check_at) VALUES (?1, ?2, ?3, ?3)")
      .bind(feedId, "https://news.example/storyline-api.xml", new Date().toISOString())
      .run();
    const a = await (await create({ ...SUMMIT, id: "keys-a" })).json<StorylineBody>();
    const res = await create({
      ...SUMMIT,
      id: "keys-b",
      kind: "agreement",
      feeds: [feedId],
      alert_on: ["coverage"],
      aliases: { Anchorage: ["Elmendorf-Richardson"] },
      participants: [{ name: "Vladimir Putin", aliases: ["Putin", "Kremlin"] }, { name: "Donald Trump" }],
    });
    expect(res.status).toBe(201);
    const b = await res.json<StorylineBody>();
    expect(b.feed_key).not.toBe(a.feed_key);
    expect(b).toMatchObject({
      kind: "agreement",
      feeds: [feedId],
      alert_on: ["coverage"],
      aliases: { Anchorage: ["Elmendorf-Richardson"] },
      participants: [{ name: "Vladimir Putin", aliases: ["Putin", "Kremlin"] }, { name: "Donald Trump" }],
    });
    const patched = await api("/v1/storylines/keys-b", { method: "PATCH", json: { participants: null } });
    expect((await patched.json<StorylineBody>()).participants).toBeNull();
  });

  it("answers 409 problem+json for a duplicate id and keeps the original", async () => {
    await create({ ...SUMMIT, id: "dupe" });
    const before = await (await api("/v1/storylines/dupe")).json<StorylineBody>();
    const res = await create({ ...SUMMIT, id: "dupe", title: "Another" });
    const problem = await expectProblem(res, 409);
    expect(problem.type).toBe("urn:storywatch:problem:already-exists");
    expect(problem.detail).toContain('"dupe"');
    expect(await (await api("/v1/storylines/dupe")).json()).toEqual(before);
  });

  it("names the position of a query syntax error and writes nothing", async () => {
    const count = await storylineCount();
    const res = await create({ ...SUMMIT, id: "bad-query", query: "(Putin OR Kremlin AND Trump" });
    const problem = await expectProblem(res, 400, "query");
    expect(problem.detail).toMatch(/Unbalanced parentheses.*at position 1/);
    const dangling = await expectProblem(await create({ ...SUMMIT, id: "bad-query", query: "Putin AND" }), 400);
    expect(dangling.detail).toMatch(/Dangling operator: AND has nothing after it \(at position 7\)/);
    const phrase = await expectProblem(await create({ ...SUMMIT, id: "bad-query", query: 'Putin ""' }), 400);
    expect(phrase.detail).toMatch(/Empty phrase.*at position 7/);
    expect(await storylineCount()).toBe(count);
    expect((await api("/v1/storylines/bad-query")).status).toBe(404);
  });

  it.each([
    [{ id: "Not A Slug" }, "id"],
    [{ id: "-leading" }, "id"],
    [{ id: "double--hyphen" }, "id"],
    [{ id: undefined }, "id"],
    [{ kind: "meeting" }, "kind"],
    [{ title: "  " }, "title"],
    [{ title: "\u200b\u200d\ufeff" }, "title"],
    [{ title: " \u202e\u2066 " }, "title"],
    [{ query: "\u200b \u2060" }, "query"],
    [{ query: "" }, "query"],
    [{ alert_on: ["status_change", "tweets"] }, "alert_on.1"],
    [{ alert_on: ["new_fact", "new_fact"] }, "alert_on"],
    [{ feeds: [] }, "feeds"],
    [{ aliases: { Alaska: "Anchorage" } }, "aliases.Alaska"],
    [{ participants: ["Putin"] }, "participants.0"],
    [{ participants: [{ name: " " }] }, "participants.0.name"],
    [{ participants: [{ name: "Putin", role: "president" }] }, "participants.0"],
    [{ colour: "red" }, "body"],
  ])("rejects %o naming %s, writing nothing", async (change, field) => {
    const count = await storylineCount();
    const res = await create({ ...SUMMIT, id: "invalid-one", ...change });
    await expectProblem(res, 400, field);
    expect(await storylineCount()).toBe(count);
  });

  it("rejects feed ids that name no feed", async () => {
    const res = await create({ ...SUMMIT, id: "unknown-feeds", feeds: ["feed_nope"] });
    const problem = await expectProblem(res, 400, "feeds");
    expect(problem.detail).toContain('"feed_nope"');
    expect((await api("/v1/storylines/unknown-feeds")).status).toBe(404);
  });

  it("needs a token", async () => {
    await expectProblem(await api("/v1/storylines", { method: "POST", json: SUMMIT, token: null }), 401);
    await expectProblem(await api("/v1/storylines", { token: null }), 401);
  });
});

describe("GET /v1/storylines", () => {
  it("lists storylines and 404s an unknown id", async () => {
    await create({ ...SUMMIT, id: "listed" });
    const res = await api("/v1/storylines");
    expect(res.status).toBe(200);
    const { storylines } = await res.json<{ storylines: StorylineBody[] }>();
    expect(storylines.map((s) => s.id)).toContain("listed");
    const missing = await expectProblem(await api("/v1/storylines/no-such-storyline"), 404);
    expect(missing.type).toBe("urn:storywatch:problem:not-found");
  });

  it("shows the last development", async () => {
    await create({ ...SUMMIT, id: "with-development" });
    const now = new Date().toISOString();
    await env.DB.batch([
      env.DB.prepare(
        `INSERT INTO developments (id, storyline_id, dev_key, type, status, facts, changes, title, confidence, first_seen_at, updated_at)
         VALUES ('dev_api_test', 'with-development', 'k1', 'status_change', 'agreed', '{}', '[]', 'Summit agreed', 0.8, ?1, ?1)`,
      ).bind(now),
      env.DB.prepare(
        "UPDATE storylines SET status = 'agreed', last_development_id = 'dev_api_test' WHERE id = 'with-development'",
      ),
    ]);
    const body = await (await api("/v1/storylines/with-development")).json<StorylineBody>();
    expect(body.status).toBe("agreed");
    expect(body.last_development).toMatchObject({ id: "dev_api_test", title: "Summit agreed", status: "agreed" });
  });
});

describe("PATCH /v1/storylines/:id", () => {
  it("changes only the given fields", async () => {
    const created = await (await create({ ...SUMMIT, id: "patched", aliases: { a: ["b"] } })).json<StorylineBody>();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const res = await api("/v1/storylines/patched", {
      method: "PATCH",
      json: { title: "Renamed", query: "Putin NEAR/5 Trump", alert_on: ["status_change", "coverage"], aliases: null },
    });
    expect(res.status).toBe(200);
    const body = await res.json<StorylineBody>();
    expect(body).toMatchObject({
      id: "patched",
      title: "Renamed",
      kind: "event",
      query: "Putin NEAR/5 Trump",
      alert_on: ["status_change", "coverage"],
      aliases: null,
      feed_key: created.feed_key,
      created_at: created.created_at,
    });
    expect(body.updated_at > created.updated_at).toBe(true);
  });

  it("starts over from the stored items when the kind changes", async () => {
    const seen = new Date(Date.now() - 3_600_000).toISOString();
    await env.DB.batch([
      env.DB.prepare(
        "INSERT INTO feeds (id, url, next_check_at, created_at) VALUES ('feed_kind', 'https://kind.example/rss', ?1, ?1)",
      ).bind(seen),
      env.DB.prepare(
        `INSERT INTO items (id, feed_id, item_key, title, summary, published_at, first_seen_at, updated_at, content_hash)
         VALUES ('itm_kind1', 'feed_kind', 'k1', 'Trump says he will meet Putin in Alaska on Friday, August 15', '', ?1, ?2, ?2, 'h')`,
      ).bind("2025-08-08T20:00:00.000Z", seen),
    ]);
    const asEvent = await (await create({ ...SUMMIT, id: "kind-change" })).json<StorylineBody>();
    expect(asEvent).toMatchObject({ status: "scheduled", facts: { date: "2025-08-15", place: "Alaska" } });
    const asAgreement = await (
      await api("/v1/storylines/kind-change", { method: "PATCH", json: { kind: "agreement" } })
    ).json<StorylineBody>();
    // "Scheduled" is no agreement status: the event's state is gone, nothing in the item moves an agreement.
    expect(asAgreement).toMatchObject({ kind: "agreement", status: null, facts: { date: null, place: null } });
    const back = await (
      await api("/v1/storylines/kind-change", { method: "PATCH", json: { kind: "event" } })
    ).json<StorylineBody>();
    expect(back).toMatchObject({ kind: "event", status: "scheduled", facts: { date: "2025-08-15", place: "Alaska" } });
    const alerts = await env.DB.prepare("SELECT count(*) AS n FROM deliveries").first<{ n: number }>();
    expect(alerts?.n).toBe(0);
  });

  it("rejects a bad patch and changes nothing", async () => {
    const created = await (await create({ ...SUMMIT, id: "patch-guarded" })).json<StorylineBody>();
    const bad = await api("/v1/storylines/patch-guarded", { method: "PATCH", json: { query: "Putin OR OR Trump" } });
    const problem = await expectProblem(bad, 400, "query");
    expect(problem.detail).toMatch(/OR follows OR.*at position 10/);
    await expectProblem(await api("/v1/storylines/patch-guarded", { method: "PATCH", json: {} }), 400);
    await expectProblem(await api("/v1/storylines/patch-guarded", { method: "PATCH", json: { id: "x" } }), 400);
    await expectProblem(
      await api("/v1/storylines/patch-guarded", { method: "PATCH", json: { feeds: ["feed_missing"] } }),
      400,
      "feeds",
    );
    expect(await (await api("/v1/storylines/patch-guarded")).json()).toEqual(created);
    await expectProblem(await api("/v1/storylines/nobody", { method: "PATCH", json: { title: "x" } }), 404);
  });
});

describe("DELETE /v1/storylines/:id", () => {
  it("deletes a storyline and its developments", async () => {
    await create({ ...SUMMIT, id: "doomed" });
    const now = new Date().toISOString();
    await env.DB.prepare(
      `INSERT INTO developments (id, storyline_id, dev_key, type, title, first_seen_at, updated_at)
       VALUES ('dev_doomed', 'doomed', 'k', 'coverage', 't', ?1, ?1)`,
    )
      .bind(now)
      .run();
    const res = await api("/v1/storylines/doomed", { method: "DELETE" });
    expect(res.status).toBe(204);
    expect((await api("/v1/storylines/doomed")).status).toBe(404);
    const left = await env.DB.prepare("SELECT COUNT(*) AS n FROM developments WHERE storyline_id = 'doomed'").first<{
      n: number;
    }>();
    expect(left?.n).toBe(0);
    await expectProblem(await api("/v1/storylines/doomed", { method: "DELETE" }), 404);
  });

  it("refuses to change or delete a storyline declared in storylines.json", async () => {
    await create({ ...SUMMIT, id: "declared" });
    await env.DB.prepare("UPDATE storylines SET source = 'config' WHERE id = 'declared'").run();
    const del = await expectProblem(await api("/v1/storylines/declared", { method: "DELETE" }), 409);
    expect(del.type).toBe("urn:storywatch:problem:managed-by-config");
    expect(del.detail).toContain("storylines.json");
    await expectProblem(await api("/v1/storylines/declared", { method: "PATCH", json: { title: "x" } }), 409);
    expect((await api("/v1/storylines/declared")).status).toBe(200);
  });
});

describe("POST /v1/queries/test", () => {
  it("says whether the query matches each text", async () => {
    const res = await api("/v1/queries/test", {
      method: "POST",
      json: {
        query: '(Putin OR Kremlin) AND Trump AND (summit OR meet* OR "talks")',
        texts: [
          "Putin and Trump agree to meet in Alaska",
          "Trump and Xi to meet",
          "Kremlin says Trump talks are possible",
          "De-escalation talks: Kremlin and Trump",
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ valid: true, matches: [true, false, true, true] });
  });

  it("treats each text as title and summary, with accents and wildcards", async () => {
    const res = await api("/v1/queries/test", {
      method: "POST",
      json: {
        query: "title:Zelensk* AND summary:Turkiye NOT escalation",
        texts: ["Zelenskyy in Türkiye", "Zelensky escalation Türkiye"],
      },
    });
    expect(await res.json()).toEqual({ valid: true, matches: [true, false] });
  });

  it("answers 400 naming the position of a syntax error", async () => {
    const res = await api("/v1/queries/test", { method: "POST", json: { query: "Putin NEAR/x Trump", texts: ["x"] } });
    const problem = await expectProblem(res, 400, "query");
    expect(problem.detail).toMatch(/Bad NEAR\/x.*at position 7/);
    const star = await expectProblem(
      await api("/v1/queries/test", { method: "POST", json: { query: "Putin *", texts: [] } }),
      400,
    );
    expect(star.detail).toMatch(/Lone \*.*at position 7/);
  });

  it("rejects a body without a query", async () => {
    await expectProblem(await api("/v1/queries/test", { method: "POST", json: { texts: ["x"] } }), 400, "query");
  });
});

describe("OpenAPI", () => {
  it("documents the storyline and query routes", async () => {
    const doc = await (await api("/openapi.json")).json<{ paths: Record<string, Record<string, unknown>> }>();
    expect(Object.keys(doc.paths["/v1/storylines"] ?? {}).sort()).toEqual(["get", "post"]);
    expect(Object.keys(doc.paths["/v1/storylines/{id}"] ?? {}).sort()).toEqual(["delete", "get", "patch"]);
    expect(Object.keys(doc.paths["/v1/queries/test"] ?? {})).toEqual(["post"]);
  });
});

describe("request bodies", () => {
  it("rejects a body that is not JSON, or not sent as JSON", async () => {
    const count = await storylineCount();
    const malformed = await api("/v1/storylines", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{not json",
    });
    await expectProblem(malformed, 400);
    const untyped = await api("/v1/storylines", { method: "POST", body: JSON.stringify(SUMMIT) });
    expect(untyped.status).toBeGreaterThanOrEqual(400);
    expect(untyped.status).toBeLessThan(500);
    expect(untyped.headers.get("content-type")).toBe(PROBLEM);
    expect(await storylineCount()).toBe(count);
  });
});
