import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/api/app";
import { tokenMatches } from "../../src/api/auth";
import { readConfig } from "../../src/config";
import { api } from "../helpers/api";
import { fakeInternet } from "../helpers/fake-internet";
import { countingStream } from "../helpers/streams";

const PROBLEM = "application/problem+json";

describe("GET /v1/health", () => {
  it("answers without a token", async () => {
    const res = await SELF.fetch("https://storywatch.test/v1/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  });
});

describe("bearer authentication", () => {
  it("gives 401 problem+json with a challenge when the header is missing", async () => {
    const res = await api("/v1/runs", { token: null });
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toBe(PROBLEM);
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer realm="storywatch"/);
    const body = await res.json<Record<string, unknown>>();
    expect(body).toMatchObject({ status: 401, type: "urn:storywatch:problem:unauthorized" });
    expect(body.detail).toMatch(/Authorization: Bearer/);
  });

  it("gives 401 for a wrong token, and for a prefix of a right one", async () => {
    for (const token of ["wrong-token", "test-toke", "test-token-and-more"]) {
      const res = await api("/v1/runs", { token });
      expect(res.status, token).toBe(401);
      expect(res.headers.get("www-authenticate")).toContain('error="invalid_token"');
    }
  });

  it("gives 400 for a malformed Authorization header", async () => {
    for (const header of ["Basic dXNlcjpwYXNz", "Bearer", "Bearer two words", "test-token"]) {
      const res = await SELF.fetch("https://storywatch.test/v1/runs", { headers: { authorization: header } });
      expect(res.status, header).toBe(400);
      expect(res.headers.get("content-type")).toBe(PROBLEM);
      expect(await res.json()).toMatchObject({ type: "urn:storywatch:problem:malformed-authorization" });
    }
  });

  it("accepts every token of a comma-separated API_TOKEN (rotation)", async () => {
    expect(await tokenMatches("test-token", ["test-token", "rotated-token"])).toBe(true);
    expect(await tokenMatches("rotated-token", ["test-token", "rotated-token"])).toBe(true);
    expect(await tokenMatches("other", ["test-token", "rotated-token"])).toBe(false);
    expect(await tokenMatches("", ["test-token"])).toBe(false);
    // Past authentication, an unknown route is a 404, so the token was accepted.
    const res = await api("/v1/nothing-here", { token: "rotated-token" });
    expect(res.status).toBe(404);
  });
});

describe("problem+json for routing errors", () => {
  it("gives 404 for an unknown route", async () => {
    const res = await api("/v1/no-such-thing");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe(PROBLEM);
    expect(await res.json()).toMatchObject({
      type: "urn:storywatch:problem:not-found",
      status: 404,
      instance: "/v1/no-such-thing",
    });
  });

  it("gives 405 with Allow for a known path and a wrong method", async () => {
    const res = await SELF.fetch("https://storywatch.test/v1/health", { method: "DELETE" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, HEAD");
    expect(res.headers.get("content-type")).toBe(PROBLEM);
    expect(await res.json()).toMatchObject({ status: 405, type: "urn:storywatch:problem:method-not-allowed" });
  });
});

describe("validation failures", () => {
  it("name the field and what to change", async () => {
    const { z, createRoute } = await import("@hono/zod-openapi");
    const app = createApp();
    app.openapi(
      createRoute({
        method: "post",
        path: "/v1/echo",
        request: {
          body: { content: { "application/json": { schema: z.object({ url: z.url(), limit: z.number().int() }) } } },
        },
        responses: { 200: { description: "ok" } },
      }),
      (c) => c.json(c.req.valid("json")),
    );
    const res = await app.request(
      "/v1/echo",
      {
        method: "POST",
        headers: { authorization: "Bearer test-token", "content-type": "application/json" },
        body: JSON.stringify({ url: "not a url" }),
      },
      env,
    );
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe(PROBLEM);
    const body = await res.json<{ errors: { field: string; message: string }[]; detail: string }>();
    // Fields as the client sent them, in plain words: no "json." prefix, no validator jargon.
    expect(body.errors.map((e) => e.field).sort()).toEqual(["limit", "url"]);
    expect(body.detail).toContain("limit is required (a number).");
    expect(body.detail).toContain("url must be an http(s) URL.");
    expect(body.detail).not.toMatch(/json\.|Invalid input|expected/);

    const malformed = await app.request(
      "/v1/echo",
      {
        method: "POST",
        headers: { authorization: "Bearer test-token", "content-type": "application/json" },
        body: "{not json",
      },
      env,
    );
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get("content-type")).toBe(PROBLEM);
  });
});

describe("request size limit", () => {
  it("answers 413 for a 13 MB query before reading it whole (declared length or streamed)", async () => {
    const query = `${"Putin OR ".repeat(1_500_000)}Trump`;
    expect(query.length).toBeGreaterThan(13_000_000);
    const declared = await api("/v1/queries/test", { method: "POST", json: { query, texts: [] } });
    expect(declared.status).toBe(413);
    expect(declared.headers.get("content-type")).toBe(PROBLEM);
    expect((await declared.json<{ detail: string }>()).detail).toMatch(/over 256 KB/);

    // Without a Content-Length: counted as it streams in, and reading stops past the limit.
    const bytes = new TextEncoder().encode(JSON.stringify({ query, texts: [] }));
    const { stream, pulled } = countingStream(bytes);
    const streamed = await api("/v1/queries/test", {
      method: "POST",
      body: stream,
      headers: { "content-type": "application/json", "transfer-encoding": "chunked" },
    });
    expect(streamed.status).toBe(413);
    expect(pulled()).toBeLessThan(2 * 1024 * 1024);
  });

  it("reads a body under 256 KB as before", async () => {
    const res = await api("/v1/queries/test", {
      method: "POST",
      json: { query: "Putin", texts: Array.from({ length: 10 }, () => "Putin ".repeat(3_000)) },
    });
    expect(res.status).toBe(200);
  });
});

describe("configuration checked at startup", () => {
  it("answers 500 problem+json naming a missing binding, not a stack trace", async () => {
    const broken = { ...env, DB: undefined } as unknown as Env;
    const res = await createApp().request("/v1/health", {}, broken);
    expect(res.status).toBe(500);
    expect(res.headers.get("content-type")).toBe(PROBLEM);
    const body = await res.json<{ detail: string; type: string }>();
    expect(body.type).toBe("urn:storywatch:problem:misconfigured");
    expect(body.detail).toContain("DB");
    expect(body.detail).not.toMatch(/at .*\.ts:\d+/);
  });

  it("names a missing secret and a bad setting", () => {
    const base = env as unknown as Record<string, unknown>;
    expect(() => readConfig({ ...base, API_TOKEN: undefined })).toThrow(/API_TOKEN/);
    expect(() => readConfig({ ...base, API_TOKEN: " , " })).toThrow(/API_TOKEN holds no token/);
    expect(() => readConfig({ ...base, ALLOW_PRIVATE_NETWORK: "yes" })).toThrow(/ALLOW_PRIVATE_NETWORK/);
    expect(() => readConfig({ ...base, WEBHOOK_RETRY_SCHEDULE: "1,soon" })).toThrow(/WEBHOOK_RETRY_SCHEDULE/);
    expect(readConfig(base).apiTokens).toEqual(["test-token", "rotated-token"]);
  });
});

describe("GET /openapi.json", () => {
  it("is OpenAPI 3.1 and documents the routes with the bearer scheme", async () => {
    const res = await SELF.fetch("https://storywatch.test/openapi.json");
    expect(res.status).toBe(200);
    const doc = await res.json<{
      openapi: string;
      paths: Record<string, unknown>;
      components: { securitySchemes: object };
    }>();
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toContain("/v1/health");
    expect(doc.components.securitySchemes).toHaveProperty("bearer");
  });
});

describe("test harness", () => {
  it("applies the D1 migrations in the setup file", async () => {
    const { results } = await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all<{
      name: string;
    }>();
    const names = results.map((r) => r.name);
    for (const table of [
      "feeds",
      "items",
      "storylines",
      "developments",
      "development_sources",
      "webhooks",
      "deliveries",
      "runs",
    ]) {
      expect(names).toContain(table);
    }
  });

  it("serves fixtures by URL and records requests, and refuses unrouted URLs", async () => {
    const internet = fakeInternet();
    try {
      internet
        .on("https://news.example/feed.xml", "<rss/>")
        .sequence("https://hooks.example/*", [
          new Response("no", { status: 500 }),
          new Response("ok", { status: 200 }),
        ]);
      expect(await (await fetch("https://news.example/feed.xml")).text()).toBe("<rss/>");
      expect((await fetch("https://hooks.example/a", { method: "POST", body: "x" })).status).toBe(500);
      expect((await fetch("https://hooks.example/b")).status).toBe(200);
      await expect(fetch("https://elsewhere.example/")).rejects.toThrow(/no route/);
      expect(internet.requests.map((r) => r.url)).toEqual([
        "https://news.example/feed.xml",
        "https://hooks.example/a",
        "https://hooks.example/b",
        "https://elsewhere.example/",
      ]);
      expect(internet.requestsTo("https://hooks.example/")[0]?.body).toBe("x");
    } finally {
      internet.restore();
    }
  });

  it("never lets an unrouted fetch reach the network", async () => {
    const res = await fetch("https://example.com/");
    expect(res.status).toBe(599);
    expect(res.headers.get("x-storywatch-test")).toBe("outbound-refused");
  });
});
