import { decodeHTML } from "entities";
import { Tokenizer, type TokenizerCallbacks } from "htmlparser2";

// Only runs of 2+ whitespace characters, or a single one that is not a plain space, need
// replacing: matching every single space (/\s+/) costs a replacement per word.
const FOLDABLE = /\s{2,}|[^\S ]/g;
const NEEDS_FOLD = /\s{2,}|[^\S ]/;

/** Collapses every run of whitespace (NBSP included) to one space and trims. */
export function foldWhitespace(text: string): string {
  return (NEEDS_FOLD.test(text) ? text.replace(FOLDABLE, " ") : text).trim();
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
 * Collects visible text straight from htmlparser2's tokenizer: no Parser, no attribute
 * objects, no tag stack beyond a counter for hidden elements. The tokenizer itself knows
 * script/style are raw text, and decodes the full HTML5 entity set.
 */
class TextCollector implements TokenizerCallbacks {
  html = "";
  parts: string[] = [];
  hidden = 0;
  lastOpenedHidden = false;

  reset(html: string): void {
    this.html = html;
    this.parts = [];
    this.hidden = 0;
    this.lastOpenedHidden = false;
  }
  private tagName(start: number, end: number): string {
    return this.html.slice(start, end).toLowerCase();
  }
  ontext(start: number, end: number): void {
    if (this.hidden === 0) this.parts.push(this.html.slice(start, end));
  }
  ontextentity(codepoint: number): void {
    if (this.hidden === 0) this.parts.push(String.fromCodePoint(codepoint));
  }
  onopentagname(start: number, end: number): void {
    const name = this.tagName(start, end);
    this.lastOpenedHidden = HIDDEN_ELEMENTS.has(name);
    if (this.lastOpenedHidden) this.hidden++;
    else if (BLOCK_ELEMENTS.has(name)) this.parts.push(" ");
  }
  onselfclosingtag(): void {
    // <script/> closes at once (the tokenizer leaves raw-text mode too).
    if (this.lastOpenedHidden) this.hidden = Math.max(0, this.hidden - 1);
    this.lastOpenedHidden = false;
  }
  onclosetag(start: number, end: number): void {
    const name = this.tagName(start, end);
    if (HIDDEN_ELEMENTS.has(name)) this.hidden = Math.max(0, this.hidden - 1);
    else if (BLOCK_ELEMENTS.has(name)) this.parts.push(" ");
  }
  onopentagend(): void {}
  onattribdata(): void {}
  onattribentity(): void {}
  onattribend(): void {}
  onattribname(): void {}
  oncdata(): void {}
  oncomment(): void {}
  ondeclaration(): void {}
  onprocessinginstruction(): void {}
  onend(): void {}
}

/**
 * HTML fragment → clean text: tags dropped, entities decoded (the full HTML5 set), words
 * kept apart at block boundaries, whitespace folded. Plain text (no "<" or "&") costs one
 * regex test.
 */
export function htmlToText(html: string): string {
  if (html.indexOf("<") === -1) {
    return foldWhitespace(html.indexOf("&") === -1 ? html : decodeHTML(html));
  }
  const collector = new TextCollector();
  collector.reset(html);
  const tokenizer = new Tokenizer({ xmlMode: false, decodeEntities: true }, collector);
  tokenizer.write(html);
  tokenizer.end();
  return foldWhitespace(collector.parts.join(""));
}

/** Text that may or may not be HTML (RSS titles): only parsed as HTML when it looks like it. */
export function maybeHtmlToText(text: string): string {
  if (text.indexOf("<") === -1 && text.indexOf("&") === -1) return foldWhitespace(text);
  // A lone "<" in prose ("a < b") is not markup; a tag or an entity is.
  if (/<[a-zA-Z/!]|&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]{1,31});/.test(text)) return htmlToText(text);
  return foldWhitespace(text);
}
