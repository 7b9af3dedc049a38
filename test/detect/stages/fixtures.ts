/** Plain data for the detector's stages: a storyline, items, claims, readings and read items. */
import type { StoredItem, StorylineKind, StorylineRecord } from "../../../src/contracts";
import type { Claim, Reading } from "../../../src/detect/extract";
import type { ItemRead } from "../../../src/detect/stages/read";
import type { DevelopmentMemory } from "../../../src/detect/types";

export function storyline(kind: StorylineKind = "event", overrides: Partial<StorylineRecord> = {}): StorylineRecord {
  return {
    id: "summit",
    title: "Putin–Trump summit",
    kind,
    query: "(Putin OR Kremlin) AND Trump AND (summit OR meet* OR talks)",
    feeds: null,
    alertOn: ["status_change", "new_fact"],
    aliases: null,
    participants: null,
    source: "api",
    active: true,
    status: null,
    facts: {},
    createdAt: "2025-08-01T00:00:00Z",
    updatedAt: "2025-08-01T00:00:00Z",
    ...overrides,
  };
}

export function item(
  id: string,
  publishedAt: string,
  title = `Report ${id}`,
  extra: Partial<StoredItem> = {},
): StoredItem {
  return {
    id,
    feedId: `feed-${id}`,
    feedTitle: `Outlet ${id}`,
    url: `https://news.example/${id}`,
    title,
    summary: "",
    content: "",
    author: null,
    publishedAt,
    firstSeenAt: new Date(Date.parse(publishedAt) + 300_000).toISOString(),
    baseline: false,
    updated: false,
    ...extra,
  };
}

export function claim(cue: Claim["cue"], extra: Partial<Claim> = {}): Claim {
  return {
    cue,
    note: null,
    date: null,
    place: null,
    polarity: "positive",
    certainty: 1,
    background: false,
    newRound: false,
    actors: [],
    dateDenied: false,
    placeDenied: false,
    quote: `quote of ${cue}`,
    sentence: 0,
    ...extra,
  };
}

export function reading(extra: Partial<Reading> = {}): Reading {
  return { claims: [], places: [], dates: [], relevantSentences: 1, ...extra };
}

/** An item as the read stage hands it on; the fields not given are those of a new, dated, on-topic item. */
export function readOf(stored: StoredItem, extra: Partial<ItemRead> = {}): ItemRead {
  return {
    item: stored,
    digest: `digest-of-${stored.id}`,
    seen: null,
    ms: Date.parse(stored.publishedAt),
    dated: true,
    reading: reading(),
    simhash: [0, 0],
    outlet: stored.feedTitle ?? stored.feedId,
    copy: null,
    wireCopyOf: null,
    ...extra,
  };
}

export function development(key: string, extra: Partial<DevelopmentMemory> = {}): DevelopmentMemory {
  return {
    key,
    status: "agreed",
    facts: {},
    first: Date.parse("2025-08-08T00:00:00Z"),
    last: Date.parse("2025-08-08T00:00:00Z"),
    outlets: ["Outlet a"],
    alerted: true,
    baseline: false,
    updates: [],
    ...extra,
  };
}
