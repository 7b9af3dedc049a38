/** The saved detector state read back: every version written loads; anything else is refused, saying why. */
import { describe, expect, it } from "vitest";
import { detect } from "../../src/detect/detector";
import { DetectorStateUnreadable, parseDetectorState, upgradeDetectorState } from "../../src/detect/state";
import { initialDetectorState } from "../../src/detect/types";
import { DomainError } from "../../src/lib/errors";
import { item, storyline } from "./stages/fixtures";

const news = [
  item("a", "2025-08-08T10:00:00Z", "Trump and Putin agree to meet in Alaska on August 15"),
  item("b", "2025-08-08T12:00:00Z", "Trump and Putin will hold their summit in Anchorage, officials say"),
];
const saved = detect({
  storyline: storyline(),
  state: initialDetectorState(),
  items: news,
  now: "2025-08-09T00:00:00Z",
});

describe("parseDetectorState", () => {
  it("loads a state as the detector saved it", () => {
    expect(saved.state.memory.order).toEqual(["a", "b"]);
    expect(parseDetectorState(JSON.stringify(saved.state))).toEqual(saved.state);
  });

  it("loads a first version 1 state, with an empty memory, as a fresh one", () => {
    const first = { version: 1, status: null, facts: {}, memory: {} };
    expect(upgradeDetectorState(first)).toEqual(initialDetectorState());
  });

  it("loads a state saved before the memory knew the last move and the day of an event, and reads on from it", () => {
    const older = structuredClone(saved.state) as unknown as { memory: Record<string, unknown> };
    delete older.memory.movedAt;
    delete older.memory.happenedOn;
    // Items then also carried their publication time, since dropped.
    const items = older.memory.items as Record<string, Record<string, unknown>>;
    for (const seen of Object.values(items)) seen.t = 0;
    const state = parseDetectorState(JSON.stringify(older));
    expect(state.memory).toMatchObject({ movedAt: 0, happenedOn: null, order: ["a", "b"] });
    // What it has read stays read: the same items again bring nothing.
    const again = detect({ storyline: storyline(), state, items: news, now: "2025-08-09T00:00:00Z" });
    expect(again.actions).toEqual([]);
  });

  it("refuses what is not a state the detector wrote, saying what is wrong and what to do", () => {
    const cases: Array<[string, RegExp]> = [
      ["{not json", /not JSON/],
      [JSON.stringify({ ...saved.state, version: 2 }), /version 2, newer than this code reads \(1\)/],
      [JSON.stringify({ ...saved.state, version: undefined }), /no known version/],
      [JSON.stringify({ ...saved.state, facts: [] }), /facts is not an object/],
      [
        JSON.stringify({ ...saved.state, memory: { ...saved.state.memory, items: { a: { h: "x" } } } }),
        /memory\.items\["a"\] is not a read item/,
      ],
      [JSON.stringify({ ...saved.state, memory: { ...saved.state.memory, devs: [{ key: 1 }] } }), /memory\.devs\[0\]/],
      [JSON.stringify({ ...saved.state, memory: { ...saved.state.memory, order: [1] } }), /memory\.order/],
    ];
    for (const [text, reason] of cases) {
      let error: unknown;
      try {
        parseDetectorState(text);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(DetectorStateUnreadable);
      expect(error).toBeInstanceOf(DomainError);
      expect((error as Error).message).toMatch(reason);
      expect((error as Error).message).toMatch(/restart the storyline's detection/);
    }
  });
});
