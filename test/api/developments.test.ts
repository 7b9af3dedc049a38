import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { api } from "../helpers/api";

const STORYLINE = "route-test-summit";

interface Page {
  developments: Array<{ id: string; first_seen_at: string; title: string; sources: Array<{ quote: string | null }> }>;
  next_cursor: string | null;
}

beforeAll(async () => {
  const now = "2026-01-01T00:00:00.000Z";
  const statements = [
    env.DB.prepare(
      `INSERT INTO storylines (id, title, kind, query, feed_key, created_at, updated_at)
       VALUES (?, 'Route test summit', 'event', 'summit', 'key', ?, ?)`,
    ).bind(STORYLINE, now, now),
  ];
  // Seven developments one hour apart; two share a timestamp to exercise the id tie-break.
  for (let i = 0; i < 7; i++) {
    const seen = new Date(Date.parse("2026-01-02T00:00:00.000Z") + Math.min(i, 5) * 3_600_000).toISOString();
    const id = `dev_route_${i}`;
    statements.push(
      env.DB.prepare(
        `INSERT INTO developments (id, storyline_id, dev_key, type, status, facts, title, first_seen_at, updated_at)
         VALUES (?, ?, ?, 'status_change', 'proposed', '{"date":null}', ?, ?, ?)`,
      ).bind(id, STORYLINE, `k${i}`, `Development ${i}`, seen, seen),
      env.DB.prepare(
        `INSERT INTO development_sources (development_id, item_id, url, title, quote, published_at, added_at)
         VALUES (?, ?, 'https://news.example/a', 'A', ?, ?, ?)`,
      ).bind(id, `itm_${i}`, `Quote ${i}.`, seen, seen),
    );
  }
  await env.DB.batch(statements);
});

describe("GET /v1/storylines/:id/developments", () => {
  it("lists newest first with sources and quotes, and pages with an opaque cursor", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `?limit=3&cursor=${encodeURIComponent(cursor)}` : "?limit=3";
      const res = await api(`/v1/storylines/${STORYLINE}/developments${query}`);
      expect(res.status).toBe(200);
      const page = await res.json<Page>();
      expect(page.developments.length).toBeLessThanOrEqual(3);
      for (const d of page.developments) {
        seen.push(d.id);
        expect(d.sources[0]?.quote).toMatch(/^Quote \d\.$/);
      }
      cursor = page.next_cursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    // 5 and 6 share first_seen_at; the id breaks the tie (descending).
    expect(seen).toEqual([
      "dev_route_6",
      "dev_route_5",
      "dev_route_4",
      "dev_route_3",
      "dev_route_2",
      "dev_route_1",
      "dev_route_0",
    ]);
  });

  it("defaults to 20 and filters with since=", async () => {
    const all = await (await api(`/v1/storylines/${STORYLINE}/developments`)).json<Page>();
    expect(all.developments).toHaveLength(7);
    expect(all.next_cursor).toBeNull();
    const recent = await (
      await api(`/v1/storylines/${STORYLINE}/developments?since=${encodeURIComponent("2026-01-02T04:00:00+00:00")}`)
    ).json<Page>();
    expect(recent.developments.map((d) => d.id)).toEqual(["dev_route_6", "dev_route_5", "dev_route_4"]);
    const byDate = await (await api(`/v1/storylines/${STORYLINE}/developments?since=2026-01-03`)).json<Page>();
    expect(byDate.developments).toEqual([]);
  });

  it("answers 400 problem+json for a malformed cursor, limit or since, and 404 for an unknown storyline", async () => {
    for (const query of [
      "?cursor=not-a-cursor",
      "?cursor=%25%25",
      "?limit=0",
      "?limit=101",
      "?limit=ten",
      "?since=yesterday",
    ]) {
      const res = await api(`/v1/storylines/${STORYLINE}/developments${query}`);
      expect(res.status, query).toBe(400);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      const body = await res.json<{ errors: Array<{ field: string }> }>();
      expect(body.errors[0]?.field, query).toMatch(/^(cursor|limit|since)$/);
    }
    const missing = await api("/v1/storylines/no-such-storyline/developments");
    expect(missing.headers.get("content-type")).toBe("application/problem+json");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ type: "urn:storywatch:problem:not-found" });
  });

  it("is documented in the OpenAPI document with its query parameters", async () => {
    const doc = await (await api("/openapi.json")).json<{
      paths: Record<string, { get?: { parameters?: Array<{ name: string; in: string }> } }>;
      components: { schemas: Record<string, unknown> };
    }>();
    const operation = doc.paths["/v1/storylines/{id}/developments"]?.get;
    expect(
      operation?.parameters
        ?.filter((p) => p.in === "query")
        .map((p) => p.name)
        .sort(),
    ).toEqual(["cursor", "limit", "since"]);
    expect(doc.components.schemas).toHaveProperty("Development");
  });
});
