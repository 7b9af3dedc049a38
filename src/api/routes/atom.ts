import { createRoute, z } from "@hono/zod-openapi";
import { etag } from "hono/etag";
import { getConfig } from "../../config";
import { NotFound } from "../../lib/errors";
import type { DevelopmentJson } from "../../store/developments";
import { listDevelopments } from "../../store/developments";
import { getStorylineSummary, type StorylineSummary } from "../../store/pages";
import { VERSION } from "../../version";
import type { App } from "../app";
import { authorizeRead } from "../pages/access";
import { entryContentHtml } from "../pages/atom-entry";
import { safeHref } from "../pages/parts";
import { storylineLinks } from "../pages/routes";
import { commonErrors, problemContent } from "../schemas";

/** Entries in a feed: the newest developments; readers keep what they have already seen. */
const FEED_LIMIT = 50;

export const ATOM_CONTENT_TYPE = "application/atom+xml; charset=utf-8";

/** XML 1.0 §2.2 Char: tab, newline, carriage return, and everything from U+0020 except U+FFFE and U+FFFF. */
function isXmlChar(codePoint: number): boolean {
  return (
    codePoint === 0x9 ||
    codePoint === 0xa ||
    codePoint === 0xd ||
    (codePoint >= 0x20 && codePoint !== 0xfffe && codePoint !== 0xffff)
  );
}

/** Text or attribute value, escaped for XML (and stripped of characters XML forbids). */
export function xmlEscape(text: string): string {
  // Characters XML forbids may not appear even escaped; lone surrogates become U+FFFD.
  let allowed = "";
  for (const char of text.toWellFormed()) {
    if (isXmlChar(char.codePointAt(0) ?? 0)) allowed += char;
  }
  return allowed
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

/** RFC 4287 §3.3 date construct (RFC 3339), normalised to UTC. */
function atomDate(iso: string): string {
  const time = new Date(iso);
  return Number.isNaN(time.getTime()) ? iso : time.toISOString();
}

/**
 * Stable ids (RFC 4287 §4.2.6): derived only from our own ids, never from the host the
 * feed was fetched from, so they survive a move to another domain. URNs in the same
 * `urn:storywatch:` space as the problem types.
 */
export const feedId = (storylineId: string) => `urn:storywatch:storyline:${encodeURIComponent(storylineId)}`;
export const entryId = (developmentId: string) => `urn:storywatch:development:${encodeURIComponent(developmentId)}`;

export interface AtomLinks {
  /** The URL this feed was fetched from. */
  self: string;
  /** The storyline's HTML page. */
  page: string;
}

/** A storyline's developments as an Atom 1.0 document (RFC 4287), newest first. */
export function renderAtomFeed(storyline: StorylineSummary, developments: DevelopmentJson[], links: AtomLinks): string {
  // The feed changes when its entries do; with none yet, the storyline's own time stands in.
  const entryTimes = developments.map((development) => Date.parse(development.updated_at)).filter(Number.isFinite);
  const updated = entryTimes.length > 0 ? new Date(Math.max(...entryTimes)).toISOString() : storyline.updatedAt;
  const status = storyline.status ? ` (${storyline.status.replace("_", " ")})` : "";
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `<id>${xmlEscape(feedId(storyline.id))}</id>`,
    `<title type="text">${xmlEscape(storyline.title)}</title>`,
    `<subtitle type="text">${xmlEscape(`Developments in this ${storyline.kind} storyline${status}, tracked by storywatch.`)}</subtitle>`,
    `<updated>${atomDate(updated)}</updated>`,
    `<link rel="self" type="application/atom+xml" href="${xmlEscape(links.self)}"/>`,
    `<link rel="alternate" type="text/html" href="${xmlEscape(links.page)}"/>`,
    "<author><name>storywatch</name></author>",
    `<generator version="${xmlEscape(VERSION)}">storywatch</generator>`,
  ];
  for (const development of developments) {
    lines.push(
      "<entry>",
      `<id>${xmlEscape(entryId(development.id))}</id>`,
      `<title type="text">${xmlEscape(development.title)}</title>`,
      `<published>${atomDate(development.first_seen_at)}</published>`,
      `<updated>${atomDate(development.updated_at)}</updated>`,
      `<link rel="alternate" type="text/html" href="${xmlEscape(`${links.page}#${encodeURIComponent(development.id)}`)}"/>`,
    );
    for (const source of development.sources) {
      const href = safeHref(source.url);
      if (!href) continue;
      const title = source.title ?? source.outlet;
      lines.push(`<link rel="related" href="${xmlEscape(href)}"${title ? ` title="${xmlEscape(title)}"` : ""}/>`);
    }
    lines.push(`<category term="${xmlEscape(development.type)}"/>`);
    if (development.status) lines.push(`<category term="${xmlEscape(`status:${development.status}`)}"/>`);
    if (development.summary) lines.push(`<summary type="text">${xmlEscape(development.summary)}</summary>`);
    lines.push(`<content type="html">${xmlEscape(entryContentHtml(development))}</content>`, "</entry>");
  }
  lines.push("</feed>");
  return `${lines.join("\n")}\n`;
}

// Either scheme is enough (OpenAPI security requirement objects are alternatives).
const FEED_SECURITY: Array<Record<string, string[]>> = [{ bearer: [] }, { feedKey: [] }];

const feedRoute = createRoute({
  method: "get",
  path: "/v1/storylines/{id}/feed.atom",
  summary: "A storyline's developments as an Atom 1.0 feed",
  description:
    "Newest developments first (up to 50), with stable entry ids and links to the sources. Feed readers cannot " +
    "send a bearer token, so this also accepts `?key=` with the storyline's read-only feed key; with " +
    "PUBLIC_READS=true it needs neither.",
  security: FEED_SECURITY,
  request: {
    params: z.object({ id: z.string().min(1).openapi({ example: "putin-trump-summit" }) }),
    query: z.object({ key: z.string().optional().openapi({ description: "The storyline's feed key" }) }),
  },
  responses: {
    200: {
      description: "Atom 1.0 feed (RFC 4287), with an ETag",
      content: { "application/atom+xml": { schema: z.string() } },
    },
    304: { description: "Not modified since the ETag sent in If-None-Match" },
    404: { description: "No such storyline", content: problemContent },
    ...commonErrors,
  },
});

export function registerAtomRoutes(app: App): void {
  app.openAPIRegistry.registerComponent("securitySchemes", "feedKey", {
    type: "apiKey",
    in: "query",
    name: "key",
    description: "A storyline's read-only feed key; accepted only by that storyline's Atom feed and page.",
  });

  // Feed readers poll: an ETag lets them revalidate with If-None-Match and get a bodiless 304
  // (RFC 9110 §13.1.2). Only successful, authorised responses get one.
  app.use("/v1/storylines/:id/feed.atom", etag());

  app.openapi(feedRoute, async (c) => {
    const { id } = c.req.valid("param");
    const storyline = await getStorylineSummary(c.env.DB, id);
    await authorizeRead(c, storyline?.feedKey);
    if (!storyline) throw new NotFound("storyline", id);
    const { developments } = await listDevelopments(c.env.DB, storyline.id, { limit: FEED_LIMIT });
    const origin = new URL(c.req.url).origin;
    const page = new URL(storylineLinks(storyline, getConfig(c.env).publicReads).page, origin).href;
    const xml = renderAtomFeed(storyline, developments, { self: c.req.url, page });
    return c.body(xml, 200, {
      "content-type": ATOM_CONTENT_TYPE,
      "cache-control": getConfig(c.env).publicReads ? "public, max-age=300" : "private, no-cache",
      "referrer-policy": "no-referrer",
    });
  });
}
