/**
 * Storylines as code: storylines.json (repo root, bundled with the Worker) declares
 * storylines and feeds. Each cron tick upserts them idempotently: declared feeds are
 * registered (source "config"), declared storylines created or brought in line with the file
 * (source "config"), and config storylines and feeds no longer declared are paused and handed
 * to the API, never deleted. The API answers 409 to changing or deleting a declared one, so
 * a feed the user deleted can never come back behind their back. The bundled file is empty:
 * a fresh install tracks nothing (examples/ holds a ready-made one).
 */
import bundled from "../../storylines.json";
import { getConfig } from "../config";
import { feedUrlKey, newFeedId } from "../feeds/service";
import { checkPublicUrl } from "../feeds/url-guard";
import { pauseUndeclaredFeeds, upsertConfiguredFeed } from "../store/feeds";
import { deactivateUndeclared, toRecord, upsertConfiguredStoryline } from "../store/storylines";
import { backfillStoryline, restartStoryline } from "./dispatch";
import { type StorylinesFile, StorylinesFileSchema } from "./schema";

export interface SyncReport {
  /** Declared feeds created, or taken over from the API. */
  feedsAdded: number;
  created: string[];
  updated: string[];
  deactivated: string[];
  /** Feeds no longer declared: paused and handed to the API. */
  feedsPaused: string[];
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
  const report: SyncReport = { feedsAdded: 0, created: [], updated: [], deactivated: [], feedsPaused: [] };
  if (file instanceof Error) {
    console.error(file.message);
    return report;
  }
  const at = now.toISOString();
  const { allowPrivateNetwork } = getConfig(env);
  const declaredUrls: string[] = [];
  for (const feed of file.feeds ?? []) {
    let url: string;
    try {
      // Stored in the feeds API's form, so a feed added both ways is one feed.
      url = feedUrlKey(checkPublicUrl(feed.url, { allowPrivateNetwork }));
    } catch (error) {
      console.error(`storylines.json: feed ${feed.url} refused: ${(error as Error).message}`);
      continue;
    }
    declaredUrls.push(url);
    const claimed = await upsertConfiguredFeed(env.DB, { id: newFeedId(), url, title: feed.title ?? null, now: at });
    if (claimed) report.feedsAdded++;
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
  report.feedsPaused = await pauseUndeclaredFeeds(env.DB, declaredUrls, at);
  return report;
}
