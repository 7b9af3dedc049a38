/**
 * Cue rules that blind corpora (written without sight of the rules) exposed: agreements that
 * are carried out rather than signed (an exchange of prisoners), plans in the infinitive,
 * rescheduling, meetings of other people, hosts named as venues, events over several days.
 */
import { describe, expect, it } from "vitest";
import type { StorylineKind } from "../../src/contracts";
import { type Claim, extract, readingContext } from "../../src/detect/extract";
import { PLACES, within } from "../../src/detect/extract/gazetteer";
import { advance } from "../../src/detect/status";

const SWAP = {
  title: "US–Russia prisoner exchange",
  query:
    '(Russia* OR Moscow OR Kremlin) AND ("United States" OR Washington OR US OR American*) AND (exchang* OR swap*)',
};
const SUMMIT = {
  title: "Modi–Xi informal summit",
  query: "(Modi OR India*) AND (Xi OR China OR Chinese) AND (summit* OR meet* OR talks)",
};

function claims(kind: StorylineKind, storyline: { title: string; query: string }, title: string, at: string): Claim[] {
  const ctx = readingContext({ ...storyline, kind, aliases: null });
  return extract({ title, summary: "", content: "", publishedAt: at }, ctx).claims.filter(
    (c) => c.polarity === "positive" && c.certainty >= 0.8 && !c.background,
  );
}

const FEB_24 = "2026-02-24T12:00:00Z"; // a Tuesday

describe("agreements carried out, not signed", () => {
  it("reads an agreed exchange, its set date and place, and its execution", () => {
    expect(
      claims("agreement", SWAP, "US and Russia agree prisoner exchange to free two Americans", FEB_24),
    ).toMatchObject([{ cue: "agreed" }]);
    const set = claims(
      "agreement",
      SWAP,
      "The exchange of two Americans for two Russians will take place in Abu Dhabi on Thursday, the White House said",
      FEB_24,
    );
    expect(set).toMatchObject([{ cue: "signing_set", date: "2026-02-26", place: "Abu Dhabi" }]);
    const agreed = advance("agreement", { status: "agreed", facts: {} }, set[0] as Claim, FEB_24);
    expect(agreed).toMatchObject({ status: "agreed", facts: { date: "2026-02-26", place: "Abu Dhabi" } });
    const done = claims(
      "agreement",
      SWAP,
      "Two Americans freed in US-Russia prisoner exchange in Abu Dhabi",
      "2026-02-26T13:00:00Z",
    );
    expect(done).toMatchObject([{ cue: "in_force" }]);
  });

  it("leaves an exchange recalled from an earlier year as background", () => {
    const old = claims(
      "agreement",
      SWAP,
      "In April 2025 a Russian-American dancer was exchanged in Abu Dhabi for a Russian held in the United States",
      FEB_24,
    );
    expect(old).toEqual([]);
  });

  it("reads a framework agreed for a final deal as a step in the negotiations", () => {
    const deal = { title: "Iran nuclear deal", query: "Iran AND nuclear AND (deal OR framework OR talks)" };
    const ctx = readingContext({ ...deal, kind: "agreement", aliases: null });
    const item = (summary: string) =>
      extract(
        {
          title: "Iran and world powers agree nuclear framework in Lausanne",
          summary,
          content: "",
          publishedAt: FEB_24,
        },
        ctx,
      ).claims.map((c) => c.cue);
    expect(
      item("Iran and six powers agreed on a framework for a final nuclear deal, with details due by June 30."),
    ).not.toContain("agreed");
    expect(item("Iran and six powers agreed on the framework in Lausanne.")).toContain("agreed");
  });

  it("reads negotiations about a possible exchange as negotiations", () => {
    expect(
      claims(
        "agreement",
        SWAP,
        "The White House said US and Russian officials were negotiating a possible prisoner exchange",
        FEB_24,
      ),
    ).toMatchObject([{ cue: "negotiating" }]);
  });
});

describe("events", () => {
  it("does not read an agreement to hold a summit as the summit held", () => {
    const read = claims(
      "event",
      SUMMIT,
      "India and China agree to hold third Modi–Xi informal summit in India",
      FEB_24,
    );
    expect(read.map((c) => c.cue)).toEqual(["agreed"]);
    // The host, named with "in", is the venue even though it is a party.
    expect(read[0]?.place).toBe("India");
  });

  it("reads a rescheduling to new dates as arranged, a plain rescheduling as postponed", () => {
    expect(claims("event", SUMMIT, "Modi–Xi summit rescheduled for June 11–12", FEB_24)).toMatchObject([
      { cue: "arranged", date: "2026-06-11/2026-06-12" },
    ]);
    expect(claims("event", SUMMIT, "The Modi–Xi summit has been rescheduled", FEB_24)).toMatchObject([
      { cue: "postponed" },
    ]);
  });

  it("reads a meeting of the storyline's people only, not of their ministers", () => {
    expect(claims("event", SUMMIT, "Modi meets Chinese foreign minister Wang Yi", FEB_24)).toEqual([]);
    expect(
      claims("event", SUMMIT, "Indian and Chinese defence ministers met in Beijing to discuss the summit", FEB_24),
    ).toEqual([]);
    expect(claims("event", SUMMIT, "Modi and Xi end their summit with a pledge on the border", FEB_24)).toMatchObject([
      { cue: "held" },
    ]);
  });

  it("dates a summit held over set days by the range once its last day is reached", () => {
    const scheduled = { status: "scheduled" as const, facts: { date: "2026-06-11/2026-06-12" } };
    const [end] = claims("event", SUMMIT, "Modi and Xi concluded their summit on Friday", "2026-06-12T14:00:00Z");
    expect(advance("event", scheduled, end as Claim, "2026-06-12T14:00:00Z")?.facts.date).toBe("2026-06-11/2026-06-12");
    const [start] = claims("event", SUMMIT, "Modi and Xi met on Thursday", "2026-06-11T14:00:00Z");
    expect(advance("event", scheduled, start as Claim, "2026-06-11T14:00:00Z")?.facts.date).toBe("2026-06-11");
  });
});

describe("the gazetteer's generated cities", () => {
  it("knows larger cities and capitals with their country, and never shadows a hand-written name", () => {
    expect(within("Varanasi", "India")).toBe(true);
    expect(within("Bishkek", "Kyrgyzstan")).toBe(true);
    expect(within("Wuhan", "China")).toBe(true);
    expect(within("Kowloon", "China")).toBe(true); // via the hand-written Hong Kong ⊂ China
    expect(within("Varanasi", "Pakistan")).toBe(false);
    // Hand-written: Washington is the US capital (not a generated namesake), Anchorage is in Alaska.
    expect(PLACES.get("Washington")?.parent).toBe("United States");
    expect(within("Anchorage", "Alaska")).toBe(true);
    // Common words and first names stay out: "Austin" and "Sale" are no places.
    expect(PLACES.has("Austin")).toBe(false);
    expect(PLACES.has("Sale")).toBe(false);
  });

  it("reads a generated city as a venue", () => {
    expect(
      claims("event", SUMMIT, "Modi and Xi to hold informal summit in Varanasi on April 23–24", FEB_24),
    ).toMatchObject([{ cue: "arranged", date: "2026-04-23/2026-04-24", place: "Varanasi" }]);
  });
});
