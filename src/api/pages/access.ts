import type { Context } from "hono";
import { getConfig } from "../../config";
import { bearerAuth, tokenMatches } from "../auth";
import { ApiError } from "../problem";

const requireToken = bearerAuth();

/**
 * Read access for the status pages and the Atom feed, which check it themselves:
 * - PUBLIC_READS=true: anyone may read.
 * - A bearer token (one of API_TOKEN), as for the rest of the API.
 * - `?key=` equal to the storyline's feed key: a read-only capability for one storyline,
 *   for feed readers and browsers, which cannot send an Authorization header.
 *
 * An API token is never accepted in the query string: it also grants writes, and URLs end
 * up in browser history, proxy logs and Referer headers. Pass `feedKey` only for a page
 * about one storyline; a wrong key and an unknown storyline answer the same 401, so the
 * key check does not reveal which storylines exist.
 */
export async function authorizeRead(c: Context<{ Bindings: Env }>, feedKey?: string | null): Promise<void> {
  if (getConfig(c.env).publicReads) return;
  const key = c.req.query("key");
  if (key !== undefined && c.req.header("authorization") === undefined) {
    if (feedKey && (await tokenMatches(key, [feedKey]))) return;
    throw new ApiError({
      status: 401,
      slug: "unauthorized",
      title: "Invalid feed key",
      detail:
        "The `key` is not this storyline's feed key: copy the feed link from the storyline (GET /v1/storylines/{id}), or send `Authorization: Bearer <token>`.",
    });
  }
  await requireToken(c, async () => {});
}
