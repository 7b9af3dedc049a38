/** Stage "read": publication order, each text once, copies found by SimHash distance. */
import { describe, expect, it } from "vitest";
import { extract, readingContext } from "../../../src/detect/extract";
import { type SimHash, simhash } from "../../../src/detect/simhash";
import { isDated, orderItems, outletOf, readItem } from "../../../src/detect/stages/read";
import { type DetectorMemory, emptyDetectorMemory } from "../../../src/detect/types";
import { item, storyline } from "./fixtures";

const ctx = readingContext(storyline());
const WIRE = "Trump and Putin agree to meet in Alaska. The two leaders will hold a summit on August 15.";

/** A SimHash `bits` bits away from `hash`. */
function flip(hash: SimHash, bits: number): SimHash {
  let hi = hash[0];
  for (let bit = 0; bit < bits; bit++) hi ^= 1 << bit;
  return [hi >>> 0, hash[1]];
}

function remembered(entries: Record<string, { s: SimHash; o: string; h?: string }>): DetectorMemory {
  const memory = emptyDetectorMemory();
  for (const [id, { s, o, h }] of Object.entries(entries)) {
    memory.items[id] = { h: h ?? "other text", d: `dev-of-${id}`, s, o };
    memory.order.push(id);
  }
  return memory;
}

describe("orderItems", () => {
  it("orders by publication time, then by id, an edit in place as of its revision", () => {
    const b = item("b", "2025-08-10T10:00:00Z");
    const a = item("a", "2025-08-10T10:00:00Z");
    const edited = item("c", "2025-08-10T09:00:00Z", "t", { updated: true, revisedAt: "2025-08-10T11:00:00Z" });
    const notAnEdit = item("d", "2025-08-10T08:00:00Z", "t", { revisedAt: "2025-08-10T12:00:00Z" });
    const ordered = orderItems([b, a, edited, notAnEdit]);
    expect(ordered.map((i) => [i.id, i.publishedAt])).toEqual([
      ["d", "2025-08-10T08:00:00Z"],
      ["a", "2025-08-10T10:00:00Z"],
      ["b", "2025-08-10T10:00:00Z"],
      ["c", "2025-08-10T11:00:00Z"],
    ]);
    expect(edited.publishedAt).toBe("2025-08-10T09:00:00Z");
  });
});

describe("readItem", () => {
  it("reads a new item: its reading, time, outlet and SimHash, no copy", () => {
    const news = item("n1", "2025-08-10T10:00:00Z", "Trump and Putin will meet in Alaska", { summary: "Talks set." });
    const read = readItem(news, emptyDetectorMemory(), ctx, "event");
    expect(read).toMatchObject({
      seen: null,
      ms: Date.parse("2025-08-10T10:00:00Z"),
      dated: true,
      outlet: "Outlet n1",
      simhash: simhash("Trump and Putin will meet in Alaska Talks set."),
      copy: null,
      wireCopyOf: null,
    });
    expect(read?.reading).toEqual(extract(news, ctx));
  });

  it("drops a text it has read, and reads an edit of it with what it remembers", () => {
    const first = item("n1", "2025-08-10T10:00:00Z", "Trump and Putin will meet in Alaska");
    const read = readItem(first, emptyDetectorMemory(), ctx, "event");
    if (!read) throw new Error("a new item is read");
    const memory = remembered({ n1: { s: read.simhash, o: read.outlet, h: read.digest } });
    expect(readItem(first, memory, ctx, "event")).toBeNull();
    const edit = { ...first, summary: "Updated: the date is August 15." };
    expect(readItem(edit, memory, ctx, "event")?.seen).toBe(memory.items.n1);
  });

  it("finds the nearest earlier copy; a copy at another outlet is a wire copy", () => {
    const copy = item("n9", "2025-08-10T10:00:00Z", WIRE);
    const hash = simhash(WIRE);
    const memory = remembered({ far: { s: flip(hash, 9), o: "Far Wire" }, near: { s: flip(hash, 2), o: "Near Wire" } });
    const read = readItem(copy, memory, ctx, "event");
    expect(read?.copy).toEqual({ itemId: "near", simhash: flip(hash, 2), outlet: "Near Wire" });
    expect(read?.wireCopyOf).toBe("near");

    const sameOutlet = remembered({ near: { s: flip(hash, 2), o: "Outlet n9" } });
    const again = readItem(copy, sameOutlet, ctx, "event");
    expect(again?.copy?.itemId).toBe("near");
    expect(again?.wireCopyOf).toBeNull();
  });

  it("takes a topic's rewrites of one story as copies, but not as wire copies", () => {
    const rewrite = item("n9", "2025-08-10T10:00:00Z", WIRE);
    const memory = remembered({ old: { s: flip(simhash(WIRE), 16), o: "Other" } });
    expect(readItem(rewrite, memory, ctx, "event")?.copy).toBeNull();
    const topic = readItem(rewrite, memory, ctx, "topic");
    expect(topic?.copy?.itemId).toBe("old");
    expect(topic?.wireCopyOf).toBeNull();
  });
});

describe("item facts", () => {
  it("names the outlet by feed title, else the link's host, else the feed", () => {
    expect(outletOf(item("x", "2025-08-10T10:00:00Z"))).toBe("Outlet x");
    expect(
      outletOf(item("x", "2025-08-10T10:00:00Z", "t", { feedTitle: null, url: "https://www.wire.example/a" })),
    ).toBe("wire.example");
    expect(outletOf(item("x", "2025-08-10T10:00:00Z", "t", { feedTitle: null, url: null }))).toBe("feed-x");
  });

  it("takes an item published when first seen as undated", () => {
    const undated = item("u", "2025-08-10T10:00:00Z", "t", { firstSeenAt: "2025-08-10T10:00:00Z" });
    expect(isDated(undated)).toBe(false);
    expect(isDated(item("d", "2025-08-10T10:00:00Z"))).toBe(true);
  });
});
