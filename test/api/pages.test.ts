import { env } from "cloudflare:test";
import type { Document, Element } from "domhandler";
import { DomUtils, parseDocument } from "htmlparser2";
import { beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../../src/api/app";
import { factText, safeHref } from "../../src/api/pages/parts";
import { api } from "../helpers/api";
import {
  AGREED_DEV,
  EVIL,
  EVIL_TITLE,
  QUIET,
  SCHEDULED_DEV,
  SCHEDULED_QUOTE,
  SCHEDULED_URL,
  SUMMIT,
  seedPages,
} from "./pages-seed";

const PROBLEM = "application/problem+json";

beforeEach(async () => {
  await seedPages(env.DB);
});

async function page(path: string, token: string | null = "test-token") {
  const res = await api(path, { token });
  const body = await res.text();
  return { res, body, doc: parseDocument(body) };
}

const all = (doc: Document, test: (element: Element) => boolean) => DomUtils.findAll(test, doc.children);
const text = (node: Element | Document) => DomUtils.textContent(node).replace(/\s+/g, " ").trim();

/** Everything in the document that could run script: script elements, on* handlers, javascript: URLs. */
function scriptVectors(doc: Document): string[] {
  const found: string[] = [];
  for (const element of all(doc, () => true)) {
    if (element.name === "script") found.push("<script>");
    for (const [name, value] of Object.entries(element.attribs)) {
      if (name.startsWith("on")) found.push(`${element.name}[${name}]`);
      if (/^\s*(javascript|data|vbscript):/i.test(value)) found.push(`${element.name}[${name}=${value}]`);
    }
  }
  return found;
}

describe("GET / (status page)", () => {
  it("lists every storyline with its status badge, facts, last development and outlets", async () => {
    const { res, doc } = await page("/");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const rows = all(doc, (e) => e.name === "tr" && e.attribs["data-storyline"] !== undefined);
    // Most recently moved first; a storyline without developments last.
    expect(rows.map((row) => row.attribs["data-storyline"])).toEqual([EVIL.id, SUMMIT.id, QUIET.id]);

    const summit = rows[1] as Element;
    const cells = all(summit as unknown as Document, (e) => e.name === "td").map(text);
    expect(cells[0]).toContain(SUMMIT.title);
    expect(cells[1]).toBe("scheduled");
    // Still scheduled, long after its date: flagged.
    expect(cells[2]).toBe("2025-08-15 passed");
    expect(cells[3]).toBe("Alaska");
    expect(cells[4]).toBe("2025-08-09 12:30 UTC");
    // Two outlets (Wire Service, The Daily) over both developments.
    expect(cells[5]).toBe("2");
    const badge = DomUtils.findOne((e) => e.attribs.class?.includes("badge") ?? false, summit.children);
    expect(badge?.attribs.class).toBe("badge status-scheduled");

    const quiet = all(rows[2] as unknown as Document, (e) => e.name === "td").map(text);
    expect(quiet[4]).toBe("never");
    expect(quiet[5]).toBe("0");
  });

  it("links each storyline to its page with its feed key when reads are not public", async () => {
    const { doc } = await page("/");
    const hrefs = all(doc, (e) => e.name === "a").map((a) => a.attribs.href);
    expect(hrefs).toContain(`/storylines/${SUMMIT.id}?key=${SUMMIT.feedKey}`);
  });

  it("shows a title with <script> as text and runs nothing from feeds", async () => {
    const { body, doc } = await page("/");
    expect(scriptVectors(doc)).toEqual([]);
    expect(text(doc)).toContain(EVIL_TITLE);
    expect(text(doc)).toContain(`<b onmouseover="window.__pwned=5">Nowhere</b>`);
    expect(body).not.toContain("<script>window");
    expect(body).toContain("&lt;script&gt;window.__pwned=1&lt;/script&gt;");
  });

  it("sends a policy that forbids every script, and no referrer", async () => {
    const { res } = await page("/");
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(res.headers.get("content-security-policy")).not.toContain("script-src");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("answers HEAD like GET, without a body", async () => {
    const res = await api("/", { method: "HEAD" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await res.text()).toBe("");
  });

  it("needs a bearer token when reads are not public", async () => {
    const { res } = await page("/", null);
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toBe(PROBLEM);
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect((await page("/", "wrong-token")).res.status).toBe(401);
  });

  it("does not take a feed key or an API token in ?key= for the list of all storylines", async () => {
    expect((await page(`/?key=${SUMMIT.feedKey}`, null)).res.status).toBe(401);
    // API tokens grant writes: never accepted in a URL, where history and logs keep them.
    expect((await page("/?key=test-token", null)).res.status).toBe(401);
  });

  it("is open to anyone with PUBLIC_READS=true, with links that carry no key", async () => {
    const publicEnv = { ...env, PUBLIC_READS: "true" } as Env;
    const res = await createApp().request("/", {}, publicEnv);
    expect(res.status).toBe(200);
    const doc = parseDocument(await res.text());
    const hrefs = all(doc, (e) => e.name === "a").map((a) => a.attribs.href);
    expect(hrefs).toContain(`/storylines/${SUMMIT.id}`);
    expect(hrefs.some((href) => href?.includes("key="))).toBe(false);
    expect(res.headers.get("cache-control")).toContain("public");
  });
});

describe("GET /storylines/:id (storyline page)", () => {
  it("shows the timeline newest first with quotes, source links and status moves", async () => {
    const { res, doc } = await page(`/storylines/${SUMMIT.id}`);
    expect(res.status).toBe(200);
    const items = all(doc, (e) => e.attribs["data-development"] !== undefined);
    expect(items.map((item) => item.attribs["data-development"])).toEqual([SCHEDULED_DEV, AGREED_DEV]);

    const scheduled = items[0] as Element;
    const scheduledDoc = scheduled as unknown as Document;
    expect(text(scheduledDoc)).toContain("Summit set for 15 August in Alaska");
    expect(text(scheduledDoc)).toContain("agreed → scheduled");
    expect(text(scheduledDoc)).toContain("date: — → 2025-08-15");
    const quotes = all(scheduledDoc, (e) => e.name === "blockquote").map(text);
    expect(quotes).toEqual([SCHEDULED_QUOTE, "Friday's meeting in Anchorage is confirmed."]);
    const links = all(scheduledDoc, (e) => e.name === "a");
    expect(links.map((a) => a.attribs.href)).toEqual([SCHEDULED_URL, "https://daily.example/politics/alaska-summit"]);
    expect(links[0]?.attribs.rel).toContain("noreferrer");
    expect(text(scheduledDoc)).toContain("2 outlets");
    // A status move shows as badges, not again as a change line.
    const agreed = text(items[1] as unknown as Document);
    expect(agreed).toContain("proposed → agreed");
    expect(agreed).not.toContain("status:");
  });

  it("shows the health of the feeds it draws on: which fail, since when, and why", async () => {
    const { doc } = await page(`/storylines/${SUMMIT.id}`);
    const rows = all(doc, (e) => e.name === "tr" && e.attribs["data-feed"] !== undefined);
    // Only the storyline's own feeds, failing first.
    expect(rows.map((row) => row.attribs["data-feed"])).toEqual(["feed_daily", "feed_wire"]);
    const daily = text(rows[0] as unknown as Document);
    expect(daily).toContain("failing since 2025-08-09 06:00 UTC");
    expect(daily).toContain("7 failures in a row");
    expect(daily).toContain("HTTP 503 Service Unavailable");
    expect(text(rows[1] as unknown as Document)).toContain("ok");
    expect(text(doc)).toContain("1 of 2 feeds failing.");
  });

  it("shows the storyline's own detection failures apart from its feeds' health", async () => {
    const healthy = text((await page(`/storylines/${SUMMIT.id}`)).doc);
    expect(healthy).not.toContain("detection failing");
    await env.DB.prepare("UPDATE storylines SET last_error = ?, failing_since = ? WHERE id = ?")
      .bind("the detector threw: bad state", "2025-08-10T07:00:00.000Z", SUMMIT.id)
      .run();
    try {
      const { doc } = await page(`/storylines/${SUMMIT.id}`);
      const health = text(doc);
      expect(health).toContain("detection failing since 2025-08-10 07:00 UTC: the detector threw: bad state");
      // The feeds' table is about fetching and parsing only: unchanged.
      expect(health).toContain("1 of 2 feeds failing.");
    } finally {
      await env.DB.prepare("UPDATE storylines SET last_error = NULL, failing_since = NULL WHERE id = ?")
        .bind(SUMMIT.id)
        .run();
    }
  });

  it("advertises its Atom feed (rel=alternate) and links to it", async () => {
    const { doc } = await page(`/storylines/${SUMMIT.id}`);
    const alternate = DomUtils.findOne(
      (e) => e.name === "link" && e.attribs.rel === "alternate" && e.attribs.type === "application/atom+xml",
      doc.children,
    );
    const atom = `/v1/storylines/${SUMMIT.id}/feed.atom?key=${SUMMIT.feedKey}`;
    expect(alternate?.attribs.href).toBe(atom);
    expect(all(doc, (e) => e.name === "a").map((a) => a.attribs.href)).toContain(atom);
  });

  it("escapes everything from feeds and never links a javascript: URL", async () => {
    const { body, doc } = await page(`/storylines/${EVIL.id}`);
    expect(scriptVectors(doc)).toEqual([]);
    expect(body).not.toMatch(/<script>window/);
    const shown = text(doc);
    expect(shown).toContain("<script>window.__pwned=7</script>Breaking");
    expect(shown).toContain(`<img src=x onerror="window.__pwned=8">`);
    expect(shown).toContain("</blockquote><script>window.__pwned=12</script>");
    expect(shown).toContain("<script>window.__pwned=10</script>click me");
    expect(shown).toContain(`<img src=x onerror="window.__pwned=4"> not a feed`);
    const title = DomUtils.findOne((e) => e.name === "title", doc.children);
    expect(text(title as unknown as Document)).toBe(`${EVIL_TITLE} · storywatch`);
  });

  it("accepts the storyline's own feed key instead of a token, and nothing else", async () => {
    expect((await page(`/storylines/${SUMMIT.id}?key=${SUMMIT.feedKey}`, null)).res.status).toBe(200);
    for (const key of [EVIL.feedKey, "test-token", "", SUMMIT.feedKey.slice(0, -1)]) {
      const { res } = await page(`/storylines/${SUMMIT.id}?key=${encodeURIComponent(key)}`, null);
      expect(res.status, key).toBe(401);
      expect(res.headers.get("content-type")).toBe(PROBLEM);
    }
    expect((await page(`/storylines/${SUMMIT.id}`, null)).res.status).toBe(401);
  });

  it("does not reveal whether a storyline exists to someone without access", async () => {
    expect((await page(`/storylines/no-such-storyline?key=${SUMMIT.feedKey}`, null)).res.status).toBe(401);
    expect((await page("/storylines/no-such-storyline", null)).res.status).toBe(401);
    const { res, body } = await page("/storylines/no-such-storyline");
    expect(res.status).toBe(404);
    expect(JSON.parse(body)).toMatchObject({ type: "urn:storywatch:problem:not-found" });
  });

  it("is open with PUBLIC_READS=true", async () => {
    const publicEnv = { ...env, PUBLIC_READS: "true" } as Env;
    const res = await createApp().request(`/storylines/${SUMMIT.id}`, {}, publicEnv);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(`href="/v1/storylines/${SUMMIT.id}/feed.atom"`);
    expect((await createApp().request("/storylines/nope", {}, publicEnv)).status).toBe(404);
  });
});

describe("page helpers", () => {
  it("link only absolute http(s) URLs", () => {
    expect(safeHref("https://news.example/a?b=1")).toBe("https://news.example/a?b=1");
    expect(safeHref("http://news.example/")).toBe("http://news.example/");
    for (const url of ["javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "/relative", "", null]) {
      expect(safeHref(url), String(url)).toBeUndefined();
    }
  });

  it("write a date range as a range and leave other text alone", () => {
    expect(factText("2025-08-15/2025-08-16")).toBe("2025-08-15 to 2025-08-16");
    expect(factText("Bosnia/Herzegovina")).toBe("Bosnia/Herzegovina");
    expect(factText(["Putin", "Trump"])).toBe("Putin, Trump");
    expect(factText(null)).toBe("—");
  });
});
