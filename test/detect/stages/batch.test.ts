/** The batch's working state: what `record` writes for each assignment, and the memory's bounds. */
import { describe, expect, it } from "vitest";
import { detect } from "../../../src/detect/detector";
import {
  ageOut,
  closeOpen,
  MAX_DEVS,
  MAX_ITEMS,
  record,
  recordSent,
  startBatch,
} from "../../../src/detect/stages/batch";
import type { Decision } from "../../../src/detect/stages/decide";
import type { StoryState } from "../../../src/detect/status";
import { type DetectorState, emptyDetectorMemory, initialDetectorState } from "../../../src/detect/types";
import { claim, development, item, readOf, storyline } from "./fixtures";

const T0 = "2025-08-08T10:00:00Z";
const agreed: StoryState = { status: "agreed", facts: { place: "Alaska" } };
const scheduled: StoryState = { status: "scheduled", facts: { date: "2025-08-15", place: "Alaska" } };
const moves = (next: StoryState, quote = "they agreed"): Decision => ({
  moved: { next, claim: claim("agreed", { quote, certainty: 0.9 }) },
  restating: null,
  quote,
});

describe("startBatch", () => {
  it("works on a copy of the saved memory", () => {
    const state: DetectorState = initialDetectorState();
    state.memory.devs.push(development("summit:a"));
    const batch = startBatch(state);
    batch.memory.devs[0]?.outlets.push("another");
    batch.memory.order.push("x");
    expect(state.memory.devs[0]?.outlets).toEqual(["Outlet a"]);
    expect(state.memory.order).toEqual([]);
  });
});

describe("detect", () => {
  it("never changes the state it is given, however the batch corroborates, refines and clusters", () => {
    const agreedIn = (id: string, hours: number, title: string) =>
      item(id, new Date(Date.parse(T0) + hours * 3_600_000).toISOString(), title);
    let state = initialDetectorState();
    const batches = [
      [agreedIn("a", 0, "Trump and Putin agree to meet in Alaska")],
      [
        agreedIn("b", 2, "Trump and Putin agree to meet in Alaska, officials say"),
        agreedIn("c", 3, "Trump, Putin to meet in Anchorage"),
      ],
      [
        agreedIn("d", 5, "Trump and Putin agree to meet in Alaska on August 15"),
        agreedIn("e", 6, "Putin and Trump will meet in Alaska"),
      ],
    ];
    for (const items of batches) {
      const given = JSON.stringify(state);
      const out = detect({ storyline: storyline(), state, items, now: "2025-08-20T00:00:00Z" });
      expect(JSON.stringify(state)).toBe(given);
      expect(JSON.stringify(out.state)).not.toBe(given);
      state = out.state;
    }
    expect(state.memory.devs.some((d) => d.outlets.length > 1)).toBe(true);
  });
});

describe("detect at its bounds", () => {
  it("ages out the oldest item on its own copy, leaving the state it is given whole", () => {
    const state = initialDetectorState();
    for (let i = 0; i < MAX_ITEMS; i++) {
      state.memory.order.push(`i${i}`);
      state.memory.items[`i${i}`] = { h: "h", d: null, s: [i, i], o: "o" };
    }
    for (let i = 0; i < MAX_DEVS; i++) state.memory.devs.push(development(`d${i}`));
    const given = JSON.stringify(state);
    const news = item("new", T0, "Trump and Putin agree to meet in Alaska");
    const out = detect({ storyline: storyline(), state, items: [news], now: T0 });
    expect(JSON.stringify(state)).toBe(given);
    expect(out.state.memory.order).toHaveLength(MAX_ITEMS);
    expect(out.state.memory.order.at(-1)).toBe("new");
    expect(out.state.memory.items.i0).toBeUndefined();
    expect(out.state.memory.devs).toHaveLength(MAX_DEVS);
    expect(out.state.memory.devs.at(-1)?.key).toBe("summit:new");
  });
});

describe("record", () => {
  it("opens a development, extends it with a wire copy (a source, not an outlet), and emits it on close", () => {
    const batch = startBatch(initialDetectorState());
    const first = readOf(item("a", T0));
    record(batch, storyline(), first, moves(agreed), { kind: "open", key: "summit:a", coverage: false, stems: [] });
    const copy = readOf(item("b", "2025-08-08T11:00:00Z"), { wireCopyOf: "a", simhash: [7, 7] });
    record(batch, storyline(), copy, moves(scheduled, "set for August 15"), { kind: "extend" });
    expect(batch.story).toBe(scheduled);
    expect(batch.open).toMatchObject({ after: scheduled, outlets: ["Outlet a"], quote: "set for August 15" });
    expect(batch.memory.items.b).toEqual({ h: copy.digest, d: "summit:a", s: [7, 7], o: "Outlet b" });
    expect(batch.memory.order).toEqual(["a", "b"]);

    closeOpen(batch, storyline());
    expect(batch.open).toBeNull();
    expect(batch.created).toHaveLength(1);
    expect(batch.created[0]).toMatchObject({ outlets: 1, development: { status: "scheduled" } });
    expect(batch.memory.current).toBe("summit:a");
    expect(batch.lastKey).toBe("summit:a");
    expect(batch.memory.devs.map((d) => d.key)).toEqual(["summit:a"]);
  });

  it("corroborates a known development: one entry per development, outlets counted once", () => {
    const state = initialDetectorState();
    state.memory.devs.push(development("summit:a"));
    const batch = startBatch(state);
    const dev = batch.memory.devs[0] as NonNullable<(typeof batch.memory.devs)[0]>;
    const restating: Decision = { moved: null, restating: claim("agreed"), quote: "again" };
    for (const [id, counted] of [
      ["b", true],
      ["c", false],
    ] as const) {
      const read = readOf(item(id, "2025-08-09T10:00:00Z"));
      record(batch, storyline(), read, restating, { kind: "corroborate", development: dev, counted, stems: null });
    }
    const entry = batch.corroborations.get("summit:a");
    expect(entry?.outletsBefore).toBe(1);
    expect(entry?.sources.map((s) => [s.itemId, s.quote])).toEqual([
      ["b", "again"],
      ["c", "again"],
    ]);
    expect(dev.outlets).toEqual(["Outlet a", "Outlet b"]);
    expect(dev.last).toBe(Date.parse("2025-08-09T10:00:00Z"));
    expect(batch.story).toEqual({ status: null, facts: {} });
  });

  it("refines the current development's facts, and remembers whether a new date is a plan or a day gone by", () => {
    const state = initialDetectorState();
    state.status = "agreed";
    state.facts = { place: "Alaska" };
    state.memory.devs.push(development("summit:a", { facts: agreed.facts }));
    const batch = startBatch(state);
    const dev = batch.memory.devs[0] as NonNullable<(typeof batch.memory.devs)[0]>;
    const planned = { status: "agreed" as const, facts: { place: "Alaska", date: "2025-08-15" } };
    record(batch, storyline(), readOf(item("b", T0)), moves(planned), { kind: "refine", development: dev });
    expect(dev.facts).toEqual(planned.facts);
    expect(batch.corroborations.get("summit:a")?.facts).toEqual(planned.facts);
    expect(batch.memory.happenedOn).toBeNull();
    expect(batch.memory.movedAt).toBe(Date.parse(T0));

    const past = { status: "agreed" as const, facts: { place: "Alaska", date: "2025-08-07" } };
    const undated = readOf(item("c", "2025-08-09T00:00:00Z"), { dated: false });
    record(batch, storyline(), undated, moves(past), { kind: "refine", development: dev });
    expect(batch.memory.happenedOn).toBe("2025-08-07");
    expect(batch.memory.movedAt).toBe(Date.parse(T0));
  });

  it("keeps an edit where it was counted and does not list it twice", () => {
    const batch = startBatch(initialDetectorState());
    const seen = { h: "old", d: "summit:z", s: [0, 0] as [number, number], o: "Outlet a" };
    batch.memory.items.a = seen;
    batch.memory.order.push("a");
    const edit = readOf(item("a", T0), { seen, digest: "new" });
    record(batch, storyline(), edit, { moved: null, restating: null, quote: null }, { kind: "keep", key: "summit:z" });
    expect(batch.memory.order).toEqual(["a"]);
    expect(batch.memory.items.a).toMatchObject({ h: "new", d: "summit:z" });
  });
});

describe("bounds", () => {
  it("ages out the oldest items and developments", () => {
    const memory = emptyDetectorMemory();
    for (let i = 0; i < MAX_ITEMS + 2; i++) {
      memory.order.push(`i${i}`);
      memory.items[`i${i}`] = { h: "h", d: null, s: [0, 0], o: "o" };
    }
    for (let i = 0; i < MAX_DEVS + 1; i++) memory.devs.push(development(`d${i}`));
    ageOut(memory);
    expect(memory.order).toHaveLength(MAX_ITEMS);
    expect(memory.order[0]).toBe("i2");
    expect(Object.keys(memory.items)).toEqual(memory.order);
    expect(memory.devs.map((d) => d.key)[0]).toBe("d1");
    expect(memory.devs).toHaveLength(MAX_DEVS);
    const small = emptyDetectorMemory();
    ageOut(small);
    expect(small).toEqual(emptyDetectorMemory());
  });

  it("remembers the updates sent", () => {
    const dev = development("summit:a");
    recordSent([{ development: dev, updateKey: "outlets:3" }]);
    expect(dev.updates).toEqual(["outlets:3"]);
  });
});
