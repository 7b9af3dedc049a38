/**
 * One voice: the same count in every place, errors that name fields as the client sent them
 * in plain sentences, a 415 that says what to send, and one position for a query error.
 */
import { env } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import { summarise } from "../../src/alerts/format";
import { getDevelopment } from "../../src/store/developments";
import { api } from "../helpers/api";
import { SCHEDULED_DEV, SUMMIT, seedPages } from "./pages-seed";

const PROBLEM = "application/problem+json";

interface Problem {
  type: string;
  detail: string;
  errors?: Array<{ field: string; message: string }>;
}

beforeEach(async () => {
  await seedPages(env.DB);
});

describe("the outlet count", () => {
  it("is the development's own count in the alert, the page and the Atom feed, and never in a title", async () => {
    const development = await getDevelopment(env.DB, SCHEDULED_DEV);
    expect(development?.outlets).toBe(2);
    expect(development?.title).not.toMatch(/outlet/);

    const alert = summarise({
      type: "development.created",
      timestamp: "2025-08-09T12:30:00.000Z",
      data: { storyline: { id: SUMMIT.id, title: SUMMIT.title }, development },
    });
    expect(alert.facts).toContainEqual({ name: "Reported by", value: "2 outlets" });
    expect(alert.headline + alert.title).not.toMatch(/outlet/);

    const page = await (await api(`/storylines/${SUMMIT.id}`)).text();
    const entry = page.slice(page.indexOf(`data-development="${SCHEDULED_DEV}"`));
    expect(entry.slice(0, 600)).toContain("2 outlets");

    const atom = await (await api(`/v1/storylines/${SUMMIT.id}/feed.atom`)).text();
    expect(atom).toContain("Reported by 2 outlets.");
  });
});

describe("errors", () => {
  it("name each field as the client sent it, once, in plain words", async () => {
    const res = await api("/v1/storylines", {
      method: "POST",
      json: { id: "Bad Id", title: "", kind: "summit", query: "Putin", colour: "red" },
    });
    expect(res.status).toBe(400);
    const problem = await res.json<Problem>();
    expect(problem.errors).toEqual([
      { field: "id", message: expect.stringContaining("must be a slug") },
      { field: "title", message: "must not be empty" },
      { field: "kind", message: 'must be "event", "agreement" or "topic"' },
      { field: "body", message: 'has unknown field "colour": remove it' },
    ]);
    expect(problem.detail).toBe(
      'id must be a slug: lowercase letters and digits in groups joined by single hyphens, e.g. putin-trump-summit. title must not be empty. kind must be "event", "agreement" or "topic". body has unknown field "colour": remove it.',
    );

    const webhook = await (
      await api("/v1/webhooks", { method: "POST", json: { url: "ftp://hooks.example/" } })
    ).json<Problem>();
    expect(webhook.errors?.map((e) => e.field)).toEqual(["url"]);
    expect(webhook.detail).toMatch(/^url "ftp:\/\/hooks\.example\/" is not usable/);

    const page = await (await api("/v1/runs?limit=lots")).json<Problem>();
    expect(page.errors).toEqual([{ field: "limit", message: "must be a number" }]);
    expect(page.detail).toBe("limit (query string) must be a number.");
  });

  it("answer a body without Content-Type: application/json with a 415 that says to send it", async () => {
    for (const headers of [{ "content-type": "text/plain" }, {}] as Record<string, string>[]) {
      const res = await api("/v1/feeds", { method: "POST", body: '{"url":"https://news.example/rss"}', headers });
      expect(res.status).toBe(415);
      expect(res.headers.get("content-type")).toBe(PROBLEM);
      const problem = await res.json<Problem>();
      expect(problem.type).toBe("urn:storywatch:problem:unsupported-media-type");
      expect(problem.detail).toBe("Send the body with the header Content-Type: application/json.");
    }
  });

  it("name one position for a query that does not parse", async () => {
    const res = await api("/v1/queries/test", { method: "POST", json: { query: "(Putin AND Trump" } });
    const problem = await res.json<Problem>();
    expect(problem.errors?.map((e) => e.field)).toEqual(["query"]);
    expect(problem.detail.match(/position \d+/g)).toHaveLength(1);
  });
});
