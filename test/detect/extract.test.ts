/**
 * Labelled sentences for extraction: status cues, negation and its scope, hedges and
 * conditionals, unnamed sources, background, relative dates, ranges and places with
 * containment. Each sentence is read as an item title with the given publication time.
 */
import { describe, expect, it } from "vitest";
import type { StorylineKind } from "../../src/contracts";
import { type Claim, extract, readingContext } from "../../src/detect/extract";
import type { CueKind } from "../../src/detect/extract/cues";
import { findDates } from "../../src/detect/extract/dates";
import { within } from "../../src/detect/extract/gazetteer";
import { advance } from "../../src/detect/status";

interface Expectation {
  /** The cue that must be read; `null`: no firm, positive, current claim at all. */
  cue: CueKind | null;
  polarity?: "positive" | "negative";
  certainty?: number;
  background?: boolean;
  date?: string | null;
  place?: string | null;
  dateDenied?: boolean;
  placeDenied?: boolean;
}

type Case = [StorylineKind, string, string, Expectation];

const FRI_AUG_8 = "2025-08-08T15:00:00Z"; // a Friday
const WED_FEB_26 = "2025-02-26T12:00:00Z"; // a Wednesday
const SUN_MAY_11 = "2025-05-11T09:00:00Z"; // a Sunday
const THU_APR_17 = "2025-04-17T20:00:00Z"; // a Thursday

const CASES: Case[] = [
  // The two examples.
  [
    "event",
    WED_FEB_26,
    "There is a mutual understanding that the meeting should take place, but no concrete date has been set.",
    { cue: "agreed", polarity: "positive", certainty: 1, date: null, dateDenied: true },
  ],
  [
    "event",
    FRI_AUG_8,
    "Trump says he will meet Putin in Alaska on Friday, August 15",
    { cue: "arranged", polarity: "positive", certainty: 1, date: "2025-08-15", place: "Alaska" },
  ],
  // Status cues, event.
  [
    "event",
    SUN_MAY_11,
    "Putin proposes direct talks with Ukraine in Istanbul on May 15",
    { cue: "proposed", date: "2025-05-15", place: "Istanbul" },
  ],
  [
    "event",
    SUN_MAY_11,
    "Russia invited Ukraine to talks in Istanbul on Thursday",
    { cue: "proposed", date: "2025-05-15", place: "Istanbul" },
  ],
  ["event", SUN_MAY_11, "Kyiv accepted Moscow's invitation to talks", { cue: "agreed", certainty: 1 }],
  [
    "event",
    SUN_MAY_11,
    "The two leaders agreed to meet in Geneva next month",
    { cue: "agreed", place: "Geneva", date: null },
  ],
  [
    "event",
    SUN_MAY_11,
    "The summit is scheduled for June 3 in Vienna",
    { cue: "arranged", date: "2025-06-03", place: "Vienna" },
  ],
  [
    "event",
    SUN_MAY_11,
    "Delegations will meet in Riyadh on Tuesday, officials said",
    { cue: "arranged", date: "2025-05-13", place: "Riyadh" },
  ],
  ["event", SUN_MAY_11, "The talks have been postponed until further notice", { cue: "postponed" }],
  ["event", SUN_MAY_11, "The meeting was pushed back by a day at Türkiye's request", { cue: "postponed" }],
  ["event", SUN_MAY_11, "The summit was called off after the attack", { cue: "cancelled" }],
  [
    "event",
    SUN_MAY_11,
    "Russian and Ukrainian delegations met in Istanbul on Friday",
    { cue: "held", date: "2025-05-09", place: "Istanbul" },
  ],
  [
    "event",
    SUN_MAY_11,
    "The talks in Geneva ended after two hours on Sunday",
    { cue: "held", date: "2025-05-11", place: "Geneva" },
  ],
  [
    "event",
    SUN_MAY_11,
    "Ukraine will take part in the talks in Istanbul on Thursday",
    { cue: "arranged", date: "2025-05-15" },
  ],
  [
    "event",
    SUN_MAY_11,
    "The visit will take place from 17 to 19 September in Edinburgh",
    { cue: "arranged", date: "2025-09-17/2025-09-19", place: "Edinburgh" },
  ],
  [
    "event",
    SUN_MAY_11,
    "The leaders will meet on 15-16 August in Anchorage",
    { cue: "arranged", date: "2025-08-15/2025-08-16", place: "Anchorage" },
  ],
  [
    "event",
    SUN_MAY_11,
    "The meeting is set for August 15-16 in Busan",
    { cue: "arranged", date: "2025-08-15/2025-08-16", place: "Busan" },
  ],
  // Negation and its scope.
  ["event", SUN_MAY_11, "The summit has not been scheduled", { cue: "arranged", polarity: "negative" }],
  ["event", SUN_MAY_11, "Officials denied reports that a venue had been chosen", { cue: null, placeDenied: true }],
  ["event", SUN_MAY_11, "No date for the meeting has been set, the Kremlin said", { cue: null, dateDenied: true }],
  ["event", SUN_MAY_11, "The Kremlin gave no date for the talks", { cue: null, dateDenied: true }],
  [
    "event",
    SUN_MAY_11,
    "There was no decision yet on the time or place of the next round",
    { cue: null, dateDenied: true, placeDenied: true },
  ],
  ["event", SUN_MAY_11, "Kyiv has not confirmed whether it will attend the talks", { cue: null }],
  ["event", SUN_MAY_11, "Ukraine has yet to agree to meet in Istanbul", { cue: null }],
  ["event", SUN_MAY_11, "Moscow declined to say whether Putin would attend the talks", { cue: null }],
  [
    "agreement",
    WED_FEB_26,
    "Ukraine would not sign the draft as it stands",
    { cue: "signing_set", polarity: "negative" },
  ],
  ["agreement", WED_FEB_26, "Zelensky left the White House without signing the agreement", { cue: null }],
  [
    "agreement",
    WED_FEB_26,
    "Kyiv will keep negotiating the agreement rather than sign it",
    { cue: "negotiating", certainty: 1 },
  ],
  ["agreement", WED_FEB_26, "Thailand refused to sign the truce document", { cue: null }],
  // Hedges, speculation and conditionals.
  ["event", SUN_MAY_11, "Trump said the meeting could be in Saudi Arabia", { cue: null }],
  ["event", SUN_MAY_11, "Possible venues include Rome and Geneva, officials said", { cue: null }],
  ["event", SUN_MAY_11, "The talks could take place on Friday", { cue: "arranged", certainty: 0.3 }],
  ["event", SUN_MAY_11, "Trump said he may fly to Istanbul for the talks", { cue: null }],
  ["event", SUN_MAY_11, "The leaders are expected to meet in Vienna on Thursday", { cue: "arranged", certainty: 0.3 }],
  ["event", SUN_MAY_11, "Zelensky said he was ready to meet Putin once a ceasefire is in place", { cue: null }],
  [
    "event",
    SUN_MAY_11,
    "The summit will take place in Budapest if both sides agree",
    { cue: "arranged", certainty: 0.3 },
  ],
  ["event", SUN_MAY_11, "The meeting will be held in Doha next week, sources say", { cue: "arranged", certainty: 0.6 }],
  [
    "event",
    SUN_MAY_11,
    "The two sides will meet in Jeddah on Tuesday, according to people familiar with the plans",
    { cue: "arranged", certainty: 0.6, date: "2025-05-13" },
  ],
  [
    "agreement",
    THU_APR_17,
    "Trump said the deal would probably be signed next Thursday",
    { cue: "signing_set", certainty: 0.3 },
  ],
  [
    "agreement",
    THU_APR_17,
    "We have a deal, which I guess is going to be signed next Thursday",
    { cue: "signing_set", certainty: 0.3, date: "2025-04-24" },
  ],
  [
    "agreement",
    THU_APR_17,
    "Washington is ready to sign the agreement today if Kyiv agrees",
    { cue: "signing_set", certainty: 0.3 },
  ],
  ["agreement", THU_APR_17, "Thailand agreed in principle to a ceasefire", { cue: "agreed", certainty: 0.3 }],
  ["agreement", THU_APR_17, "Analysts said the truce could collapse without monitors", { cue: null }],
  ["agreement", THU_APR_17, "Trump urged Kyiv to sign the minerals deal", { cue: null }],
  // Background and tense.
  [
    "event",
    "2025-05-20T10:00:00Z",
    "The first round of direct talks was held in Istanbul on May 16",
    { cue: "held", background: true },
  ],
  ["event", "2025-07-20T10:00:00Z", "The previous two rounds were held in Istanbul", { cue: "held", background: true }],
  [
    "agreement",
    "2025-03-05T10:00:00Z",
    "The planned signing of the framework agreement in Washington collapsed on Feb. 28",
    { cue: "signing_off", background: true },
  ],
  [
    "agreement",
    "2025-04-30T10:00:00Z",
    "The two sides signed a memorandum of intent on April 17",
    { cue: "note", background: true },
  ],
  ["agreement", "2025-05-01T05:00:00Z", "The deal must now be ratified by parliament", { cue: null }],
  [
    "agreement",
    "2025-05-08T12:00:00Z",
    "Ukraine's parliament voted on Thursday to ratify the agreement",
    { cue: "note", background: false },
  ],
  [
    "agreement",
    "2025-03-28T12:00:00Z",
    "The February text was never signed after the Oval Office clash",
    { cue: null },
  ],
  // Agreement cues.
  [
    "agreement",
    WED_FEB_26,
    "Ukraine and the US have agreed the terms of a framework deal, officials said",
    { cue: "agreed", certainty: 1 },
  ],
  [
    "agreement",
    WED_FEB_26,
    "Zelenskiy to sign minerals framework with Trump in Washington on Feb. 28",
    { cue: "signing_set", date: "2025-02-28", place: "Washington" },
  ],
  [
    "agreement",
    WED_FEB_26,
    "Zelensky would come to Washington on Friday to sign the agreement, Trump said",
    { cue: "signing_set", date: "2025-02-28", place: "Washington" },
  ],
  [
    "agreement",
    "2025-04-30T23:00:00Z",
    "The United States and Ukraine signed an agreement in Washington on Wednesday",
    { cue: "signed", date: "2025-04-30", place: "Washington" },
  ],
  [
    "agreement",
    "2025-07-29T05:00:00Z",
    "A ceasefire between the two countries came into force at midnight",
    { cue: "in_force" },
  ],
  ["agreement", "2025-07-28T05:00:00Z", "The ceasefire will take effect at midnight", { cue: null }],
  [
    "agreement",
    "2025-11-10T05:00:00Z",
    "Thailand suspended the peace declaration after a landmine blast",
    { cue: "suspended" },
  ],
  ["agreement", "2025-11-10T05:00:00Z", "The truce collapsed as fighting resumed", { cue: "collapsed" }],
  [
    "agreement",
    "2025-02-28T20:00:00Z",
    "A planned signing of the minerals agreement was called off on Friday",
    { cue: "signing_off" },
  ],
  ["agreement", "2025-02-28T20:00:00Z", "The US has paused military aid to Ukraine", { cue: null }],
  [
    "agreement",
    "2025-04-17T20:00:00Z",
    "Ukraine and the US sign memorandum of intent on minerals deal",
    { cue: "note" },
  ],
  ["agreement", "2025-02-12T20:00:00Z", "Bessent hands Zelensky a US draft on critical minerals", { cue: "proposed" }],
  [
    "agreement",
    "2025-02-12T20:00:00Z",
    "The two governments inked the trade deal in Seoul on Wednesday",
    { cue: "signed", date: "2025-02-12", place: "Seoul" },
  ],
  [
    "event",
    "2025-06-15T20:00:00Z",
    "The G7 summit opened in Kananaskis on Sunday",
    { cue: "held", date: "2025-06-15", place: "Kananaskis" },
  ],
  ["agreement", "2025-02-15T20:00:00Z", "Kyiv said negotiations on the deal would continue", { cue: "negotiating" }],
  // Relative dates.
  [
    "event",
    FRI_AUG_8,
    "The leaders will meet on Monday in Helsinki",
    { cue: "arranged", date: "2025-08-11", place: "Helsinki" },
  ],
  ["event", FRI_AUG_8, "The envoys met in Moscow on Wednesday", { cue: "held", date: "2025-08-06", place: "Moscow" }],
  [
    "event",
    FRI_AUG_8,
    "The summit will take place tomorrow in Tirana",
    { cue: "arranged", date: "2025-08-09", place: "Tirana" },
  ],
  ["event", FRI_AUG_8, "Ukraine has proposed a new round of talks next week", { cue: "proposed", date: null }],
  ["event", THU_APR_17, "The talks are set for next Thursday", { cue: "arranged", date: "2025-04-24" }],
  ["event", "2025-12-28T10:00:00Z", "The summit is scheduled for January 5", { cue: "arranged", date: "2026-01-05" }],
  // Short place names are places, "us" is not.
  [
    "event",
    FRI_AUG_8,
    "Envoys met in Doha on Wednesday to discuss a truce",
    { cue: "held", date: "2025-08-06", place: "Doha" },
  ],
  [
    "event",
    FRI_AUG_8,
    "The leaders will meet in Kyiv on Monday",
    { cue: "arranged", date: "2025-08-11", place: "Kyiv" },
  ],
  ["event", FRI_AUG_8, "Officials told us the talks will take place in Rome", { cue: "arranged", place: "Rome" }],
  // An event revived after a cancellation; headlines in the present tense; background clauses.
  [
    "event",
    FRI_AUG_8,
    "Trump said the August 15 summit in Alaska is back on",
    { cue: "arranged", date: "2025-08-15", place: "Alaska" },
  ],
  ["event", FRI_AUG_8, "The summit will go ahead in Anchorage after all", { cue: "arranged", place: "Anchorage" }],
  ["event", FRI_AUG_8, "Ceasefire talks back on track in Doha", { cue: null }],
  ["event", FRI_AUG_8, "Trump and Putin meet in Alaska", { cue: "held", place: "Alaska", date: null }],
  ["event", FRI_AUG_8, "Trump, Putin shake hands in Anchorage", { cue: "held", place: "Anchorage" }],
  ["event", FRI_AUG_8, "Trump and Putin to meet in Alaska", { cue: "arranged", place: "Alaska" }],
  ["event", FRI_AUG_8, "Trump and Putin meet in Alaska on Friday", { cue: null }],
  ["event", FRI_AUG_8, "Weeks after he cancelled the summit by letter, Trump praised the talks", { cue: null }],
  ["event", FRI_AUG_8, "Recalling the cancelled letter, Trump hails the talks", { cue: null }],
  [
    "event",
    FRI_AUG_8,
    "The summit will be held at a hotel on the island of Penang",
    { cue: "arranged", place: "Penang" },
  ],
  [
    "agreement",
    "2016-01-16T22:00:00Z",
    "The nuclear agreement took effect on January 16",
    { cue: "in_force", date: "2016-01-16" },
  ],
  [
    "agreement",
    "2025-09-05T02:00:00Z",
    "The United States put its trade agreement with Japan into effect on Thursday",
    { cue: "in_force", date: "2025-09-04" },
  ],
];

/** A storyline with no title and no query: every sentence is read on its own words. */
const context = (kind: StorylineKind) => readingContext({ title: "", kind, query: "", aliases: null });

function claimsOf(kind: StorylineKind, publishedAt: string, sentence: string): Claim[] {
  return extract({ title: sentence, summary: "", content: "", publishedAt }, context(kind)).claims;
}

describe("extraction of labelled sentences", () => {
  it("has at least 60 labelled sentences", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
  });

  it.each(CASES)("%s (%s): %s", (kind, publishedAt, sentence, want) => {
    const claims = claimsOf(kind, publishedAt, sentence);
    if (want.cue === null) {
      const firm = claims.filter((c) => c.cue !== "note" || c.note);
      expect(firm.filter((c) => c.polarity === "positive" && c.certainty >= 0.8 && !c.background)).toEqual([]);
    } else {
      const claim = claims.find((c) => c.cue === want.cue);
      expect(claim, `claims: ${JSON.stringify(claims.map((c) => c.cue))}`).toBeDefined();
      const c = claim as Claim;
      expect(c.polarity).toBe(want.polarity ?? "positive");
      if (want.certainty !== undefined) expect(c.certainty).toBe(want.certainty);
      if (want.background !== undefined) expect(c.background).toBe(want.background);
      if (want.date !== undefined) expect(c.date).toBe(want.date);
      if (want.place !== undefined) expect(c.place).toBe(want.place);
    }
    if (want.dateDenied !== undefined) expect(claims.some((c) => c.dateDenied)).toBe(want.dateDenied);
    if (want.placeDenied !== undefined) expect(claims.some((c) => c.placeDenied)).toBe(want.placeDenied);
  });
});

describe("status from the issue's examples", () => {
  it("keeps agreed with no date for 'no concrete date has been set'", () => {
    const [claim] = claimsOf(
      "event",
      WED_FEB_26,
      "There is a mutual understanding that the meeting should take place, but no concrete date has been set.",
    );
    const next = advance("event", { status: "agreed", facts: {} }, claim as Claim, WED_FEB_26);
    expect(next).toBeNull();
    const fromNothing = advance("event", { status: null, facts: {} }, claim as Claim, WED_FEB_26);
    expect(fromNothing).toEqual({ status: "agreed", facts: { date: null, place: null } });
  });

  it("makes 'will meet Putin in Alaska on Friday, August 15' scheduled, 2025-08-15, Alaska", () => {
    const claim = claimsOf("event", FRI_AUG_8, "Trump says he will meet Putin in Alaska on Friday, August 15").find(
      (c) => c.cue === "arranged",
    ) as Claim;
    const next = advance("event", { status: "agreed", facts: {} }, claim, FRI_AUG_8);
    expect(next).toEqual({ status: "scheduled", facts: { date: "2025-08-15", place: "Alaska" } });
  });

  it("makes an agreement to meet on a set day scheduled", () => {
    const claim = claimsOf("event", SUN_MAY_11, "The two leaders agreed to meet in Geneva on June 5").find(
      (c) => c.cue === "agreed",
    ) as Claim;
    expect(advance("event", { status: "proposed", facts: {} }, claim, SUN_MAY_11)).toEqual({
      status: "scheduled",
      facts: { date: "2025-06-05", place: "Geneva" },
    });
  });

  it("does not move the status on one hedged report", () => {
    const claim = claimsOf("event", SUN_MAY_11, "The talks could take place on Friday in Geneva").find(
      (c) => c.cue === "arranged",
    ) as Claim;
    expect(advance("event", { status: "proposed", facts: {} }, claim, SUN_MAY_11)).toBeNull();
  });

  it("starts a new round after held, and refuses a regression from held", () => {
    const held = { status: "held" as const, facts: { date: "2025-05-16", place: "Istanbul" } };
    const [proposal] = claimsOf(
      "event",
      "2025-05-28T12:00:00Z",
      "Russia proposed a second round of talks in Istanbul on June 2",
    );
    expect(advance("event", held, proposal as Claim, "2025-05-28T12:00:00Z")).toEqual({
      status: "proposed",
      facts: { date: "2025-06-02", place: "Istanbul", note: null },
    });
    const [delay] = claimsOf("event", "2025-05-28T12:00:00Z", "The talks were postponed");
    expect(advance("event", held, delay as Claim, "2025-05-28T12:00:00Z")).toBeNull();
  });

  it("brings a cancelled event back to scheduled when it is back on with its date", () => {
    const cancelled = { status: "cancelled" as const, facts: { date: null, place: "Singapore" } };
    const claim = claimsOf(
      "event",
      "2018-06-01T20:00:00Z",
      "Trump said the June 12 summit in Singapore is back on",
    ).find((c) => c.cue === "arranged") as Claim;
    expect(advance("event", cancelled, claim, "2018-06-01T20:00:00Z")).toEqual({
      status: "scheduled",
      facts: { date: "2018-06-12", place: "Singapore" },
    });
  });

  it("dates an agreement's entry into force by the day it took effect, and fills a day left out", () => {
    const agreed = { status: "agreed" as const, facts: { date: "2015-07-14", place: "Vienna" } };
    const dated = claimsOf("agreement", "2016-01-16T22:00:00Z", "The nuclear agreement took effect on January 16");
    expect(advance("agreement", agreed, dated[0] as Claim, "2016-01-16T22:00:00Z")).toEqual({
      status: "in_force",
      facts: { date: "2016-01-16", place: "Vienna" },
    });
    const inForce = { status: "in_force" as const, facts: { date: null, place: "Vienna" } };
    expect(advance("agreement", inForce, dated[0] as Claim, "2016-01-16T22:00:00Z")).toEqual({
      status: "in_force",
      facts: { date: "2016-01-16", place: "Vienna" },
    });
    const undated = claimsOf("agreement", "2016-01-16T22:00:00Z", "The nuclear deal is being implemented");
    expect(advance("agreement", agreed, undated[0] as Claim, "2016-01-16T22:00:00Z")).toEqual({
      status: "in_force",
      facts: { date: "2015-07-14", place: "Vienna" },
    });
  });

  it("voids date and place when a planned signing is called off", () => {
    const agreed = { status: "agreed" as const, facts: { date: "2025-02-28", place: "Washington" } };
    const claim = claimsOf(
      "agreement",
      "2025-02-28T20:00:00Z",
      "A planned signing of the minerals agreement was called off on Friday",
    ).find((c) => c.cue === "signing_off") as Claim;
    expect(advance("agreement", agreed, claim, "2025-02-28T20:00:00Z")).toEqual({
      status: "negotiating",
      facts: { date: null, place: null },
    });
  });
});

describe("dates and places", () => {
  /** The first written or resolved date of a folded sentence, read as news of 10 March 2027. */
  const first = (text: string) => findDates(text, "2027-03-10T12:00:00Z", "future").find((d) => d.value)?.value;
  it("reads weekdays by tense: last Friday for the past, next Friday for the future", () => {
    expect(findDates("they met on friday", "2025-08-13T10:00:00Z", "past")[0]?.value).toBe("2025-08-08");
    expect(findDates("they will meet on friday", "2025-08-13T10:00:00Z", "future")[0]?.value).toBe("2025-08-15");
  });

  it("reads day ranges written with a slash, an ampersand, 'and' or 'to', and ordinals", () => {
    expect(first("the summit on 24/25 june")).toBe("2027-06-24/2027-06-25");
    expect(first("the summit on 24 & 25 june")).toBe("2027-06-24/2027-06-25");
    expect(first("the visit runs from 7 to 10 may")).toBe("2027-05-07/2027-05-10");
    expect(first("the summit will be held between 7 and 10 may")).toBe("2027-05-07/2027-05-10");
    expect(first("on april 2nd and 3rd")).toBe("2027-04-02/2027-04-03");
    expect(first("the vote is on march 30th")).toBe("2027-03-30");
  });

  it("reads a day and a month written in Spanish, Portuguese, German or French", () => {
    expect(first("las elecciones seran el 17 de agosto")).toBe("2027-08-17");
    expect(first("a cupula sera em 5 de maio de 2027")).toBe("2027-05-05");
    expect(first("die wahl findet am 23. juni statt")).toBe("2027-06-23");
    expect(first("le sommet aura lieu le 1er juin")).toBe("2027-06-01");
    // A month name alone, or a word that looks like one, is no date.
    expect(first("marco rubio said in mars that")).toBeUndefined();
  });

  it("puts a yearless date on the side its tense points to, a month either way for a late or early report", () => {
    // Six months away either way: the tense decides the year, not the nearer side.
    expect(findDates("the hearing is set for sept. 23", "2025-03-14T10:00:00Z", "future")[0]?.value).toBe("2025-09-23");
    expect(findDates("they met on sept. 23", "2025-03-14T10:00:00Z", "past")[0]?.value).toBe("2024-09-23");
    expect(findDates("they will meet on 10 september", "2025-02-01T10:00:00Z", "future")[0]?.value).toBe("2025-09-10");
    // Within two months the nearer year holds either way (a past cue's later day is dropped by the reader).
    expect(findDates("they met on 2 january", "2025-12-20T10:00:00Z", "past")[0]?.value).toBe("2026-01-02");
    expect(findDates("the vote was set for 2 march", "2025-03-20T10:00:00Z", "future")[0]?.value).toBe("2025-03-02");
    // A range takes one year for both ends; a month's week, the month's.
    expect(findDates("talks on february 10-20", "2025-03-14T10:00:00Z", "future")[0]?.value).toBe(
      "2025-02-10/2025-02-20",
    );
    expect(findDates("talks on 10-20 february", "2025-03-14T10:00:00Z", "future")[0]?.value).toBe(
      "2025-02-10/2025-02-20",
    );
    expect(findDates("in the last week of march", "2025-04-08T10:00:00Z", "future")[0]?.value?.slice(0, 4)).toBe(
      "2025",
    );
  });

  it("does not date a cue by a day past a semicolon", () => {
    const storyline = {
      kind: "event" as const,
      title: "Quill bribery trial",
      query: "Quill AND (trial OR hearing)",
      aliases: null,
    };
    const ctx = readingContext(storyline);
    for (const [title, day] of [
      ["Quill appears at first hearing; trial set for Sept. 23", null],
      ["Quill sentenced in the capital; appeal hearing set for 4 May", null],
      ["Quill appeared at a hearing on Monday; the appeal is set for June 2", "2027-03-08"],
    ] as const) {
      const held = extract({ title, summary: "", content: "", publishedAt: "2027-03-10T12:00:00Z" }, ctx).claims.filter(
        (c) => c.cue === "held" && !c.background,
      );
      expect(held.map((c) => c.date)).toEqual([day]);
    }
  });

  it("marks vague spans without a date", () => {
    const [mention] = findDates("a meeting next week", "2025-08-13T10:00:00Z", "future");
    expect(mention?.value).toBeNull();
  });

  it("knows containment: Anchorage in Alaska in the United States, Busan in South Korea", () => {
    expect(within("Anchorage", "Alaska")).toBe(true);
    expect(within("Anchorage", "United States")).toBe(true);
    expect(within("Busan", "South Korea")).toBe(true);
    expect(within("Alaska", "Anchorage")).toBe(false);
    expect(within("Istanbul", "Russia")).toBe(false);
  });
});
