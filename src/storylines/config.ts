/**
 * Storylines as code: storylines.json (repo root, bundled with the Worker) declares
 * storylines and feeds. Each cron tick upserts them idempotently: missing feeds are
 * registered, declared storylines created or brought in line with the file (source
 * "config"), and config storylines no longer declared are paused, never deleted.
 */
import bundled from "../../storylines.json";
import { getConfig } from "../config";
import { feedUrlKey } from "../feeds/service";
import { checkPublicUrl } from "../feeds/url-guard";
import { insertFeed } from "../store/feeds";
import { deactivateUndeclared, toRecord, upsertConfiguredStoryline } from "../store/storylines";
import { backfillStoryline, restartStoryline } from "./dispatch";
import { type StorylinesFile, StorylinesFileSchema } from "./schema";

export interface SyncReport {
  feedsAdded: number;
  created: string[];
  updated: string[];
  deactivated: string[];
}

/** Parses a storylines file; throws an Error naming every bad field. */
export function parseStorylinesFile(data: unknown): StorylinesFile {
  const result = StorylinesFileSchema.safeParse(data);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join(".") || "(file)"} ${issue.message}`);
    throw new Error(`storylines.json is invalid: ${problems.join("; ")}`);
  }
  return result.data;
}

let parsedBundle: StorylinesFile | Error | null = null;

function bundledFile(): StorylinesFile | Error {
  if (!parsedBundle) {
    try {
      parsedBundle = parseStorylinesFile(bundled);
    } catch (error) {
      parsedBundle = error instanceof Error ? error : new Error(String(error));
    }
  }
  return parsedBundle;
}

/** Same form as the feeds API's ids: feed_ + 16 base32 characters. */
function feedId(): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz234567";
  let id = "feed_";
  for (const byte of crypto.getRandomValues(new Uint8Array(16))) id += alphabet[byte & 31];
  return id;
}

/**
 * Upserts the declared feeds and storylines. Writes nothing when nothing changed, so it is
 * safe on every tick and under overlapping ticks (each write is one conditional statement).
 * A storyline created or re-queried here gets its baseline from stored items at once.
 * `file` defaults to the bundled storylines.json; an invalid file is logged and skipped, so
 * a bad edit cannot stop polling (the schema test catches it before deploy).
 */
export async function syncConfiguredStorylines(
  env: Env,
  now: Date,
  file: StorylinesFile | Error = bundledFile(),
): Promise<SyncReport> {
  const report: SyncReport = { feedsAdded: 0, created: [], updated: [], deactivated: [] };
  if (file instanceof Error) {
    console.error(file.message);
    return report;
  }
  const at = now.toISOString();
  const { allowPrivateNetwork } = getConfig(env);
  for (const feed of file.feeds ?? []) {
    let url: string;
    try {
      // Stored in the feeds API's form, so a feed added both ways is one feed.
      url = feedUrlKey(checkPublicUrl(feed.url, { allowPrivateNetwork }));
    } catch (error) {
      console.error(`storylines.json: feed ${feed.url} refused: ${(error as Error).message}`);
      continue;
    }
    const inserted = await insertFeed(env.DB, { id: feedId(), url, title: feed.title ?? null, now: at });
    if (inserted) report.feedsAdded++;
  }
  for (const input of file.storylines) {
    const { outcome, row, previousKind } = await upsertConfiguredStoryline(env.DB, input, at);
    if (outcome === "unchanged") continue;
    report[outcome].push(input.id);
    try {
      const restart = outcome === "updated" && previousKind !== row.kind;
      await (restart ? restartStoryline : backfillStoryline)(env, toRecord(row));
    } catch (error) {
      // The baseline is a head start, not a requirement: the storyline still sees every new item.
      console.error(`storyline ${input.id}: baseline from stored items failed:`, error);
    }
  }
  report.deactivated = await deactivateUndeclared(
    env.DB,
    file.storylines.map((s) => s.id),
    at,
  );
  return report;
}
