/** Stage "decide status": the claim that moves the state, stale news, what restates, a passed date. */
import { describe, expect, it } from "vitest";
import { decideStatus, expirePassedDate, refines } from "../../../src/detect/stages/decide";
import type { StoryState } from "../../../src/detect/status";
import { claim, item, reading, readOf } from "./fixtures";

const NOON = "2025-08-10T12:00:00Z";
const none: StoryState = { status: null, facts: {} };
const negotiating: StoryState = { status: "negotiating", facts: { participants: ["Ukraine"] } };

function decide(
  story: StoryState,
  claims: ReturnType<typeof claim>[],
  extra: { movedAt?: number; dated?: boolean } = {},
) {
  const read = readOf(item("a", NOON), { reading: reading({ claims }), dated: extra.dated ?? true });
  return decideStatus({
    kind: "agreement",
    story,
    read,
    rounds: "any",
    participants: new Set(["United States"]),
    movedAt: extra.movedAt ?? 0,
  });
}

describe("refines", () => {
  const scheduled: StoryState = { status: "scheduled", facts: { date: null, place: "Alaska" } };

  it("takes a date filled in or a narrower place, at the same status, as a refinement", () => {
    expect(refines(scheduled, { status: "scheduled", facts: { date: "2025-08-15", place: "Alaska" } })).toBe(true);
    expect(refines(scheduled, { status: "scheduled", facts: { date: null, place: "Anchorage" } })).toBe(true);
  });

  it("takes a new status, a wider or other place, or nothing new as no refinement", () => {
    expect(refines(scheduled, { status: "held", facts: { date: "2025-08-15", place: "Alaska" } })).toBe(false);
    expect(refines(scheduled, { status: "scheduled", facts: { date: null, place: "United States" } })).toBe(false);
    expect(refines(scheduled, { status: "scheduled", facts: { date: null, place: "Alaska" } })).toBe(false);
  });
});

describe("decideStatus", () => {
  it("moves on the first firm claim, with the storyline's parties and the claim's actors", () => {
    const decision = decide(none, [claim("negotiating", { actors: ["Ukraine"], quote: "talks began" })]);
    expect(decision.moved?.next).toEqual({
      status: "negotiating",
      facts: { participants: ["Ukraine", "United States"] },
    });
    expect(decision.quote).toBe("talks began");
    expect(decision.restating).toBeNull();
  });

  it("moves on nothing hedged, denied or in the background", () => {
    const decision = decide(none, [
      claim("negotiating", { certainty: 0.3 }),
      claim("negotiating", { polarity: "negative" }),
      claim("negotiating", { background: true }),
    ]);
    expect(decision).toEqual({ moved: null, restating: null, quote: null });
  });

  it("reads the title and lede before the body", () => {
    const decision = decide(none, [claim("proposed", { sentence: 6 }), claim("negotiating", { sentence: 1 })]);
    expect(decision.moved?.next.status).toBe("negotiating");
    expect(decision.moved?.claim.sentence).toBe(1);
  });

  it("lets a claim that says what is known stand for the item without moving it", () => {
    const decision = decide(negotiating, [claim("negotiating", { quote: "talks go on" })]);
    expect(decision.moved).toBeNull();
    expect(decision.restating?.quote).toBe("talks go on");
    expect(decision.quote).toBe("talks go on");
  });

  it("never moves the status on a dated report older than the last move; an undated one may", () => {
    const later = Date.parse(NOON) + 3_600_000;
    expect(decide(none, [claim("negotiating")], { movedAt: later }).moved).toBeNull();
    expect(decide(none, [claim("negotiating")], { movedAt: later, dated: false }).moved?.next.status).toBe(
      "negotiating",
    );
  });
});

describe("expirePassedDate", () => {
  const scheduled: StoryState = { status: "scheduled", facts: { date: "2025-08-15", place: "Anchorage" } };

  it("voids a planned date three days past in story time: the latest dated item, never after now", () => {
    expect(expirePassedDate("event", scheduled, null, "2025-08-20T00:00:00Z", "2025-08-21T00:00:00Z")).toEqual({
      status: "agreed",
      facts: { date: null, place: "Anchorage" },
    });
    expect(expirePassedDate("event", scheduled, null, "2025-08-20T00:00:00Z", "2025-08-16T00:00:00Z")).toBeNull();
  });

  it("voids nothing on a batch without dated items, or on the day something happened", () => {
    expect(expirePassedDate("event", scheduled, null, null, "2025-08-30T00:00:00Z")).toBeNull();
    expect(
      expirePassedDate("event", scheduled, "2025-08-15", "2025-08-30T00:00:00Z", "2025-08-30T00:00:00Z"),
    ).toBeNull();
  });

  it("revives a collapsed deal by its parties' new offer or talks, days after the collapse, not in its own coverage", () => {
    const collapsed: StoryState = { status: "collapsed", facts: { note: "proposal rejected on 2025-08-01" } };
    const noon = Date.parse(NOON);
    const fresh = claim("proposed", { actors: ["Ukraine"] });
    expect(decide(collapsed, [fresh], { movedAt: noon - 5 * 86_400_000 }).moved?.next).toMatchObject({
      status: "proposed",
      facts: { note: null },
    });
    // The same day as the collapse: its coverage looking back.
    expect(decide(collapsed, [fresh], { movedAt: noon - 3_600_000 }).moved).toBeNull();
    // Someone else's proposal is another deal.
    expect(decide(collapsed, [claim("proposed")], { movedAt: noon - 5 * 86_400_000 }).moved).toBeNull();
    // A deal struck after all needs no wait.
    expect(decide(collapsed, [claim("agreed")], { movedAt: noon - 3_600_000 }).moved?.next.status).toBe("agreed");
    // A new fact on the collapsed deal, whoever acts, is no revival: it is told as it comes.
    const ordered = claim("note", { note: "return to work ordered", step: "opening any stage" });
    expect(decide(collapsed, [ordered], { movedAt: noon - 3_600_000 }).moved?.next).toMatchObject({
      status: "collapsed",
      facts: { note: expect.stringMatching(/^return to work ordered on /) },
    });
  });
});
