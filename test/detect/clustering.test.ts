/** SimHash near-duplicates and the query reading used to score sentences. */
import { describe, expect, it } from "vitest";
import { compileAnchors, groupsHit, matchesQuery } from "../../src/detect/anchors";
import { hamming, NEAR_DUPLICATE_BITS, simhash } from "../../src/detect/simhash";
import { splitSentences } from "../../src/detect/text";
import dev from "../fixtures/corpora/corpus-dev.json";

const devItems = new Map(dev.ticks.flatMap((t) => t.items).map((i) => [i.id, `${i.title} ${i.summary}`]));
const devHash = (id: string) => simhash(devItems.get(id) ?? "");

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
});

describe("wire copies in the dev corpus", () => {
  it("collapses the labelled copies and keeps distinct reports of the same event apart", () => {
    expect(hamming(devHash("harbor-daily-0010"), devHash("meridian-wire-0013"))).toBeLessThanOrEqual(
      NEAR_DUPLICATE_BITS,
    );
    expect(hamming(devHash("harbor-daily-0023"), devHash("meridian-wire-0028"))).toBeLessThanOrEqual(
      NEAR_DUPLICATE_BITS,
    );
    expect(hamming(devHash("meridian-wire-0034"), devHash("northgate-post-0026"))).toBeGreaterThan(NEAR_DUPLICATE_BITS);
    expect(hamming(devHash("meridian-wire-0024"), devHash("capital-ledger-0019"))).toBeGreaterThan(NEAR_DUPLICATE_BITS);
  });
});

describe("query anchors", () => {
  const anchors = compileAnchors('(Putin OR Kremlin) AND Trump AND (summit OR meet* OR "direct talks")');

  it("splits the query into its top-level AND groups and counts the ones a sentence hits", () => {
    expect(anchors.groups).toHaveLength(3);
    expect(groupsHit(anchors, "Trump says he will meet Putin in Alaska")).toBe(3);
    expect(groupsHit(anchors, "Witkoff met Putin in Moscow")).toBe(1);
  });

  it("matches phrases, wildcards, possessives and accents", () => {
    expect(matchesQuery(anchors, "The Kremlin’s direct talks with Trump")).toBe(true);
    expect(matchesQuery(anchors, "Trump and the Kremlin: talks direct")).toBe(false);
    const turkish = compileAnchors("Türkiye AND talks");
    expect(matchesQuery(turkish, "TURKIYE hosts talks")).toBe(true);
  });

  it("reads the query as the matcher does: field prefixes, near/n, ß, bound prefixes, nested AND", () => {
    expect(groupsHit(compileAnchors("title:Abe AND summit"), "Abe at the summit")).toBe(2);
    const near = compileAnchors("abe near/2 summit");
    expect(matchesQuery(near, "Abe flew to the summit")).toBe(false);
    expect(matchesQuery(near, "Abe at a summit")).toBe(true);
    expect(matchesQuery(compileAnchors("Straße AND talks"), "talks on the STRASSE")).toBe(true);
    expect(matchesQuery(compileAnchors("escalation"), "calls for de-escalation")).toBe(false);
    const nested = compileAnchors("(Chile AND Peru) AND talks");
    expect(nested.groups).toHaveLength(3);
    expect(groupsHit(nested, "Peru talks")).toBe(2);
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
