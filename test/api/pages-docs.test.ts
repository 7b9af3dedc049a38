import { SELF } from "cloudflare:test";
import type { Document } from "domhandler";
import { DomUtils, parseDocument } from "htmlparser2";
import { describe, expect, it } from "vitest";

interface OpenApi {
  paths: Record<string, Record<string, { summary?: string }>>;
  components?: { schemas?: Record<string, unknown> };
}

async function docsPage() {
  const res = await SELF.fetch("https://storywatch.test/docs");
  const body = await res.text();
  return { res, body, doc: parseDocument(body) };
}

const text = (node: Document) => DomUtils.textContent(node).replace(/\s+/g, " ");

describe("GET /docs", () => {
  it("is public HTML", async () => {
    const { res } = await docsPage();
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
  });

  it("documents every operation of /openapi.json, with its summary", async () => {
    const openapi = await (await SELF.fetch("https://storywatch.test/openapi.json")).json<OpenApi>();
    const { doc } = await docsPage();
    const shown = text(doc);
    const operations = Object.entries(openapi.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, operation]) => ({ path, method, summary: operation.summary })),
    );
    expect(operations.length).toBeGreaterThan(1);
    for (const { path, method, summary } of operations) {
      const section = DomUtils.findOne(
        (e) => e.name === "section" && e.attribs.id === `op-${`${method}-${path}`.replace(/[^A-Za-z0-9_-]+/g, "-")}`,
        doc.children,
      );
      expect(section, `${method} ${path}`).not.toBeNull();
      expect(text(section as unknown as Document)).toContain(path);
      if (summary) expect(shown).toContain(summary);
    }
    for (const name of Object.keys(openapi.components?.schemas ?? {})) {
      expect(
        DomUtils.findOne((e) => e.attribs.id === `schema-${name}`, doc.children),
        name,
      ).not.toBeNull();
    }
  });

  it("shows parameters, authentication and response schemas of an operation", async () => {
    const { doc } = await docsPage();
    const atom = DomUtils.findOne((e) => e.attribs.id === "op-get--v1-storylines-id-feed-atom", doc.children);
    const shown = text(atom as unknown as Document);
    expect(shown).toContain("key");
    expect(shown).toContain("query");
    expect(shown).toContain("Authentication: bearer, or feedKey.");
    expect(shown).toContain("application/atom+xml");
    expect(shown).toContain("application/problem+json");
    const health = DomUtils.findOne((e) => e.attribs.id === "op-get--v1-health", doc.children);
    expect(text(health as unknown as Document)).toContain("No authentication.");
  });

  it("works offline: no script and nothing loaded from another host", async () => {
    const { doc } = await docsPage();
    expect(DomUtils.findAll((e) => e.name === "script", doc.children)).toEqual([]);
    const loaded = DomUtils.findAll((e) => ["link", "img", "iframe"].includes(e.name), doc.children)
      .map((e) => e.attribs.href ?? e.attribs.src ?? "")
      .filter((url) => /^(https?:)?\/\//.test(url));
    expect(loaded).toEqual([]);
  });
});
