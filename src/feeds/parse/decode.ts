/**
 * Bytes → text for feed documents. Order (as browsers and Miniflux do): a byte order mark
 * wins; then a document that is valid UTF-8 is read as UTF-8 even under a wrong XML prolog or
 * header (servers and CMSs often lie); otherwise the charset from the Content-Type header,
 * then from the XML declaration, then windows-1252 (what "ISO-8859-1" means on the web, per
 * the WHATWG Encoding Standard).
 */

export interface DecodedDocument {
  text: string;
  /** The encoding label the bytes were decoded with. */
  encoding: string;
}

const utf8Fatal = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

function bomEncoding(bytes: Uint8Array): { encoding: string; skip: number } | null {
  const [b0, b1, b2] = bytes;
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return { encoding: "utf-8", skip: 3 };
  if (b0 === 0xfe && b1 === 0xff) return { encoding: "utf-16be", skip: 2 };
  if (b0 === 0xff && b1 === 0xfe) return { encoding: "utf-16le", skip: 2 };
  return null;
}

/** charset=… from a Content-Type header value. */
export function headerCharset(contentType: string | null | undefined): string | null {
  if (!contentType) return null;
  const match = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType);
  return match?.[1]?.toLowerCase() ?? null;
}

/** encoding="…" from an XML declaration (read as ASCII from the first bytes). */
export function prologCharset(bytes: Uint8Array): string | null {
  // UTF-16 without a BOM: "<?" as 3C 00 3F 00 or 00 3C 00 3F.
  if (bytes[0] === 0x3c && bytes[1] === 0x00 && bytes[2] === 0x3f) return "utf-16le";
  if (bytes[0] === 0x00 && bytes[1] === 0x3c && bytes[2] === 0x00) return "utf-16be";
  const head = String.fromCharCode(...bytes.subarray(0, 256));
  const match = /^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head);
  return match?.[1]?.toLowerCase() ?? null;
}

function decoderFor(label: string): TextDecoder | null {
  try {
    return new TextDecoder(label);
  } catch {
    return null; // a label the Encoding Standard does not know
  }
}

export function decodeDocument(bytes: Uint8Array, contentType?: string | null): DecodedDocument {
  const bom = bomEncoding(bytes);
  if (bom) {
    return { text: new TextDecoder(bom.encoding).decode(bytes.subarray(bom.skip)), encoding: bom.encoding };
  }
  const declared = headerCharset(contentType) ?? prologCharset(bytes);
  if (declared?.startsWith("utf-16")) {
    const decoder = decoderFor(declared === "utf-16" ? "utf-16le" : declared);
    if (decoder) return { text: decoder.decode(bytes), encoding: decoder.encoding };
  }
  try {
    return { text: utf8Fatal.decode(bytes), encoding: "utf-8" };
  } catch {
    // Not UTF-8: trust what the document says about itself.
  }
  const decoder = (declared && decoderFor(declared)) || new TextDecoder("windows-1252");
  return { text: decoder.decode(bytes), encoding: decoder.encoding };
}

// XML 1.0 §2.2: C0 controls other than tab, LF and CR, plus U+FFFE/U+FFFF, may not appear;
// real feeds carry them anyway (pasted from word processors) and strict parsers choke.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const ILLEGAL_XML_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function stripIllegalXmlChars(text: string): string {
  ILLEGAL_XML_CHARS.lastIndex = 0;
  return ILLEGAL_XML_CHARS.test(text) ? text.replace(ILLEGAL_XML_CHARS, "") : text;
}
