import { ApiError } from "../api/problem";
import { getConfig } from "../config";
import { deleteFeed, type FeedJson, feedJson, getFeedByUrl, insertFeed } from "../store/feeds";
import { validatorsKey } from "./poller";
import { checkPublicUrl } from "./url-guard";

function newFeedId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  const alphabet = "abcdefghijklmnopqrstuvwxyz234567";
  let id = "feed_";
  for (const byte of bytes) id += alphabet[byte & 31];
  return id;
}

/** The form a feed URL is stored (and compared for duplicates) in: parsed, fragment dropped. */
export function feedUrlKey(url: URL): string {
  const copy = new URL(url.href);
  copy.hash = "";
  return copy.href;
}

/**
 * Adds a feed after the address check; due at once. A URL already watched is a 409 whose
 * `existing` member is that feed, so a client can carry on with its id.
 */
export async function createFeed(
  env: Env,
  input: { url: string; title?: string | null },
  now = new Date(),
): Promise<FeedJson> {
  const url = feedUrlKey(
    checkPublicUrl(input.url, { allowPrivateNetwork: getConfig(env).allowPrivateNetwork, field: "url" }),
  );
  const title = input.title?.trim() || null;
  const row = await insertFeed(env.DB, { id: newFeedId(), url, title, now: now.toISOString() });
  if (row) return feedJson(row);
  const existing = await getFeedByUrl(env.DB, url);
  throw new ApiError({
    status: 409,
    slug: "feed-exists",
    title: "Feed already watched",
    detail: `${url} is already watched as feed ${existing?.id ?? "(unknown)"}; use that feed, or delete it first.`,
    extensions: existing ? { existing: feedJson(existing) } : {},
  });
}

/** Stops watching a feed: its row, its items and its HTTP validators. False when there was none. */
export async function removeFeed(env: Env, id: string): Promise<boolean> {
  if (!(await deleteFeed(env.DB, id))) return false;
  await env.CACHE.delete(validatorsKey(id));
  return true;
}
