import { decodeHTML } from "entities";
import { Parser } from "htmlparser2";

/** Collapses every run of whitespace (NBSP included) to one space and trims. */
export function foldWhitespace(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** Elements whose end or start separates words in the rendered text. */
const BLOCK_ELEMENTS = new Set([
  "address",
  "article",
  "aside",
  "blockquote",
  "br",
  "dd",
  "div",
  "dl",
  "dt",
  "figcaption",
  "figure",
  "footer",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "header",
  "hr",
  "img",
  "li",
  "ol",
  "p",
  "pre",
  "section",
  "table",
  "td",
  "th",
  "tr",
  "ul",
]);
/** Elements whose content is never text a reader sees. */
const HIDDEN_ELEMENTS = new Set(["script", "style", "noscript", "template", "iframe", "object", "svg", "math"]);

/**
 * HTML fragment → clean text: tags dropped, entities decoded (the full HTML5 set), words
 * kept apart at block boundaries, whitespace folded. Plain text (no "<" or "&") costs one
 * regex.
 */
export function htmlToText(html: string): string {
  if (html.indexOf("<") === -1) {
    return foldWhitespace(html.indexOf("&") === -1 ? html : decodeHTML(html));
  }
  const parts: string[] = [];
  let hidden = 0;
  const parser = new Parser(
    {
      ontext(text) {
        if (hidden === 0) parts.push(text);
      },
      onopentagname(name) {
        if (HIDDEN_ELEMENTS.has(name)) hidden++;
        else if (BLOCK_ELEMENTS.has(name)) parts.push(" ");
      },
      onclosetag(name) {
        if (HIDDEN_ELEMENTS.has(name)) hidden = Math.max(0, hidden - 1);
        else if (BLOCK_ELEMENTS.has(name)) parts.push(" ");
      },
    },
    { decodeEntities: true },
  );
  parser.end(html);
  return foldWhitespace(parts.join(""));
}

/** Text that may or may not be HTML (RSS titles): only parsed as HTML when it looks like it. */
export function maybeHtmlToText(text: string): string {
  if (text.indexOf("<") === -1 && text.indexOf("&") === -1) return foldWhitespace(text);
  // A lone "<" in prose ("a < b") is not markup; a tag or an entity is.
  if (/<[a-zA-Z/!]|&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]{1,31});/.test(text)) return htmlToText(text);
  return foldWhitespace(text);
}
