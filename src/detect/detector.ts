/**
 * detect(): the pure detector, a pipeline of named stages over plain data (in the manner of
 * openstatus's pure detection actions), each in ./stages:
 *
 *   read            items in publication order, each text read once; copies found by SimHash
 *   decide status   the firm claim that moves the status and facts (through ./status.ts)
 *   cluster         the development an item belongs to: refine, extend or open one, corroborate
 *   record          where the batch's working state changes (what the stages decided)
 *   emit            development.create, development.corroborate and storyline.update actions
 *
 * Each firm claim that moves the storyline's state opens (or, within one batch and a short
 * window, extends) a development; reports that say what is already known corroborate the
 * development they repeat. Wire copies add a source but not an outlet. No clock, no
 * randomness: keys come from item ids.
 */
import { readingContext } from "./extract";
import { ageOut, closeOpen, record, recordSent, startBatch } from "./stages/batch";
import { cluster } from "./stages/cluster";
import { decideStatus, expirePassedDate } from "./stages/decide";
import { emitCorroborations, emitStorylineUpdate } from "./stages/emit";
import { isDated, orderItems, readItem } from "./stages/read";
import { roundsOf } from "./status";
import { DETECTOR_STATE_VERSION, type Detect, type DetectionAction } from "./types";

export const detect: Detect = ({ storyline, state, items, now }) => {
  const { id: storylineId, kind } = storyline;
  const ctx = readingContext(storyline);
  const { anchors, participants } = ctx;
  const rounds = roundsOf(storyline.title);
  const batch = startBatch(state);
  const start = batch.story;
  const ordered = orderItems(items);
  for (const item of ordered) {
    const read = readItem(item, batch.memory, ctx, kind);
    if (!read) continue;
    const { story, open, memory } = batch;
    const currentSince = memory.devs.find((d) => d.key === memory.current)?.first ?? null;
    const decision = decideStatus({
      kind,
      story,
      read,
      rounds,
      participants,
      movedAt: memory.movedAt,
      currentSince,
      institutional: ctx.frame.institutionalOnly,
    });
    const assignment = cluster({ storylineId, kind, anchors, story, open, memory, read, decision });
    record(batch, storyline, read, decision, assignment);
  }
  closeOpen(batch, storyline);

  const latestDated = ordered.findLast(isDated)?.publishedAt ?? null;
  const expired = expirePassedDate(kind, batch.story, batch.memory.happenedOn, latestDated, now);
  const story = expired ?? batch.story;
  const corroborations = emitCorroborations(batch.corroborations);
  recordSent(corroborations.sent);
  const update = emitStorylineUpdate(start, story, batch.lastKey, expired !== null, now);
  const actions: DetectionAction[] = [...batch.created, ...corroborations.actions, ...(update ? [update] : [])];
  ageOut(batch.memory);
  const { memory } = batch;
  return { state: { version: DETECTOR_STATE_VERSION, status: story.status, facts: story.facts, memory }, actions };
};
