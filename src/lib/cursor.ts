import { InvalidInput } from "./errors";

/**
 * The one cursor codec of keyset pagination: base64url (RFC 4648 §5) of "<sort time>|<id>" of
 * the last row of a page. Opaque to clients, who pass `next_cursor` back unchanged.
 */
export function encodeCursor(at: string, id: string): string {
  return btoa(`${at}|${id}`).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** A cursor this API did not issue (or one for another list). */
export class InvalidCursor extends InvalidInput {
  constructor() {
    super(
      "cursor",
      "is not a cursor this API issued",
      "cursor (query string) is not a cursor this API issued: pass next_cursor from the previous page unchanged, or leave it out.",
    );
  }
}

/** The position a cursor names; throws InvalidCursor unless it holds a time and an id (with `idPrefix`). */
export function decodeCursor(cursor: string, idPrefix = ""): { at: string; id: string } {
  let text: string;
  try {
    text = atob(cursor.replace(/-/g, "+").replace(/_/g, "/"));
  } catch {
    throw new InvalidCursor();
  }
  const bar = text.lastIndexOf("|");
  const at = text.slice(0, bar);
  const id = text.slice(bar + 1);
  if (bar <= 0 || Number.isNaN(Date.parse(at)) || !id.startsWith(idPrefix) || id === idPrefix)
    throw new InvalidCursor();
  return { at, id };
}
