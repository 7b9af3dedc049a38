import { decodeDocument, stripIllegalXmlChars } from "./decode";
import { parseJsonFeed } from "./json-feed";
import { FeedParseError, type ParsedFeed } from "./types";
import { parseXmlFeed } from "./xml";

export { FeedParseError, type ParsedFeed, type ParsedItem } from "./types";

export interface ParseOptions {
  /** The URL the document was fetched from: the base for relative links. */
  url?: string | null;
  /** The Content-Type header: only its charset is used; the format comes from the content. */
  contentType?: string | null;
}

/**
 * Any supported feed document → ParsedFeed. The format is detected from the content (a
 * JSON object is JSON Feed; otherwise the XML root element decides), never from the
 * Content-Type, which servers get wrong as often as right.
 */
export function parseFeed(body: Uint8Array | string, options: ParseOptions = {}): ParsedFeed {
  const text = typeof body === "string" ? body : decodeDocument(body, options.contentType).text;
  const clean = stripIllegalXmlChars(text);
  const start = clean.search(/\S/);
  if (start === -1) throw new FeedParseError("not_a_feed", "the document is empty");
  const url = options.url ?? null;
  if (clean[start] === "{") return parseJsonFeed(clean, url);
  if (clean[start] === "<") return parseXmlFeed(clean, url);
  // Real feeds sometimes arrive behind junk (a PHP warning, a stray byte): start at the feed.
  const feedStart = clean.slice(0, 4096).search(/<(\?xml|rss[\s>]|feed[\s>]|rdf:RDF[\s>])/);
  if (feedStart > 0) return parseXmlFeed(clean.slice(feedStart), url);
  throw new FeedParseError("not_a_feed", "the document is neither XML nor JSON");
}
