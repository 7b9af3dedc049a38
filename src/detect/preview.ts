/**
 * "Preview" in the console: what a storyline would make of the stored items that match it,
 * without saving anything. The items go through `detect()`, the detector's public pure
 * function, exactly as the Durable Object would hand them over; only the actions are folded
 * here for display instead of being applied to D1.
 */
import type { Facts, StoredItem, StorylineRecord, StorylineStatus } from "../contracts";
import { detect } from "./detector";
import { type DevelopmentDraft, initialDetectorState, type SourceRef } from "./types";

export interface PreviewDevelopment {
  draft: DevelopmentDraft;
  sources: SourceRef[];
  outlets: number;
}

export interface StorylinePreview {
  status: StorylineStatus | null;
  facts: Facts;
  /** Newest first, as the storyline page lists them. */
  developments: PreviewDevelopment[];
  items: number;
}

/** `items` oldest first; they are read as news (not baseline), so the preview shows what would be alerted. */
export function previewStoryline(storyline: StorylineRecord, items: StoredItem[], now: string): StorylinePreview {
  const output = detect({
    storyline: { ...storyline, status: null, facts: {} },
    state: initialDetectorState(),
    items: items.map((item) => ({ ...item, baseline: false })),
    now,
  });
  const byKey = new Map<string, PreviewDevelopment>();
  for (const action of output.actions) {
    if (action.type === "development.create") {
      byKey.set(action.development.key, {
        draft: action.development,
        sources: [...action.sources],
        outlets: action.outlets,
      });
    } else if (action.type === "development.corroborate") {
      const development = byKey.get(action.key);
      if (!development) continue;
      development.sources.push(...action.sources);
      development.outlets = action.outlets;
      if (action.facts) development.draft = { ...development.draft, facts: action.facts };
    }
  }
  const developments = [...byKey.values()].sort((a, b) => b.draft.firstSeenAt.localeCompare(a.draft.firstSeenAt));
  return { status: output.state.status, facts: output.state.facts, developments, items: items.length };
}
