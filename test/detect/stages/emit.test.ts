/** Stage "emit": actions with their evidence, from plain data. */
import { describe, expect, it } from "vitest";
import type { OpenDevelopment } from "../../../src/detect/stages/cluster";
import {
  type Corroboration,
  emitCorroborations,
  emitDevelopment,
  emitStorylineUpdate,
  formatDate,
} from "../../../src/detect/stages/emit";
import { digest } from "../../../src/detect/text";
import { development, item, storyline } from "./fixtures";

const T0 = "2025-08-08T10:00:00Z";

function open(extra: Partial<OpenDevelopment> = {}): OpenDevelopment {
  const first = item("a", T0, "Trump and Putin to meet in Anchorage on August 15");
  return {
    key: "summit:a",
    before: { status: "agreed", facts: { place: "Alaska" } },
    after: { status: "scheduled", facts: { date: "2025-08-15", place: "Anchorage" } },
    first,
    firstMs: Date.parse(T0),
    sources: [
      { itemId: "a", feedId: "feed-a", url: null, title: first.title, outlet: "Outlet a", publishedAt: T0, quote: "q" },
      {
        itemId: "b",
        feedId: "feed-b",
        url: null,
        title: "b",
        outlet: "Outlet b",
        publishedAt: "2025-08-08T12:00:00Z",
        quote: "q",
      },
    ],
    outlets: ["Outlet a", "Outlet b"],
    hashes: [],
    baseline: false,
    certainty: 1,
    quote: "They will meet in Anchorage on August 15",
    coverage: false,
    stems: ["anch"],
    ...extra,
  };
}

describe("emitDevelopment", () => {
  it("creates a status change with its title, transition, confidence and alert, and remembers it", () => {
    const { action, remembered } = emitDevelopment(open(), { status: "scheduled", facts: {} }, storyline());
    expect(action).toMatchObject({
      type: "development.create",
      outlets: 2,
      alert: true,
      development: {
        key: "summit:a",
        type: "status_change",
        status: "scheduled",
        previousStatus: "agreed",
        facts: { date: "2025-08-15", place: "Anchorage" },
        title: "Scheduled: 15 Aug 2025, Anchorage",
        confidence: 0.9,
        baseline: false,
      },
    });
    expect(action.development.summary).toContain("agreed → scheduled.");
    expect(action.development.changes.map((c) => c.field)).toEqual(["status", "date", "place"]);
    expect(remembered).toEqual({
      key: "summit:a",
      status: "scheduled",
      facts: { date: "2025-08-15", place: "Anchorage" },
      first: Date.parse(T0),
      last: Date.parse("2025-08-08T12:00:00Z"),
      outlets: ["Outlet a", "Outlet b"],
      alerted: true,
      baseline: false,
      updates: [],
    });
  });

  it("alerts nothing from a baseline, nor a type the storyline does not alert on", () => {
    expect(emitDevelopment(open({ baseline: true }), { status: null, facts: {} }, storyline()).action.alert).toBe(
      false,
    );
    const quiet = { ...storyline(), alertOn: ["coverage" as const] };
    expect(emitDevelopment(open(), { status: null, facts: {} }, quiet).action.alert).toBe(false);
  });

  it("emits coverage, and a move that ended where it began, with the storyline's status and its stems", () => {
    const story = { status: "agreed" as const, facts: {} };
    const coverage = emitDevelopment(open({ coverage: true }), story, storyline());
    expect(coverage.action.development).toMatchObject({
      type: "coverage",
      status: "agreed",
      title: open().first.title,
    });
    expect(coverage.remembered.stems).toEqual(["anch"]);
    const back = open({ after: open().before });
    expect(emitDevelopment(back, story, storyline()).action.development.type).toBe("coverage");
  });

  it("titles a new date without a status change", () => {
    const moved = open({
      before: { status: "scheduled", facts: { date: "2025-08-15" } },
      after: { status: "scheduled", facts: { date: "2025-08-22" } },
    });
    expect(emitDevelopment(moved, moved.after, storyline()).action.development).toMatchObject({
      type: "new_fact",
      title: "New date: 22 Aug 2025",
    });
  });
});

describe("emitCorroborations", () => {
  function entry(extra: Partial<Corroboration> = {}, outlets = 3): Corroboration {
    const dev = development("summit:a", { outlets: ["x", "y", "z"].slice(0, outlets) });
    return { development: dev, sources: [], outletsBefore: 2, ...extra };
  }

  it("sends one update when an alerted development reaches a third independent outlet", () => {
    const crossing = entry();
    const { actions, sent } = emitCorroborations(new Map([["summit:a", crossing]]));
    expect(actions).toEqual([
      {
        type: "development.corroborate",
        key: "summit:a",
        sources: [],
        outlets: 3,
        alert: true,
        updateKey: "outlets:3",
        evidence: "0 more report(s); 3 independent outlet(s)",
      },
    ]);
    expect(sent).toEqual([{ development: crossing.development, updateKey: "outlets:3" }]);
  });

  it("sends nothing twice, nothing for an unalerted or baseline development, nothing below the line", () => {
    const already = entry();
    already.development.updates.push("outlets:3");
    const unalerted = entry();
    unalerted.development.alerted = false;
    const below = entry({}, 2);
    for (const e of [already, unalerted, below]) {
      const { actions, sent } = emitCorroborations(new Map([["summit:a", e]]));
      expect(actions[0]).toMatchObject({ alert: false });
      expect(sent).toEqual([]);
    }
  });

  it("keys a refinement's update by its facts", () => {
    const facts = { date: "2025-08-15", place: "Anchorage" };
    const { actions } = emitCorroborations(new Map([["summit:a", entry({ facts }, 1)]]));
    expect(actions[0]).toMatchObject({
      alert: true,
      updateKey: `facts:${digest("2025-08-15|Anchorage").slice(0, 8)}`,
      facts,
    });
  });
});

describe("emitStorylineUpdate", () => {
  const before = { status: "scheduled" as const, facts: { date: "2025-08-15" } };

  it("updates the storyline only when status or facts moved, saying why", () => {
    expect(emitStorylineUpdate(before, { ...before, facts: { ...before.facts } }, null, false, T0)).toBeNull();
    const voided = { status: "agreed" as const, facts: { date: null } };
    expect(emitStorylineUpdate(before, voided, "summit:a", true, T0)).toEqual({
      type: "storyline.update",
      status: "agreed",
      facts: { date: null },
      developmentKey: "summit:a",
      evidence: `the date passed without a report of the event; date voided as of ${T0}`,
    });
    expect(emitStorylineUpdate(before, { status: "held", facts: before.facts }, "k", false, T0)?.evidence).toBe(
      `status scheduled → held as of ${T0}`,
    );
  });

  it("formats dates and ranges for titles", () => {
    expect(formatDate("2025-08-15")).toBe("15 Aug 2025");
    expect(formatDate("2025-08-15/2025-08-16")).toBe("15 Aug 2025–16 Aug 2025");
  });
});
