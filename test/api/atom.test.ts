import { env } from "cloudflare:test";
import { XMLValidator } from "fast-xml-parser";
import { parseAtomFeed } from "feedsmith";
import { beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../../src/api/app";
import { entryId, feedId, renderAtomFeed } from "../../src/api/routes/atom";
import { getStorylineSummary } from "../../src/store/pages";
import { api } from "../helpers/api";
import {
  AGREED_DEV,
  EVIL,
  EVIL_DEV,
  EVIL_TITLE,
  SCHEDULED_DEV,
  SCHEDULED_QUOTE,
  SCHEDULED_URL,
  SUMMIT,
  seedPages,
} from "./pages-seed";

const PROBLEM = "application/problem+json";
const RFC3339_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const summitFeed = `/v1/storylines/${SUMMIT.id}/feed.atom`;

beforeEach(async () => {
  await seedPages(env.DB);
});

async function fetchFeed(path: string, token: string | null = "test-token") {
  const res = await api(path, { token });
  const body = await res.text();
  return { res, body };
}

describe("GET /v1/storylines/:id/feed.atom", () => {
  it("is well-formed Atom 1.0 that a feed parser reads back with stable ids and dates", async () => {
    const { res, body } = await fetchFeed(summitFeed);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/atom+xml; charset=utf-8");
    expect(XMLValidator.validate(body)).toBe(true);

    const feed = parseAtomFeed(body);
    expect(feed.id).toBe(`urn:storywatch:storyline:${SUMMIT.id}`);
    expect(feed.title?.value).toBe(SUMMIT.title);
    // The feed's updated time is its newest entry's.
    expect(feed.updated).toBe("2025-08-09T14:00:00.000Z");
    expect(feed.authors?.[0]?.name).toBe("storywatch");

    const entries = feed.entries ?? [];
    expect(entries.map((entry) => entry.id)).toEqual([
      `urn:storywatch:development:${SCHEDULED_DEV}`,
      `urn:storywatch:development:${AGREED_DEV}`,
    ]);
    for (const entry of entries) {
      expect(entry.updated).toMatch(RFC3339_UTC);
      expect(entry.published).toMatch(RFC3339_UTC);
    }
    const [scheduled] = entries;
    expect(scheduled?.title?.value).toBe("Summit set for 15 August in Alaska");
    expect(scheduled?.published).toBe("2025-08-09T12:30:00.000Z");
    expect(scheduled?.updated).toBe("2025-08-09T14:00:00.000Z");
    expect(scheduled?.categories?.map((c) => c.term)).toEqual(["status_change", "status:scheduled"]);
    const related = scheduled?.links?.filter((link) => link.rel === "related").map((link) => link.href);
    expect(related).toEqual([SCHEDULED_URL, "https://daily.example/politics/alaska-summit"]);
    expect(scheduled?.content?.type).toBe("html");
    expect(scheduled?.content?.value).toContain(SCHEDULED_QUOTE);
    expect(scheduled?.content?.value).toContain(`href="${SCHEDULED_URL}"`);
  });

  it("links to itself and to the storyline page, both with the feed key", async () => {
    const { body } = await fetchFeed(summitFeed);
    const feed = parseAtomFeed(body);
    const self = feed.links?.find((link) => link.rel === "self");
    const alternate = feed.links?.find((link) => link.rel === "alternate");
    expect(self?.href).toBe(`https://storywatch.test${summitFeed}`);
    expect(alternate?.href).toBe(`https://storywatch.test/storylines/${SUMMIT.id}?key=${SUMMIT.feedKey}`);
    const entryAlternate = feed.entries?.[0]?.links?.find((link) => link.rel === "alternate");
    expect(entryAlternate?.href).toBe(
      `https://storywatch.test/storylines/${SUMMIT.id}?key=${SUMMIT.feedKey}#${SCHEDULED_DEV}`,
    );
  });

  it("keeps entry ids when a development is corroborated, and moves its updated time", async () => {
    const before = parseAtomFeed((await fetchFeed(summitFeed)).body);
    await env.DB.prepare("UPDATE developments SET outlets = 3, updated_at = ? WHERE id = ?")
      .bind("2025-08-10T18:00:00.000Z", SCHEDULED_DEV)
      .run();
    const after = parseAtomFeed((await fetchFeed(summitFeed)).body);
    expect(after.entries?.map((e) => e.id)).toEqual(before.entries?.map((e) => e.id));
    expect(after.id).toBe(before.id);
    expect(after.entries?.[0]?.updated).toBe("2025-08-10T18:00:00.000Z");
    expect(after.updated).toBe("2025-08-10T18:00:00.000Z");
  });

  it("carries markup from feeds as text and never links a javascript: URL", async () => {
    const { res, body } = await fetchFeed(`/v1/storylines/${EVIL.id}/feed.atom`);
    expect(res.status).toBe(200);
    expect(XMLValidator.validate(body)).toBe(true);
    const feed = parseAtomFeed(body);
    expect(feed.title?.value).toBe(EVIL_TITLE);
    const [entry] = feed.entries ?? [];
    expect(entry?.id).toBe(entryId(EVIL_DEV));
    expect(entry?.title?.value).toBe("<script>window.__pwned=7</script>Breaking");
    expect(entry?.links?.some((link) => /^javascript:/i.test(link.href ?? ""))).toBe(false);
    // The html content is entity-escaped HTML: a reader shows the script as text.
    const html = entry?.content?.value ?? "";
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain("&lt;script&gt;window.__pwned=12&lt;/script&gt;");
    expect(html).not.toContain("javascript:");
  });

  it("answers a revalidation with 304 while nothing changed, and 200 once a development moves", async () => {
    const first = await fetchFeed(summitFeed);
    const tag = first.res.headers.get("etag");
    expect(tag).toMatch(/^"[^"]+"$/);
    const again = await api(summitFeed, { headers: { "if-none-match": tag ?? "" } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    await env.DB.prepare("UPDATE developments SET outlets = 4, updated_at = ? WHERE id = ?")
      .bind("2025-08-11T09:00:00.000Z", SCHEDULED_DEV)
      .run();
    const changed = await api(summitFeed, { headers: { "if-none-match": tag ?? "" } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).not.toBe(tag);
    // Without access, an ETag gets no 304: the answer is still 401.
    const stranger = await api(summitFeed, { token: null, headers: { "if-none-match": tag ?? "" } });
    expect(stranger.status).toBe(401);
  });

  it("answers for a storyline with no developments with its own updated time", async () => {
    const { body } = await fetchFeed("/v1/storylines/quiet-topic/feed.atom");
    const feed = parseAtomFeed(body);
    expect(feed.entries ?? []).toEqual([]);
    expect(feed.updated).toBe("2025-08-10T08:00:00.000Z");
  });
});

describe("Atom feed access", () => {
  it("takes the storyline's feed key in ?key= instead of a bearer token", async () => {
    const { res } = await fetchFeed(`${summitFeed}?key=${SUMMIT.feedKey}`, null);
    expect(res.status).toBe(200);
  });

  it("refuses a missing, wrong or other storyline's key, and an API token in the URL", async () => {
    const missing = await fetchFeed(summitFeed, null);
    expect(missing.res.status).toBe(401);
    expect(missing.res.headers.get("content-type")).toBe(PROBLEM);
    expect(missing.res.headers.get("www-authenticate")).toMatch(/^Bearer/);
    for (const key of [EVIL.feedKey, "test-token", "", `${SUMMIT.feedKey}x`]) {
      const { res, body } = await fetchFeed(`${summitFeed}?key=${encodeURIComponent(key)}`, null);
      expect(res.status, key).toBe(401);
      expect(JSON.parse(body)).toMatchObject({ type: "urn:storywatch:problem:unauthorized" });
    }
    expect((await fetchFeed(summitFeed, "wrong-token")).res.status).toBe(401);
  });

  it("opens with the feed key that the storylines API shows for a new storyline", async () => {
    const created = await api("/v1/storylines", {
      method: "POST",
      json: { id: "grain-deal", title: "Black Sea grain deal", kind: "agreement", query: "grain AND deal" },
    });
    expect(created.status).toBe(201);
    const { feed_key } = await created.json<{ feed_key: string }>();
    expect(feed_key.length).toBeGreaterThanOrEqual(16);
    const { res, body } = await fetchFeed(
      `/v1/storylines/grain-deal/feed.atom?key=${encodeURIComponent(feed_key)}`,
      null,
    );
    expect(res.status).toBe(200);
    const feed = parseAtomFeed(body);
    expect(feed.id).toBe("urn:storywatch:storyline:grain-deal");
    expect(feed.title?.value).toBe("Black Sea grain deal");
    expect(feed.entries ?? []).toEqual([]);
  });

  it("answers 401, not 404, for an unknown storyline without a token", async () => {
    expect((await fetchFeed(`/v1/storylines/nope/feed.atom?key=${SUMMIT.feedKey}`, null)).res.status).toBe(401);
    expect((await fetchFeed("/v1/storylines/nope/feed.atom")).res.status).toBe(404);
  });

  it("is public with PUBLIC_READS=true, with links that carry no key", async () => {
    const publicEnv = { ...env, PUBLIC_READS: "true" } as Env;
    const res = await createApp().request(`https://storywatch.test${summitFeed}`, {}, publicEnv);
    expect(res.status).toBe(200);
    const feed = parseAtomFeed(await res.text());
    expect(feed.links?.find((link) => link.rel === "alternate")?.href).toBe(
      `https://storywatch.test/storylines/${SUMMIT.id}`,
    );
  });

  it("leaves the rest of /v1 behind the bearer token: a feed key opens nothing else", async () => {
    for (const path of [
      `/v1/storylines/${SUMMIT.id}/developments?key=${SUMMIT.feedKey}`,
      `/v1/storylines/${SUMMIT.id}/feed.atom/extra?key=${SUMMIT.feedKey}`,
      `/v1/storylines/${SUMMIT.id}?key=${SUMMIT.feedKey}`,
    ]) {
      const { res } = await fetchFeed(path, null);
      expect(res.status, path).toBe(401);
    }
  });

  it("is documented in /openapi.json with both ways in", async () => {
    const res = await api("/openapi.json", { token: null });
    const doc = await res.json<{
      paths: Record<string, { get?: { security?: object[] } }>;
      components: { securitySchemes: Record<string, { type: string; in?: string; name?: string }> };
    }>();
    expect(doc.paths["/v1/storylines/{id}/feed.atom"]?.get?.security).toEqual([{ bearer: [] }, { feedKey: [] }]);
    expect(doc.components.securitySchemes.feedKey).toMatchObject({ type: "apiKey", in: "query", name: "key" });
  });
});

describe("renderAtomFeed", () => {
  it("drops characters XML cannot carry, so a feed with control characters stays well-formed", async () => {
    await seedPages(env.DB);
    const storyline = await getStorylineSummary(env.DB, SUMMIT.id);
    if (!storyline) throw new Error("seed missing");
    const xml = renderAtomFeed(
      { ...storyline, title: "Bell\u0007 and \uD800lone surrogate & <tags>" },
      [
        {
          id: "dev_x",
          storyline_id: SUMMIT.id,
          type: "coverage",
          status: null,
          previous_status: null,
          facts: {},
          changes: [],
          title: "Form\u000Cfeed",
          summary: null,
          confidence: 0.5,
          outlets: 1,
          sources: [],
          first_seen_at: "2025-08-11T00:00:00Z",
          updated_at: "2025-08-11T01:00:00+02:00",
          baseline: false,
        },
      ],
      { self: "https://storywatch.test/x.atom?key=a&b=c", page: "https://storywatch.test/storylines/x" },
    );
    expect(XMLValidator.validate(xml)).toBe(true);
    const feed = parseAtomFeed(xml);
    expect(feed.id).toBe(feedId(SUMMIT.id));
    expect(feed.title?.value).toBe("Bell and \uFFFDlone surrogate & <tags>");
    expect(feed.entries?.[0]?.title?.value).toBe("Formfeed");
    // Times are normalised to UTC (RFC 3339).
    expect(feed.entries?.[0]?.updated).toBe("2025-08-10T23:00:00.000Z");
    expect(feed.links?.find((l) => l.rel === "self")?.href).toBe("https://storywatch.test/x.atom?key=a&b=c");
  });
});
