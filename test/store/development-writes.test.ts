import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { StorylineRecord } from "../../src/contracts";
import type { DetectionAction, SourceRef } from "../../src/detect/types";
import { applyActions, developmentId } from "../../src/store/development-writes";
import { getDevelopment } from "../../src/store/developments";

const now = "2025-08-08T12:00:00.000Z";
const storyline: StorylineRecord = {
  id: "summit-writes",
  title: "Summit",
  kind: "event",
  query: "summit",
  feeds: null,
  alertOn: ["status_change", "new_fact"],
  aliases: null,
  participants: null,
  source: "api",
  active: true,
  status: null,
  facts: {},
  createdAt: now,
  updatedAt: now,
};

const source = (n: number): SourceRef => ({
  itemId: `itm_${n}`,
  feedId: `feed_${n}`,
  url: `https://outlet${n}.example/story`,
  title: `Report ${n}`,
  outlet: `Outlet ${n}`,
  publishedAt: now,
  quote: `Sentence ${n}.`,
});

describe("applyActions", () => {
  it("writes a later report's completed facts onto the same development (no second development)", async () => {
    await env.DB.prepare(
      "INSERT INTO storylines (id, title, kind, query, feed_key, created_at, updated_at) VALUES (?, 'Summit', 'event', 'summit', 'k', ?, ?)",
    )
      .bind(storyline.id, now, now)
      .run();
    const create: DetectionAction = {
      type: "development.create",
      development: {
        key: "d1",
        type: "status_change",
        status: "scheduled",
        previousStatus: "agreed",
        facts: { date: "2025-08-15", place: null },
        changes: [{ field: "date", from: null, to: "2025-08-15" }],
        title: "Scheduled: 15 Aug 2025",
        summary: "",
        confidence: 0.9,
        baseline: false,
        firstSeenAt: now,
      },
      sources: [source(1)],
      outlets: 1,
      alert: true,
      evidence: "test",
    };
    const corroborate: DetectionAction = {
      type: "development.corroborate",
      key: "d1",
      sources: [source(2)],
      outlets: 2,
      alert: true,
      updateKey: "facts:place",
      facts: { date: "2025-08-15", place: "Alaska" },
      evidence: "test",
    };
    await applyActions(env.DB, storyline, [create], now);
    const applied = await applyActions(env.DB, storyline, [corroborate], now);
    expect(applied.updates).toHaveLength(1);

    const id = await developmentId(storyline, "d1");
    const development = await getDevelopment(env.DB, id);
    expect(development?.facts).toMatchObject({ date: "2025-08-15", place: "Alaska" });
    expect(development?.outlets).toBe(2);
    expect(development?.sources.map((s) => s.url)).toEqual([source(1).url, source(2).url]);
    const { count } = (await env.DB.prepare("SELECT COUNT(*) AS count FROM developments WHERE storyline_id = ?")
      .bind(storyline.id)
      .first<{ count: number }>()) ?? { count: 0 };
    expect(count).toBe(1);
  });
});
