/** A feed's health in plain language, for people: what happened, and what (if anything) to do. */
import type { FeedJson } from "../../store/feeds";

const FAILURES: Record<string, string> = {
  timeout: "The site did not answer in time (20 seconds).",
  too_large: "The feed is too large to read (over 16 MiB).",
  network: "The site could not be reached: the address may be wrong, or the site or the network is down.",
  refused: "The address is not allowed: it points at a private or local network.",
  too_many_redirects: "The address redirects too many times.",
  redirect_loop: "The address redirects in a loop.",
  bad_redirect: "The address redirects somewhere that cannot be followed.",
  not_a_feed:
    "The address answers with something that is not a feed (RSS, Atom or JSON Feed); add the site's address to find its feed.",
  malformed: "The feed is broken: it does not parse as RSS, Atom or JSON Feed.",
  poll_failed: "Checking this feed kept failing inside storywatch; it will be tried again.",
  http_404: "The feed is not there any more (HTTP 404): the address may have moved.",
  http_410: "The site says the feed is gone for good (HTTP 410); it is still checked once a day.",
  http_401: "The feed needs a login (HTTP 401), which storywatch cannot give.",
  http_403: "The site refuses to serve the feed to storywatch (HTTP 403).",
  http_429: "The site asks storywatch to slow down (HTTP 429); it waits as long as the site asks.",
};

function failureSentence(status: string): string {
  const known = FAILURES[status];
  if (known) return known;
  const http = /^http_(\d{3})$/.exec(status);
  if (http?.[1]?.startsWith("5")) return `The site had an error (HTTP ${http[1]}); it will be tried again.`;
  if (http) return `The site answered HTTP ${http[1]}.`;
  return `The last check failed (${status}).`;
}

export type HealthTone = "ok" | "failing" | "paused" | "new";

/** One sentence on how the feed is doing, and its tone for the badge. */
export function feedHealth(feed: FeedJson): { tone: HealthTone; label: string; sentence: string } {
  if (feed.paused_at)
    return { tone: "paused", label: "paused", sentence: "Paused: it is not checked until you resume it." };
  if (!feed.last_checked_at || !feed.last_status) {
    return { tone: "new", label: "not checked yet", sentence: "Not checked yet: it is checked on the next run." };
  }
  if (feed.last_status === "ok" || feed.last_status === "not_modified" || feed.last_status === "unchanged") {
    const seen = `${feed.items_seen} ${feed.items_seen === 1 ? "item" : "items"} seen so far`;
    const last =
      feed.last_status === "ok" ? "Working: read at the last check" : "Working: nothing new at the last check";
    return { tone: "ok", label: "working", sentence: `${last}, ${seen}.` };
  }
  const times = feed.consecutive_failures > 1 ? ` It has failed ${feed.consecutive_failures} checks in a row.` : "";
  return { tone: "failing", label: "failing", sentence: `${failureSentence(feed.last_status)}${times}` };
}
