/** SimHash near-duplicates and the query reading used to score sentences. */
import { describe, expect, it } from "vitest";
import { anchorWords, compileAnchors, groupsHit, matchesQuery } from "../../src/detect/anchors";
import { hamming, NEAR_DUPLICATE_BITS, SimHashIndex, simhash } from "../../src/detect/simhash";
import { fold, splitSentences } from "../../src/detect/text";

const WIRE =
  "Putin proposes direct talks with Ukraine in Istanbul on Thursday. Russian President Vladimir Putin proposed on Sunday that Russia and Ukraine resume direct negotiations in Istanbul on Thursday, May 15, without preconditions.";

describe("SimHash", () => {
  it("puts a wire copy with a credit line within the near-duplicate distance, and another story far away", () => {
    const copy = `${WIRE} (Meridian Wire)`;
    const other =
      "Erdogan tells Putin Türkiye is ready to host talks. Turkish President Tayyip Erdogan told Vladimir Putin in a phone call that Türkiye was ready to host negotiations.";
    expect(hamming(simhash(WIRE), simhash(copy))).toBeLessThanOrEqual(NEAR_DUPLICATE_BITS);
    expect(hamming(simhash(WIRE), simhash(other))).toBeGreaterThan(NEAR_DUPLICATE_BITS);
  });

  it("finds an identical hash through the band index", () => {
    const index = new SimHashIndex<string>();
    index.add(simhash(WIRE), "wire-1");
    expect(index.nearest(simhash(WIRE))).toEqual({ value: "wire-1", distance: 0 });
    expect(index.nearest(simhash("Eagles rout Chiefs to win the Super Bowl in New Orleans"), 3)).toBeNull();
  });
});

describe("query anchors", () => {
  const anchors = compileAnchors('(Putin OR Kremlin) AND Trump AND (summit OR meet* OR "direct talks")');

  it("splits the query into its top-level AND groups and counts the ones a sentence hits", () => {
    expect(anchors.groups).toHaveLength(3);
    expect(groupsHit(anchors, anchorWords(fold("Trump says he will meet Putin in Alaska")))).toBe(3);
    expect(groupsHit(anchors, anchorWords(fold("Witkoff met Putin in Moscow")))).toBe(1);
  });

  it("matches phrases, wildcards, possessives and accents", () => {
    expect(matchesQuery(anchors, anchorWords(fold("The Kremlin’s direct talks with Trump")))).toBe(true);
    expect(matchesQuery(anchors, anchorWords(fold("Trump and the Kremlin: talks direct")))).toBe(false);
    const turkish = compileAnchors("Türkiye AND talks");
    expect(matchesQuery(turkish, anchorWords(fold("TURKIYE hosts talks")))).toBe(true);
  });
});

describe("sentence splitting", () => {
  it("keeps abbreviations and initials inside a sentence", () => {
    expect(splitSentences("Zelensky will sign on Feb. 28 in Washington. Talks continue. Mr. Bessent left.")).toEqual([
      "Zelensky will sign on Feb. 28 in Washington.",
      "Talks continue.",
      "Mr. Bessent left.",
    ]);
  });
});
