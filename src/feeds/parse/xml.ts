import { Parser } from "htmlparser2";
import { parseFeedDate } from "./dates";
import { foldWhitespace, htmlToText, maybeHtmlToText } from "./text";
import { type FeedFormat, FeedParseError, MAX_ITEMS_PER_FEED, type ParsedFeed, type ParsedItem } from "./types";

/**
 * RSS 0.9x/2.0, RSS 1.0 (RDF) and Atom 0.3/1.0 in one streaming pass over htmlparser2's
 * tokenizer (xmlMode). Only the fields we keep are assembled, so no object tree is built.
 *
 * Entities: the tokenizer decodes the five predefined XML entities and numeric references
 * only; a DTD is never read, so internal entities (billion laughs) stay literal text and
 * external entities are never fetched (XML 1.0 §4.4.3 lets a non-validating reader skip them).
 */

/** Namespace URIs (lower-cased) → the prefix our element names use; "" = treat as plain names. */
const NAMESPACES: Record<string, string> = {
  "http://www.w3.org/2005/atom": "",
  "http://purl.org/atom/ns#": "",
  "http://purl.org/rss/1.0/": "",
  "http://my.netscape.com/rdf/simple/0.9/": "",
  "http://backend.userland.com/rss2": "",
  "http://backend.userland.com/rss": "",
  "http://purl.org/dc/elements/1.1/": "dc",
  "http://purl.org/dc/terms/": "dcterms",
  "http://purl.org/rss/1.0/modules/content/": "content",
  "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf",
  "http://www.w3.org/1999/xhtml": "xhtml",
  "http://search.yahoo.com/mrss/": "media",
};
/** Prefixes understood even when the document forgets to declare them. */
const DEFAULT_PREFIXES: Record<string, string> = {
  atom: "",
  dc: "dc",
  dcterms: "dcterms",
  content: "content",
  rdf: "rdf",
  xhtml: "xhtml",
  media: "media",
  xml: "xml",
};

type TextKind = "text" | "html" | "xhtml" | "maybe" | "raw" | "author";
type ItemField = "title" | "dctitle" | "link" | "guid" | "summary" | "content" | "published" | "updated" | "author";
type FeedField = "feedTitle" | "feedLink" | "ttl" | "feedUpdated";

interface Capture {
  field: ItemField | FeedField;
  depth: number;
  kind: TextKind;
  base64: boolean;
  parts: string[];
  hasChildren: boolean;
  /** Child element names to leave out (atom:author's email and uri). */
  skipping: number;
}

interface ItemDraft {
  atom: boolean;
  guid: string | null;
  permalinkGuid: boolean;
  about: string | null;
  link: string | null;
  linkRank: number;
  title: string | null;
  dcTitle: string | null;
  summary: string | null;
  content: string | null;
  author: string | null;
  published: string | null;
  updated: string | null;
}

const PUBLISHED_NAMES = new Set([
  "pubdate",
  "published",
  "issued",
  "dc:date",
  "dcterms:issued",
  "created",
  "dcterms:created",
]);
const UPDATED_NAMES = new Set(["updated", "modified", "dcterms:modified", "lastbuilddate"]);
/** The document's own dates, as children of <channel> or of the root <feed>. */
const FEED_DATE_NAMES = new Set(["lastbuilddate", "pubdate", "dc:date", "updated", "modified"]);
const SUMMARY_NAMES = new Set(["description", "summary", "dc:description", "dcterms:abstract", "tagline", "subtitle"]);
const CONTENT_NAMES = new Set(["content:encoded", "content", "xhtml:body", "body", "fullitem"]);
const INLINE_BREAKS = new Set(["br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"]);

function kindFromAttributes(attribs: Record<string, string>, fallback: TextKind): { kind: TextKind; base64: boolean } {
  const mode = attribs.mode?.toLowerCase();
  const type = attribs.type?.toLowerCase().trim();
  const base64 = mode === "base64";
  if (type === "text" || type === "text/plain") return { kind: "text", base64 };
  if (type === "html" || type === "text/html") return { kind: "html", base64 };
  if (type === "xhtml" || type === "application/xhtml+xml") {
    return { kind: mode === "escaped" || base64 ? "html" : "xhtml", base64 };
  }
  if (mode === "escaped") return { kind: "html", base64 };
  // RFC 4287 §4.1.3.3: any other media type that is not text/* or XML is base64-encoded.
  if (type && !type.startsWith("text/") && !type.endsWith("+xml") && !type.endsWith("/xml")) {
    return { kind: "html", base64: true };
  }
  // Base64 without a type (Atom 0.3) is almost always HTML; reading it as HTML loses nothing.
  return { kind: base64 ? "html" : fallback, base64 };
}

function decodeBase64Text(text: string): string {
  try {
    const binary = atob(text.replace(/\s+/g, ""));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return new TextDecoder().decode(bytes);
  } catch {
    return text;
  }
}

function resolveUrl(value: string, base: string | null): string | null {
  const trimmed = value.trim();
  if (trimmed === "") return null;
  // An absolute, plainly spelled URL is kept exactly as the publisher wrote it.
  if (/^https?:\/\/[\x21-\x7e]+$/i.test(trimmed) && !trimmed.includes("\\")) return trimmed;
  try {
    return new URL(trimmed, base ?? undefined).href;
  } catch {
    return null;
  }
}

function finishText(capture: Capture): string {
  let raw = capture.parts.join("");
  if (capture.base64) raw = decodeBase64Text(raw);
  switch (capture.kind) {
    case "raw":
      return raw.trim();
    case "text":
    case "xhtml":
    case "author":
      return foldWhitespace(raw);
    case "html":
      return capture.hasChildren && !capture.base64 ? foldWhitespace(raw) : htmlToText(raw);
    case "maybe":
      return capture.hasChildren && !capture.base64 ? foldWhitespace(raw) : maybeHtmlToText(raw);
  }
}

function newItem(atom: boolean): ItemDraft {
  return {
    atom,
    guid: null,
    permalinkGuid: false,
    about: null,
    link: null,
    linkRank: 0,
    title: null,
    dcTitle: null,
    summary: null,
    content: null,
    author: null,
    published: null,
    updated: null,
  };
}

function finishItem(draft: ItemDraft, base: string | null): ParsedItem {
  let url = draft.link;
  if (!url && draft.permalinkGuid && draft.guid && /^https?:\/\//i.test(draft.guid)) url = resolveUrl(draft.guid, base);
  const content = draft.content ?? "";
  return {
    guid: draft.guid || draft.about || null,
    url,
    title: draft.title ?? draft.dcTitle ?? "",
    summary: draft.summary ?? content,
    content,
    author: draft.author || null,
    publishedAt: parseFeedDate(draft.published) ?? parseFeedDate(draft.updated),
    updatedAt: parseFeedDate(draft.updated),
  };
}

export function parseXmlFeed(text: string, documentUrl: string | null): ParsedFeed {
  // A Map, not an object: prefixes come from the document ("__proto__", "constructor", …).
  const prefixes = new Map<string, string>(Object.entries(DEFAULT_PREFIXES));
  let names = new Map<string, string>();
  const canonical = (raw: string): string => {
    let name = names.get(raw);
    if (name === undefined) {
      const colon = raw.indexOf(":");
      const local = (colon === -1 ? raw : raw.slice(colon + 1)).toLowerCase();
      if (colon === -1) name = local;
      else {
        const prefix = prefixes.get(raw.slice(0, colon).toLowerCase());
        name = prefix === undefined ? `?:${local}` : prefix === "" ? local : `${prefix}:${local}`;
      }
      names.set(raw, name);
    }
    return name;
  };

  let root: string | null = null;
  let version: string | null = null;
  let feedTitle: string | null = null;
  let feedLink: string | null = null;
  let ttl: number | null = null;
  let feedUpdated: number | null = null;
  const items: ParsedItem[] = [];

  let depth = 0;
  const stack: string[] = [];
  const bases: Array<string | null> = [documentUrl];
  let itemDepth = -1;
  let item: ItemDraft | null = null;
  let capture: Capture | null = null;
  let authorDepth = -1;

  const currentBase = () => bases[bases.length - 1] ?? null;

  const startCapture = (field: Capture["field"], kind: TextKind, base64 = false) => {
    capture = { field, depth, kind, base64, parts: [], hasChildren: false, skipping: 0 };
  };

  const parser = new Parser(
    {
      onopentag(rawName, attribs) {
        // Namespace declarations change how names read; they sit on the root in practice.
        for (const attr in attribs) {
          if (attr.startsWith("xmlns:")) {
            const uri = (attribs[attr] ?? "").toLowerCase();
            const known = Object.hasOwn(NAMESPACES, uri) ? NAMESPACES[uri] : undefined;
            prefixes.set(attr.slice(6).toLowerCase(), known ?? `ns:${uri}`);
            names = new Map();
          }
        }
        depth++;
        const name = canonical(rawName);
        const parent = stack[stack.length - 1];
        stack.push(name);
        const xmlBase = attribs["xml:base"];
        bases.push(xmlBase ? resolveUrl(xmlBase, currentBase()) : currentBase());

        if (capture) {
          if (capture.field === "author" && (name === "email" || name === "uri" || name === "url")) {
            capture.skipping++;
          } else if (capture.field !== "author") {
            capture.hasChildren = true;
            if (INLINE_BREAKS.has(name.replace(/^xhtml:/, ""))) capture.parts.push(" ");
          }
          return;
        }

        if (root === null) {
          root = name;
          version = attribs.version ?? null;
          if (name !== "rss" && name !== "rdf:rdf" && name !== "feed" && name !== "channel") {
            throw new FeedParseError(
              "not_a_feed",
              `the document's root element is <${rawName}>, not rss, rdf:RDF or feed`,
            );
          }
          return;
        }

        if (item === null) {
          if ((name === "item" || name === "entry") && items.length < MAX_ITEMS_PER_FEED) {
            item = newItem(name === "entry");
            itemDepth = depth;
            const about = attribs["rdf:about"];
            if (about) item.about = about;
            return;
          }
          // Feed-level fields: direct children of <channel> or of the root <feed>.
          if (parent === "channel" || (parent === "feed" && depth === 2)) {
            if (name === "title" && feedTitle === null) {
              startCapture("feedTitle", kindFromAttributes(attribs, parent === "feed" ? "text" : "maybe").kind);
            } else if (name === "link" && feedLink === null) {
              const href = attribs.href;
              if (href !== undefined) {
                if ((attribs.rel ?? "alternate") === "alternate") feedLink = resolveUrl(href, currentBase());
              } else startCapture("feedLink", "raw");
            } else if (name === "ttl") startCapture("ttl", "raw");
            else if (FEED_DATE_NAMES.has(name)) startCapture("feedUpdated", "raw");
          }
          return;
        }

        // Inside an item: fields are its direct children, plus atom:author's name.
        if (depth === itemDepth + 2 && authorDepth === itemDepth + 1 && name === "name") {
          startCapture("author", "text");
          return;
        }
        if (depth !== itemDepth + 1) return;
        const atom = item.atom;
        if (name === "title") {
          if (item.title === null) {
            const { kind, base64 } = kindFromAttributes(attribs, atom ? "text" : "maybe");
            startCapture("title", kind, base64);
          }
        } else if (name === "dc:title") {
          if (item.dcTitle === null) startCapture("dctitle", "maybe");
        } else if (name === "link") {
          const href = attribs.href;
          if (href !== undefined) {
            const rel = attribs.rel ?? "alternate";
            // Prefer rel=alternate (RFC 4287 §4.2.7.2); take another link only when none is.
            const rank = rel === "alternate" ? 3 : rel === "enclosure" || rel === "self" ? 0 : 1;
            if (rank > item.linkRank) {
              const url = resolveUrl(href, currentBase());
              if (url) {
                item.link = url;
                item.linkRank = rank;
              }
            }
          } else if (item.linkRank < 3) startCapture("link", "raw");
        } else if (name === "guid" || name === "id") {
          if (item.guid === null) {
            item.permalinkGuid =
              name === "guid" &&
              attribs.ispermalink?.toLowerCase() !== "false" &&
              attribs.isPermaLink?.toLowerCase() !== "false";
            startCapture("guid", "raw");
          }
        } else if (SUMMARY_NAMES.has(name)) {
          if (item.summary === null) {
            const fallback: TextKind = atom && name === "summary" ? "text" : "html";
            const { kind, base64 } = kindFromAttributes(attribs, fallback);
            startCapture("summary", kind, base64);
          }
        } else if (CONTENT_NAMES.has(name)) {
          if (item.content === null && attribs.src === undefined) {
            const fallback: TextKind = name === "content" && atom ? "text" : name === "xhtml:body" ? "xhtml" : "html";
            const { kind, base64 } = kindFromAttributes(attribs, fallback);
            startCapture("content", kind, base64);
          }
        } else if (PUBLISHED_NAMES.has(name)) {
          if (item.published === null) startCapture("published", "raw");
        } else if (UPDATED_NAMES.has(name)) {
          if (item.updated === null) startCapture("updated", "raw");
        } else if (name === "author" || name === "dc:creator" || name === "creator") {
          if (item.author === null) {
            if (atom && name === "author") authorDepth = depth;
            else startCapture("author", "author");
          }
        }
      },

      ontext(data) {
        if (capture && capture.skipping === 0) capture.parts.push(data);
      },

      onclosetag() {
        const closing = capture as Capture | null;
        if (closing && depth > closing.depth) {
          if (closing.skipping > 0) closing.skipping--;
          else if (INLINE_BREAKS.has((stack[stack.length - 1] ?? "").replace(/^xhtml:/, ""))) closing.parts.push(" ");
        } else if (closing && depth === closing.depth) {
          capture = null;
          const value = finishText(closing);
          const base = bases[bases.length - 1] ?? null;
          switch (closing.field) {
            case "feedTitle":
              feedTitle = value;
              break;
            case "feedLink":
              feedLink = resolveUrl(value, base);
              break;
            case "feedUpdated": {
              // The latest of the document's dates (lastBuildDate is at or after pubDate).
              const at = parseFeedDate(value);
              if (at !== null && (feedUpdated === null || at > feedUpdated)) feedUpdated = at;
              break;
            }
            case "ttl": {
              const minutes = Number.parseInt(value, 10);
              ttl = Number.isFinite(minutes) && minutes > 0 ? minutes : null;
              break;
            }
            default:
              if (item) assignItemField(item, closing.field, value, base);
          }
        }
        if (depth === authorDepth) authorDepth = -1;
        if (item && depth === itemDepth) {
          items.push(finishItem(item, bases[bases.length - 1] ?? null));
          item = null;
          itemDepth = -1;
        }
        depth--;
        stack.pop();
        bases.pop();
      },
    },
    { xmlMode: true, decodeEntities: true, recognizeSelfClosing: true },
  );
  parser.end(text);

  if (root === null) throw new FeedParseError("not_a_feed", "the document holds no XML element");
  const format: FeedFormat = root === "feed" ? "atom" : root === "rdf:rdf" ? "rdf" : "rss";
  return { format, version, title: feedTitle, siteUrl: feedLink, ttlMinutes: ttl, updatedAt: feedUpdated, items };
}

function assignItemField(item: ItemDraft, field: Capture["field"], value: string, base: string | null): void {
  switch (field) {
    case "title":
      item.title = value;
      break;
    case "dctitle":
      item.dcTitle = value;
      break;
    case "link": {
      const url = resolveUrl(value, base);
      if (url && item.linkRank < 2) {
        item.link = url;
        item.linkRank = 2;
      }
      break;
    }
    case "guid":
      item.guid = value || null;
      break;
    case "summary":
      item.summary = value;
      break;
    case "content":
      item.content = value;
      break;
    case "published":
      item.published = value;
      break;
    case "updated":
      item.updated = value;
      break;
    case "author":
      if (value) item.author = value;
      break;
  }
}
