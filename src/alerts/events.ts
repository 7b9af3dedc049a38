/**
 * The alert events the pipeline raises, built here from domain objects (a storyline record, a
 * development, a feed's row): what `data` carries in every webhook format (DESIGN.md). A feed
 * travels as the API shows it (DESIGN.md's feed fields); a storyline without its credentials.
 */
import type { AlertEvent, StorylineRecord } from "../contracts";
import type { DevelopmentJson } from "../store/developments";
import { type FeedRow, feedJson } from "../store/feeds";
import { allFacts } from "../store/storylines";

/**
 * The storyline as alerts carry it (`data.storyline`): what a receiver needs to act on the
 * development. Never the Atom feed key (a read credential that must not travel to third
 * parties), nor its health or last development (the alert carries the development itself).
 */
export function alertStoryline(storyline: StorylineRecord) {
  return {
    id: storyline.id,
    title: storyline.title,
    kind: storyline.kind,
    query: storyline.query,
    feeds: storyline.feeds,
    alert_on: storyline.alertOn,
    aliases: storyline.aliases,
    participants: storyline.participants,
    active: storyline.active,
    source: storyline.source,
    status: storyline.status,
    facts: allFacts(storyline.facts),
    created_at: storyline.createdAt,
    updated_at: storyline.updatedAt,
  };
}

/**
 * A development first alerted (`development.created`, id `<dev>:created`) or alerted again
 * (`development.updated`, id `<dev>:<what changed>`): the ids are stable, so a re-run never
 * makes a second delivery.
 */
export function developmentEvent(
  change: { type: "development.created" } | { type: "development.updated"; updateKey: string },
  storyline: StorylineRecord,
  development: DevelopmentJson,
  occurredAt: string,
): AlertEvent {
  const suffix = change.type === "development.created" ? "created" : change.updateKey;
  return {
    id: `${development.id}:${suffix}`,
    type: change.type,
    storylineId: storyline.id,
    occurredAt,
    data: { storyline: alertStoryline(storyline), development },
  };
}

/** A feed failing for FAILING_THRESHOLD checks in a row, or working again; one event per episode. */
export function feedEvent(
  type: "feed.failing" | "feed.recovered",
  feed: FeedRow,
  since: string | null,
  now: string,
): AlertEvent {
  return {
    id: `${feed.id}:${type === "feed.failing" ? "failing" : "recovered"}:${since ?? now}`,
    type,
    storylineId: null,
    occurredAt: now,
    data: { feed: feedJson(feed) },
  };
}
