/**
 * OPML 2.0 (opml.org/spec2), the list format every feed reader imports and exports: each
 * subscription is an `<outline type="rss" xmlUrl="…" title="…">`, possibly inside folders.
 */
import { Parser } from "htmlparser2";

export interface OpmlFeed {
  url: string;
  title: string | null;
}

/** Largest OPML file read (a reader's export of a few thousand feeds fits easily). */
export const MAX_OPML_BYTES = 1024 * 1024;
/** Most subscriptions one import takes. */
export const MAX_OPML_FEEDS = 1000;

export class OpmlError extends Error {}

/** The subscriptions in an OPML document, in order, each URL once. No DTD is read. */
export function parseOpml(text: string): OpmlFeed[] {
  if (text.length > MAX_OPML_BYTES) {
    throw new OpmlError(`the file is larger than ${MAX_OPML_BYTES / 1024} KiB`);
  }
  const feeds: OpmlFeed[] = [];
  const seen = new Set<string>();
  let sawOpml = false;
  let tooMany = false;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (name === "opml") sawOpml = true;
        if (name !== "outline") return;
        const url = (attributes.xmlurl ?? attributes.xmlUrl ?? "").trim();
        if (!url || seen.has(url)) return;
        if (feeds.length >= MAX_OPML_FEEDS) {
          tooMany = true;
          return;
        }
        seen.add(url);
        feeds.push({ url, title: (attributes.title ?? attributes.text ?? "").trim() || null });
      },
    },
    { xmlMode: true, decodeEntities: true, lowerCaseAttributeNames: true },
  );
  parser.write(text);
  parser.end();
  if (!sawOpml) throw new OpmlError("it is not an OPML file (no <opml> element)");
  if (tooMany) throw new OpmlError(`it lists more than ${MAX_OPML_FEEDS} feeds: split it`);
  return feeds;
}

const escapeXml = (text: string) =>
  text.replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c] ?? c);

/** An OPML 2.0 document listing `feeds`. */
export function opmlDocument(
  feeds: Array<{ url: string; title: string | null; site_url: string | null }>,
  now: Date,
): string {
  const outlines = feeds.map((feed) => {
    const title = escapeXml(feed.title ?? feed.url);
    const site = feed.site_url ? ` htmlUrl="${escapeXml(feed.site_url)}"` : "";
    return `    <outline type="rss" text="${title}" title="${title}" xmlUrl="${escapeXml(feed.url)}"${site}/>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head>
    <title>storywatch feeds</title>
    <dateCreated>${now.toUTCString()}</dateCreated>
  </head>
  <body>
${outlines.join("\n")}
  </body>
</opml>
`;
}
