/**
 * The status lexicon beyond summits: institutions acting by their own verbs (a court, a central
 * bank, an assembly or electorate), corporate deals from agreement to completion or collapse,
 * and the steps of any agreement. Three or more sentences per rule, written for this table.
 */
import { describe, expect, it } from "vitest";
import type { StorylineKind } from "../../src/contracts";
import type { Claim } from "../../src/detect/extract";
import { extract, readingContext } from "../../src/detect/extract";
import type { CueKind } from "../../src/detect/extract/cues";
import { advance, isFirm, restates, type StoryState } from "../../src/detect/status";
import { claim } from "./stages/fixtures";

const NOW = "2027-03-10T12:00:00Z"; // a Wednesday

type TableStoryline = { title: string; query: string; kind: StorylineKind };

/** Every claim the reader finds in a headline (and summary) for a storyline. */
function claimsOf(storyline: TableStoryline, title: string, summary = "", publishedAt = NOW): Claim[] {
  return extract({ title, summary, content: "", publishedAt }, readingContext({ ...storyline, aliases: null })).claims;
}

/** The firm claims: positive, sure, not a recollection. */
function firmClaims(storyline: TableStoryline, title: string, summary = "", publishedAt = NOW): Claim[] {
  return claimsOf(storyline, title, summary, publishedAt).filter(
    (c) => c.polarity === "positive" && c.certainty >= 0.8 && !c.background,
  );
}

function firmCues(storyline: TableStoryline, title: string, summary = "", publishedAt = NOW) {
  return firmClaims(storyline, title, summary, publishedAt).map((c) => c.cue);
}

/** A table row's verdict: the wanted cue among the firm ones; for none, no firm cue but those the table lets pass. */
function expectCue(cues: CueKind[], want: CueKind | null, passInSilence: CueKind[] = ["note"]) {
  if (want === null) expect(cues.filter((c) => !passInSilence.includes(c))).toEqual([]);
  else expect(cues).toContain(want);
}

const COURT = {
  kind: "event" as const,
  title: "Constitutional court ruling on the data law",
  query: 'court AND "data law"',
};
const BANK = { kind: "event" as const, title: "Central bank March rate decision", query: '"central bank" AND rate*' };
const VOTE = {
  kind: "event" as const,
  title: "Parliament vote on the new premier",
  query: "parliament AND (vote OR premier)",
};
const MERGER = { kind: "agreement" as const, title: "Acme–Globex merger", query: "Acme AND Globex" };
const TRUCE = { kind: "agreement" as const, title: "Northern truce", query: "truce AND northern" };
const QUILL_TRIAL = { kind: "event" as const, title: "Quill bribery trial", query: "Quill AND trial" };
const ALLIANCE_SUMMIT = {
  kind: "event" as const,
  title: "Alliance summit in the capital",
  query: "alliance AND summit",
};
const LINDQVIST_VISIT = {
  kind: "event" as const,
  title: "Lindqvist visit to Japan",
  query: "Lindqvist AND (Japan OR Tokyo) AND (visit* OR trip)",
};

const COALITION = {
  kind: "agreement" as const,
  title: "Left–centre coalition agreement",
  query: "coalition AND (left OR centre)",
};
const TREATY = { kind: "agreement" as const, title: "Lakeside peace agreement", query: "lakeside AND peace" };
const HARBOUR_DISPUTE = {
  kind: "agreement" as const,
  title: "Harbour workers' strike and pay deal",
  query: "harbour AND (strike* OR pay OR contract OR talks)",
};

const cases: Array<[string, { title: string; query: string; kind: StorylineKind }, string, CueKind | null]> = [
  // Agreeing and signing in a headline's present tense, and idioms for them.
  ["deal sealed", COALITION, "Left and centre parties seal coalition deal after a month of talks", "agreed"],
  ["deal clinched", TRUCE, "Mediators clinch a northern truce between army and rebels", "agreed"],
  ["deal hammered out", MERGER, "Acme, Globex hammer out merger terms overnight", "agreed"],
  ["deal brokered", TRUCE, "Neighbours broker a northern truce", "agreed"],
  ["deal sealing hoped for", MERGER, "Acme hopes to seal its merger with Globex by June", null],
  ["pen put to paper", TREATY, "Both sides put pen to paper on the lakeside peace agreement", "signed"],
  ["pen to paper, a leader", TREATY, "Rebel chief puts pen to paper on lakeside peace deal", "signed"],
  ["pen to paper, planned", TREATY, "The lakeside peace agreement will be put to paper next week", null],
  ["talks break down", TRUCE, "Northern truce talks break down over prisoner lists", "collapsed"],
  ["talks broken down", TRUCE, "Northern truce negotiations have broken down, mediators say", "collapsed"],
  ["talks may break down", TRUCE, "Northern truce talks could break down, envoy warns", null],
  // A meeting sat down to, begun or gone ahead; called off in a word; moved to a day.
  ["sits down with", LINDQVIST_VISIT, "Lindqvist sits down with Japan's premier in Tokyo during visit", "held"],
  ["sat down with", ALLIANCE_SUMMIT, "Leaders sat down with the alliance chief at the summit on Monday", "held"],
  ["will sit down with", ALLIANCE_SUMMIT, "Leaders will sit down with the alliance chief at the summit", "arranged"],
  ["summit kicks off", ALLIANCE_SUMMIT, "Alliance summit kicks off in the capital", "held"],
  ["summit goes ahead", ALLIANCE_SUMMIT, "Alliance summit goes ahead despite the storm", "held"],
  ["summit is off", ALLIANCE_SUMMIT, "The alliance summit is off, the host says", "cancelled"],
  ["summit off to a start", ALLIANCE_SUMMIT, "The alliance summit is off to a rocky start", null],
  ["summit moved to a day", ALLIANCE_SUMMIT, "Alliance summit moved to 2 May over security fears", "postponed"],
  ["visit travelled to", LINDQVIST_VISIT, "Lindqvist will travel to Tokyo on a visit on 20 March", "arranged"],
  // A trial's verdict told by the jury or the bench, and a company deal closed or dropped.
  ["jury convicts", QUILL_TRIAL, "Jury convicts Quill on all counts at bribery trial", "held"],
  ["verdict reached", QUILL_TRIAL, "Jurors reach a verdict in the Quill bribery trial", "held"],
  ["verdict returned", QUILL_TRIAL, "Jury returns split verdict at end of Quill trial", "held"],
  ["verdict not reached", QUILL_TRIAL, "Jurors could not reach a verdict in the Quill trial", null],
  ["sentence handed", QUILL_TRIAL, "Judge hands Quill a suspended sentence after trial", "held"],
  ["bench clears", QUILL_TRIAL, "Court clears Quill at the end of a two-month trial", "held"],
  ["way cleared", QUILL_TRIAL, "Judge clears the way for the Quill trial to open in May", null],
  ["verdict due", QUILL_TRIAL, "Quill trial verdict due on 20 March", "arranged"],
  ["deal closed", MERGER, "Acme closes its purchase of Globex", "in_force"],
  ["shares close after a deal", MERGER, "Acme shares close higher after Globex merger", null],
  ["takeover dropped", MERGER, "Acme drops Globex takeover after shareholder revolt", "collapsed"],
  ["challenge dropped is no collapse", MERGER, "Regulator drops its challenge to the Acme-Globex merger", "note"],
  // A tentative deal is a deal agreed (its members' vote still to come); calling off a strike ends no deal.
  ["tentative deal", HARBOUR_DISPUTE, "Harbour union and employers reach tentative pay deal", "agreed"],
  ["tentative agreement", HARBOUR_DISPUTE, "Harbour employers and union seal tentative contract agreement", "agreed"],
  ["tentatively agreed", TRUCE, "Army and rebels tentatively agree on a northern truce", "agreed"],
  ["strike called off", HARBOUR_DISPUTE, "Harbour union calls off the planned strike while members vote", "note"],
  ["talks called off", HARBOUR_DISPUTE, "Employers call off harbour pay talks with the union", "collapsed"],
  // A meeting confirmed or said to be happening; not one recalled.
  ["summit confirmed", ALLIANCE_SUMMIT, "The host government confirms an alliance summit next spring", "arranged"],
  ["summit will happen", ALLIANCE_SUMMIT, "The alliance summit will happen as planned, the host says", "arranged"],
  ["summit confirmed as past", ALLIANCE_SUMMIT, "The host confirmed the alliance summit was a success", null],
  // A deal in effect, talks closing in on one, a side walking out of them.
  ["now in effect", TRUCE, "Northern truce now in effect along the front line", "in_force"],
  ["closing in on a deal", MERGER, "Acme and Globex close in on a merger deal", "negotiating"],
  ["nearing a truce", TRUCE, "Army and rebels near a northern truce, mediators say", "negotiating"],
  ["walking out of talks", TRUCE, "Rebels walk out of northern truce talks", "collapsed"],
  // Talks as an activity under way (and not when refused).
  ["talks continued", MERGER, "Acme continues talks with Globex over the price of the merger", "negotiating"],
  ["a round of talks held", TRUCE, "Envoys hold a second round of northern truce talks in the capital", "negotiating"],
  ["a party in talks with another", MERGER, "Acme in exclusive talks with Globex about a merger", "negotiating"],
  ["talks resumed", TRUCE, "Mediators resumed indirect negotiations on a northern truce on Monday", "negotiating"],
  ["talks refused", TRUCE, "Rebels will not hold any talks on a northern truce, their leader says", null],
  // A court acts by ruling, hearing arguments, delivering an opinion.
  ["court rules", COURT, "The court ruled that the data law stands", "held"],
  ["court delivers", COURT, "The court's judges delivered their opinion on the data law on Wednesday", "held"],
  ["court hears", COURT, "The court heard arguments on the data law for three hours", "held"],
  ["court to hear", COURT, "Court to hear data law challenge on 24 March", "arranged"],
  ["court will rule", COURT, "The court will rule on the data law on 2 April", "arranged"],
  ["court hedged", COURT, "The court could rule on the data law within weeks", null],
  ["case filed", COURT, "Campaigners filed an appeal against the data law with the court", "proposed"],
  ["court asked", COURT, "Data law opponents asked the court to halt the rules", "proposed"],
  ["petition lodged", COURT, "Two unions lodged a petition at the court over the data law", "proposed"],
  ["lower court rules", COURT, "An appeals court upheld the data law on Friday", null],
  ["judge rules", COURT, "A federal judge ruled that the data law can take effect", null],
  ["after arguments", COURT, "The court appears split on the data law after arguments", "held"],
  ["following hearings", COURT, "Following hearings, the court weighs the data law", "held"],
  [
    "arguments lasting",
    COURT,
    "Court judges pressed both sides on the data law, in arguments lasting three hours",
    "held",
  ],
  // A central bank moves its rate; a forecast is not a decision.
  ["bank cuts", BANK, "Central bank cuts key rate by half a point", "held"],
  ["bank holds", BANK, "The central bank kept interest rates on hold at its March meeting", "held"],
  ["bank raises", BANK, "Central bank raises rates for the first time in a year", "held"],
  ["bank expected", BANK, "The central bank is expected to cut rates next week", null],
  ["bank verbs outside frame", VOTE, "Parliament cuts rates of its own staff allowance", null],
  ["bank preview", BANK, "Traders see an 80% chance that the central bank cuts rates this week", null],
  ["bank preview, present tense", BANK, "Central bank cuts rates tomorrow, economists say", null],
  // An assembly or electorate votes and elects.
  ["elected", VOTE, "Parliament elected the new premier by 212 votes to 180", "held"],
  ["was elected", VOTE, "The new premier was elected in a parliament vote on Wednesday", "held"],
  ["fell short", VOTE, "The premier fell short of a majority in the parliament vote", "held"],
  ["vote set", VOTE, "The parliament vote on the premier is set for 14 March", "arranged"],
  ["wins presidency", VOTE, "The parliament's nominee wins the premiership after the parliament vote", "held"],
  ["result confirmed, a step", VOTE, "Officials certified the results of the parliament vote for premier", "held"],
  ["result confirmed", VOTE, "The speaker confirmed the result of the parliament vote on the premier", "held"],
  ["winner declared", VOTE, "Officials declared the winner of the parliament vote for premier", "held"],
  [
    "after talks",
    { kind: "event" as const, title: "Lakeside border talks", query: "lakeside AND talks" },
    "Lakeside sides agree to a pause after talks in the capital",
    "held",
  ],
  [
    "after talks, title",
    { kind: "event" as const, title: "Lakeside border talks", query: "lakeside AND talks" },
    "Lakeside truce holds after capital talks",
    "held",
  ],
  [
    "before talks",
    { kind: "event" as const, title: "Lakeside border talks", query: "lakeside AND talks" },
    "Lakeside sides prepare after talks in the capital are planned",
    null,
  ],
  ["meeting is not the vote", VOTE, "The premier candidate met party leaders before the parliament vote", null],
  ["talks are not the ruling", COURT, "Lawyers held talks on the data law before the court ruling", null],
  // Corporate deals: agreed, completed, blocked, abandoned, cleared.
  // A company announces a purchase once its agreement is signed.
  ["agreed to buy", MERGER, "Acme agreed to buy Globex for $4 billion", "signed"],
  ["to buy in deal", MERGER, "Acme to buy Globex in all-stock deal", "signed"],
  ["will acquire", MERGER, "Acme will acquire rival Globex for 31 dollars per share", "signed"],
  ["announced takeover", MERGER, "Acme announced a 4 billion euro takeover of Globex on Wednesday", "signed"],
  ["buyback is not a deal", MERGER, "Acme unveils $2 billion buyback after Globex merger ends", null],
  ["merger in talks", MERGER, "Acme is in advanced talks to buy Globex, people familiar said", null],
  ["talks to buy", MERGER, "Acme and Globex confirmed they are in talks to combine", "negotiating"],
  ["exclusive talks", MERGER, "Acme entered exclusive talks with Globex over a merger", "negotiating"],
  [
    "talks about a deal",
    MERGER,
    "The boards held detailed discussions about a merger of Acme and Globex",
    "negotiating",
  ],
  ["definitive agreement", MERGER, "Acme and Globex signed a definitive merger agreement", "signed"],
  ["completed", MERGER, "Acme completed its acquisition of Globex on Wednesday", "in_force"],
  ["closes", MERGER, "Acme closes $4 billion Globex purchase", "in_force"],
  ["walks away", MERGER, "Globex walks away from the Acme merger", "collapsed"],
  ["terminating", MERGER, "Acme said it was terminating the merger agreement with Globex", "collapsed"],
  ["blocked", MERGER, "Regulators blocked the Acme-Globex merger on competition grounds", "collapsed"],
  ["injunction", MERGER, "A judge granted a preliminary injunction against the Acme-Globex merger", "suspended"],
  ["cleared", MERGER, "Regulators cleared the Acme-Globex merger without conditions", "note"],
  // A regulator's or owners' nod, a lawsuit, an in-depth review, a filing, a settlement: later steps.
  ["won approval", MERGER, "Acme won shareholder approval for its Globex takeover", "note"],
  ["green light", MERGER, "Competition authority gives green light to Acme-Globex deal", "note"],
  ["voted to approve", MERGER, "Globex owners voted on Tuesday to approve the Acme acquisition", "note"],
  ["approved a draft", MERGER, "The Acme board approved the draft merger agreement with Globex", "agreed"],
  ["sued to block", MERGER, "Antitrust enforcers sued to block the Acme-Globex merger", "note"],
  ["opened probe", MERGER, "The commission opened an in-depth investigation into the Acme-Globex deal", "note"],
  ["filed application", MERGER, "Acme and Globex filed their merger application with the rail regulator", "note"],
  ["settled", MERGER, "Acme settled the antitrust case over its Globex deal by selling two plants", "note"],
  // A government takes office; a lesser document or a preliminary round is a step towards the deal.
  ["sworn in", COALITION, "The left-centre coalition government was sworn in on Monday", "in_force"],
  ["took office", COALITION, "The new coalition of left and centre took office after a confidence vote", "in_force"],
  [
    "cabinet appointed",
    COALITION,
    "Ministers of the left-centre coalition were formally appointed by the president",
    "in_force",
  ],
  ["will be sworn in", COALITION, "The left-centre coalition government will be sworn in next week", null],
  ["declaration signed", TREATY, "The two sides signed a declaration of principles for lakeside peace", "negotiating"],
  ["letter of intent", TREATY, "Both governments signed a letter of intent on the lakeside peace", "note"],
  [
    "exploratory talks",
    COALITION,
    "Left and centre parties agreed on a coalition deal in exploratory talks",
    "negotiating",
  ],
  ["the agreement itself", TREATY, "Both governments signed the lakeside peace agreement in the capital", "signed"],
  // A side's answer to the proposal on the table.
  ["rejects plan", TRUCE, "The army rejected the northern truce plan as biased", "note"],
  ["turns down offer", TRUCE, "Rebels turn down the northern truce offer from mediators", "note"],
  ["accepts proposal", TRUCE, "The militia accepted the northern truce proposal on Tuesday", "note"],
  ["may accept", TRUCE, "The militia may accept the northern truce proposal", null],
  ["will challenge", MERGER, "Enforcers will challenge the Acme-Globex merger, officials said", null],
  // Any agreement: negotiations concluded, text initialled, talks opened, an extension.
  ["concluded talks", TRUCE, "Both sides concluded their negotiations on the northern truce", "agreed"],
  ["initialled", TRUCE, "Negotiators initialled the northern truce text on Wednesday", "agreed"],
  ["opened talks", TRUCE, "The two governments opened formal talks on a northern truce", "negotiating"],
  ["extended", TRUCE, "The northern truce was extended by sixty days", "note"],
  ["will be extended", TRUCE, "The northern truce will be extended if both sides agree", null],
  ["halted aid", TRUCE, "The army halted aid convoys as the northern truce frayed", null],
];

describe("status lexicon", () => {
  it.each(cases)("%s", (_name, storyline, title, want) => {
    expectCue(firmCues(storyline, title), want, ["note", "proposed"]);
  });
});

describe("time and event nouns", () => {
  const MEETING = {
    kind: "event" as const,
    title: "Central bank April 2027 policy meeting",
    query: '"central bank" AND (rate* OR meeting) AND (April OR Apr*)',
  };
  const ctx = readingContext({ ...MEETING, aliases: null });
  const claimsOf = (title: string, at = NOW) =>
    extract({ title, summary: "", content: "", publishedAt: at }, ctx).claims.filter(
      (c) => c.polarity === "positive" && c.certainty >= 0.8 && !c.background,
    );

  it("counts a query's calendar group as met by news published in that month", () => {
    expect(claimsOf("Central bank cuts rates by a quarter point", "2027-04-15T18:00:00Z")).toMatchObject([
      { cue: "held" },
    ]);
    expect(claimsOf("Central bank cuts rates by a quarter point", "2027-03-15T18:00:00Z")).toEqual([]);
  });

  it("reads a recalled meeting outside the title's month as another occurrence", () => {
    expect(claimsOf("The central bank kept rates on hold at its March 12 meeting", "2027-04-02T09:00:00Z")).toEqual([]);
  });

  it("reads an event noun with its coming date as a schedule", () => {
    expect(claimsOf("Traders eye the central bank's April 14-15 meeting for a rate cut")).toMatchObject([
      { cue: "arranged", date: "2027-04-14/2027-04-15" },
    ]);
    expect(claimsOf("All eyes on the central bank meeting on April 15 as rates stay high")).toMatchObject([
      { cue: "arranged", date: "2027-04-15" },
    ]);
    expect(claimsOf("The central bank could hold an extra meeting on April 2")).toEqual([]);
  });

  it("reads a date that modifies the event's noun phrase, a word or two before its head", () => {
    expect(claimsOf("Lenders brace for the April 14 policy meeting of the central bank")).toMatchObject([
      { cue: "arranged", date: "2027-04-14" },
    ]);
    expect(claimsOf("Central bank: what to watch at the 14-15 April monetary policy meeting")).toMatchObject([
      { cue: "arranged", date: "2027-04-14/2027-04-15" },
    ]);
    expect(claimsOf("The central bank's April 14 rate meetings draw a crowd of analysts")).toMatchObject([
      { cue: "arranged", date: "2027-04-14" },
    ]);
    // A preposition or a clause break between them: the date is not the noun's.
    expect(claimsOf("The central bank eyes April 14 for its next meeting, sources say")).not.toContainEqual(
      expect.objectContaining({ date: "2027-04-14", certainty: 1 }),
    );
    expect(claimsOf("Until April 14 the central bank meeting calendar is empty")).toEqual([]);
  });

  it("reads a plural event noun, and a vote told as a verb, with their coming date", () => {
    const ELECTIONS = {
      kind: "event" as const,
      title: "Vandria general election, April 2027",
      query: "Vandria AND (election* OR vote*)",
    };
    const electionCtx = readingContext({ ...ELECTIONS, aliases: null });
    const cues = (title: string) =>
      extract({ title, summary: "", content: "", publishedAt: NOW }, electionCtx).claims.filter(
        (c) => c.polarity === "positive" && c.certainty >= 0.8 && !c.background,
      );
    expect(cues("Vandria holds general elections on April 18")).toMatchObject([
      { cue: "arranged", date: "2027-04-18" },
    ]);
    expect(cues("Vandria votes on April 18 as the ruling party trails")).toMatchObject([
      { cue: "arranged", date: "2027-04-18" },
    ]);
    expect(cues("Parties file candidate lists for Vandria's April 18 parliamentary vote")).toMatchObject([
      { cue: "arranged", date: "2027-04-18" },
    ]);
    // Taken off the table: not a schedule.
    expect(cues("An April 4 general election is now off the table in Vandria")).toEqual([]);
  });

  it("reads a week of a month as its working days", () => {
    expect(claimsOf("The central bank's rate meeting will be held in the first week of April")).toMatchObject([
      { cue: "arranged", date: "2027-04-05/2027-04-09" },
    ]);
    expect(claimsOf("The central bank's rate meeting will be held in the last week of April")).toMatchObject([
      { cue: "arranged", date: "2027-04-26/2027-04-30" },
    ]);
  });

  it("takes a definite meeting's date even when what happens at it is hedged", () => {
    expect(claimsOf("Economists expect the central bank to cut rates at its next meeting on April 14")).toMatchObject([
      { cue: "arranged", date: "2027-04-14" },
    ]);
    expect(claimsOf("Economists expect the central bank to cut rates at a possible meeting on April 14")).toEqual([]);
  });
});

describe("what qualifies a claim", () => {
  const PEACE = {
    kind: "agreement" as const,
    title: "Northern peace deal",
    query: "northern AND (peace OR deal OR truce)",
  };
  const ctx = readingContext({ ...PEACE, aliases: null });
  const firm = (title: string, summary: string) =>
    extract({ title, summary, content: "", publishedAt: NOW }, ctx).claims.filter(
      (c) => c.polarity === "positive" && c.certainty >= 0.8 && !c.background,
    );

  it("does not take a headline the body denies or shows as a lesser step", () => {
    expect(
      firm(
        "Northern peace deal signed",
        "Negotiators initialled the northern peace deal text; leaders sign next month.",
      ),
    ).not.toContainEqual(expect.objectContaining({ cue: "signed" }));
    expect(
      firm("Northern peace deal signed", "Officials said the northern deal has not been signed yet."),
    ).not.toContainEqual(expect.objectContaining({ cue: "signed" }));
    expect(
      firm("Northern peace deal signed", "Both leaders signed the northern peace deal in the capital."),
    ).toContainEqual(expect.objectContaining({ cue: "signed" }));
  });

  it("reads an accusation as a claim of one side, not a fact", () => {
    expect(firm("Rebels accuse army of suspending the northern truce", "")).toEqual([]);
    expect(firm("Army accused of breaking northern truce; deal collapsed, rebels allege", "")).toEqual([]);
    expect(firm("Army suspends the northern truce", "")).toContainEqual(expect.objectContaining({ cue: "suspended" }));
  });
});

describe("more of how meetings and deals are reported", () => {
  const TALKS = {
    kind: "event" as const,
    title: "Chile–Peru border talks",
    query: "(Chile OR Peru) AND (talks OR meeting OR delegation*)",
  };
  const DEAL = {
    kind: "agreement" as const,
    title: "Chile–Peru fishing truce",
    query: "(Chile OR Peru) AND (truce OR fishing)",
  };

  it.each([
    [TALKS, "Chile and Peru hold six hours of border talks in Lima", "held"],
    [TALKS, "Chile and Peru delegations wrap up two days of closed talks in Lima", "held"],
    [TALKS, "The Chile-Peru talks were being held behind closed doors in Lima", "held"],
    [TALKS, "Chile sets 14 March for the next round of talks with Peru", "arranged"],
    [TALKS, "Ecuador to host Chile-Peru talks on 14 March", "arranged"],
    [TALKS, "The Chile-Peru talks will be held in Quito on 14 March", "arranged"],
    [DEAL, "Chile and Peru agree to halt fishing raids under a new truce", "agreed"],
    [DEAL, "Chile and Peru agree to start work on a fishing truce", "negotiating"],
  ] as const)("%#: %s", (storyline, title, want) => {
    expect(firmCues(storyline, title)).toContain(want);
  });

  it("lets a lede sentence leave one part of the query to its headline", () => {
    const court = {
      kind: "event" as const,
      title: "Court case on the data law",
      query: '"high court" NEAR/8 "data law"',
    };
    const ctx = readingContext({ ...court, aliases: null });
    const claims = extract(
      {
        title: "High court decides on the data law",
        summary: "Five judges ruled unanimously on Wednesday.",
        content: "",
        publishedAt: NOW,
      },
      ctx,
    ).claims;
    expect(claims.map((c) => c.cue)).toContain("held");
  });
});

describe("visits and decisions that take effect later", () => {
  it("reads an arrival as a visit begun", () => {
    const visit = {
      kind: "event" as const,
      title: "Abe state visit to Chile",
      query: "Abe AND (Chile OR Santiago) AND visit*",
    };
    expect(firmCues(visit, "Abe arrives in Santiago to begin his state visit to Chile")).toContain("held");
    expect(firmCues(visit, "Abe landed in Santiago on Wednesday for a three-day visit to Chile")).toContain("held");
    expect(firmCues(visit, "Abe will arrive in Santiago for a state visit to Chile next week")).not.toContain("held");
  });

  it("does not date a decision by the day it takes effect", () => {
    const ctx = readingContext({ ...BANK, aliases: null });
    const [claim] = extract(
      {
        title: "The central bank cut its key rate by a quarter point, effective 16 March",
        summary: "",
        content: "",
        publishedAt: NOW,
      },
      ctx,
    ).claims;
    expect(claim).toMatchObject({ cue: "held", date: null });
  });
});

describe("the last step of a sitting", () => {
  const COURT_CASE = {
    id: "data-law-case",
    title: "Constitutional court case on the data law",
    kind: "event" as const,
    query: 'court AND "data law"',
    aliases: null,
  };
  const read = (title: string, at: string) =>
    extract({ title, summary: "", content: "", publishedAt: at }, readingContext(COURT_CASE)).claims.find(
      (c) => c.cue === "held" && c.polarity === "positive",
    );

  it("reads a ruling after the hearing as a step of its own, once", () => {
    const heard = read("The court heard arguments on the data law", "2027-03-10T12:00:00Z");
    expect(heard).toBeDefined();
    const afterHearing = advance(
      "event",
      { status: "scheduled", facts: { date: "2027-03-10" } },
      heard as Claim,
      "2027-03-10T12:00:00Z",
    );
    expect(afterHearing).toMatchObject({ status: "held", facts: { date: "2027-03-10" } });
    const ruling = read("The court struck down the data law", "2027-04-02T12:00:00Z") as Claim;
    expect(ruling.note).toBe("ruling delivered");
    const afterRuling = advance("event", afterHearing as StoryState, ruling, "2027-04-02T12:00:00Z");
    expect(afterRuling).toMatchObject({ status: "held", facts: { date: "2027-04-02", note: "ruling delivered" } });
    expect(restates("event", afterRuling as StoryState, ruling)).toBe(true);
    expect(advance("event", afterRuling as StoryState, ruling, "2027-04-03T12:00:00Z")).toBeNull();
  });
});

describe("where a national vote is held", () => {
  const placeOf = (storyline: { title: string; query: string }, title: string) =>
    extract(
      { title, summary: "", content: "", publishedAt: NOW },
      readingContext({ ...storyline, kind: "event", aliases: null }),
    ).claims.find((c) => c.cue === "arranged")?.place ?? null;

  it("places a country's vote in the country its title names, by name or demonym", () => {
    const election = { title: "Portuguese presidential election", query: "Portug* AND election" };
    expect(placeOf(election, "Portugal sets presidential election for 18 April")).toBe("Portugal");
    const general = { title: "Spanish general election", query: "(Spain OR Spanish) AND election" };
    expect(placeOf(general, "Spanish general election set for 18 April")).toBe("Spain");
    const summit = { title: "Portugal–Spain summit", query: "(Portugal OR Spain) AND summit" };
    expect(placeOf(summit, "Portugal and Spain summit set for 18 April")).toBeNull();
  });
});

describe("headline phrasings per kind (present tense, bare forms, plural subjects)", () => {
  const ACME_DEAL = { kind: "agreement" as const, title: "Acme–Globex merger", query: "Acme AND Globex" };
  const COAL = { kind: "agreement" as const, title: "Left–centre coalition", query: "coalition AND (left OR centre)" };
  const TRUCE = { kind: "agreement" as const, title: "Northern ceasefire", query: "ceasefire AND northern" };
  const SWAP = {
    kind: "agreement" as const,
    title: "Belarus prisoner releases",
    query: "Belarus AND (prisoner* OR releases OR frees OR freed)",
  };
  const VISIT = {
    kind: "event" as const,
    title: "French president state visit to Peru",
    query: "(France OR French OR Macron) AND Peru AND visit",
  };
  const LEAD = {
    kind: "event" as const,
    title: "Party leadership election",
    query: "party AND (leader* OR election OR ballot)",
  };
  const CONCLAVE = { kind: "event" as const, title: "Papal conclave", query: "conclave OR pope" };
  const phrasings: Array<[{ title: string; query: string; kind: StorylineKind }, string, CueKind | null]> = [
    [ACME_DEAL, "Acme wins regulator approval for Globex merger", "note"],
    [ACME_DEAL, "Acme, Globex close merger after regulatory nod", "in_force"],
    [ACME_DEAL, "Acme drops bid for Globex", "collapsed"],
    [ACME_DEAL, "Acme launches $10 billion hostile bid for Globex", "proposed"],
    [ACME_DEAL, "Acme makes unsolicited offer for Globex", "proposed"],
    [ACME_DEAL, "Acme and Globex agree to merge in $8 billion deal", "signed"],
    [ACME_DEAL, "Government imposes conditions on Acme bid for Globex", "note"],
    [ACME_DEAL, "Acme completes takeover of Globex", "in_force"],
    [ACME_DEAL, "Acme withdraws its offer for Globex", "collapsed"],
    [COAL, "President asks centre leader to form a coalition government with the left", "negotiating"],
    [COAL, "Left and centre parties present coalition agreement", "agreed"],
    [COAL, "Left and centre parties sign coalition agreement", "signed"],
    [COAL, "Coalition talks between left and centre collapse", "collapsed"],
    [COAL, "Centre party quits coalition talks with the left", "collapsed"],
    [COAL, "Left-centre coalition government sworn in", "in_force"],
    [COAL, "Left and centre reach coalition deal after months of talks", "agreed"],
    [TRUCE, "Army resumes strikes, ending the northern ceasefire", "collapsed"],
    [TRUCE, "Northern ceasefire takes effect at dawn", "in_force"],
    [TRUCE, "Northern ceasefire extended by 60 days", "note"],
    [TRUCE, "Rebels and army agree to a northern ceasefire", "agreed"],
    [SWAP, "Belarus frees 10 prisoners in swap", "in_force"],
    [SWAP, "Belarus releases 52 political prisoners after talks", "in_force"],
    [SWAP, "Belarus freed 14 prisoners on Wednesday", "in_force"],
    [ALLIANCE_SUMMIT, "Alliance leaders gather in the capital for summit", "held"],
    [ALLIANCE_SUMMIT, "Alliance summit opens in the capital", "held"],
    [VISIT, "Macron arrives in Peru for state visit", "held"],
    [LEAD, "Party elects new leader in ballot of members", "held"],
    [LEAD, "Outsider wins party leadership election", "held"],
    [CONCLAVE, "White smoke: new pope elected", "held"],
    [CONCLAVE, "Conclave to begin on 7 May", "arranged"],
    [CONCLAVE, "Cardinals elect first pope from the Americas", "held"],
  ];
  it.each(phrasings)("%#: %o %s", (storyline, title, want) => {
    expectCue(firmCues(storyline, title), want, []);
  });
});

describe("more headline phrasings, and what is not yet news", () => {
  const ALLIANCE_SUMMIT = { kind: "event" as const, title: "Alliance summit", query: "alliance AND summit" };
  const TRADE_DEAL = {
    kind: "agreement" as const,
    title: "France–Peru trade deal",
    query: "(France OR Peru) AND trade",
  };
  const NORTH_TRUCE = { kind: "agreement" as const, title: "Northern ceasefire", query: "ceasefire AND northern" };
  const DEAL = { kind: "agreement" as const, title: "Acme–Globex merger", query: "Acme AND Globex" };
  const ROUNDS = { kind: "event" as const, title: "France–Peru talks", query: "(France OR Peru) AND talks" };
  const COALITION_TALKS = {
    kind: "agreement" as const,
    title: "Left–centre coalition",
    query: "coalition AND (left OR centre)",
  };
  const more: Array<[{ title: string; query: string; kind: StorylineKind }, string, CueKind | null]> = [
    [ALLIANCE_SUMMIT, "Alliance summit postponed to autumn", "postponed"],
    [ALLIANCE_SUMMIT, "Alliance summit called off amid row", "cancelled"],
    [ALLIANCE_SUMMIT, "Alliance summit will be held in Madrid on 24 June", "arranged"],
    [ALLIANCE_SUMMIT, "Alliance leaders to meet in Madrid on 24 June for summit", "arranged"],
    [ALLIANCE_SUMMIT, "Host confirms alliance summit for 24-25 June", "arranged"],
    [ALLIANCE_SUMMIT, "Alliance summit could be delayed, diplomats say", null],
    [ALLIANCE_SUMMIT, "Will the alliance summit go ahead?", null],
    [ALLIANCE_SUMMIT, "Alliance summit ends with joint declaration", "held"],
    [TRADE_DEAL, "France and Peru sign trade deal", "signed"],
    [TRADE_DEAL, "France and Peru reach framework trade deal", "agreed"],
    [TRADE_DEAL, "France, Peru trade deal talks stall", null],
    [TRADE_DEAL, "France and Peru resume trade talks", "negotiating"],
    [TRADE_DEAL, "Peru says trade deal with France close", null],
    [TRADE_DEAL, "France-Peru trade deal enters into force", "in_force"],
    [TRADE_DEAL, "France threatens to walk away from Peru trade talks", null],
    [NORTH_TRUCE, "Northern ceasefire collapses as fighting resumes", "collapsed"],
    [NORTH_TRUCE, "Both sides accuse each other of breaching the northern ceasefire", null],
    [NORTH_TRUCE, "Mediators propose northern ceasefire", "proposed"],
    [NORTH_TRUCE, "Northern ceasefire talks to resume next week", null],
    [DEAL, "Acme shareholders to vote on Globex merger next month", null],
    [DEAL, "Regulators could block Acme-Globex merger, sources say", null],
    [DEAL, "Acme-Globex merger faces in-depth EU probe", null],
    [DEAL, "Acme ends talks to buy Globex", "collapsed"],
    [DEAL, "Acme calls off Globex takeover", "collapsed"],
    [ROUNDS, "France and Peru hold second round of talks in Lima", "held"],
    [ROUNDS, "France and Peru to hold talks in Lima next week", "arranged"],
    [ROUNDS, "France-Peru talks end without agreement", "held"],
    [ROUNDS, "Next round of France-Peru talks set for 3 July", "arranged"],
    [COALITION_TALKS, "Left and centre coalition talks drag on", null],
    [COALITION_TALKS, "Centre party votes to join coalition with the left", null],
  ];
  it.each(more)("%#: %o %s", (storyline, title, want) => {
    expectCue(firmCues(storyline, title), want);
  });
});

describe("reported, denied, planned or done: a leaders' meeting and a deal", () => {
  const LEADERS_MEETING = {
    kind: "event" as const,
    title: "France–Peru leaders' meeting",
    query: "(France OR French OR Macron) AND (Peru OR Peruvian) AND (meet* OR summit OR talks)",
  };
  const PACT = { kind: "agreement" as const, title: "France–Peru trade deal", query: "(France OR Peru) AND trade" };
  const reported: Array<[{ title: string; query: string; kind: StorylineKind }, string, CueKind | null]> = [
    [LEADERS_MEETING, "Kremlin denies reports that France and Peru leaders will meet in Lima", null],
    [LEADERS_MEETING, "France and Peru leaders could meet in Lima next month, officials say", null],
    [LEADERS_MEETING, "Macron plans to meet Peru's president in Lima", null],
    [LEADERS_MEETING, "Will Macron meet Peru's leader? Paris won't say", null],
    [LEADERS_MEETING, "Macron and Peru's president meet in Lima", "held"],
    [LEADERS_MEETING, "Macron met Peru's president for talks in Lima on Tuesday", "held"],
    [LEADERS_MEETING, "Macron's meeting with Peru's president has been pushed back to May", "postponed"],
    [LEADERS_MEETING, "Macron-Peru meeting scrapped after row", "cancelled"],
    [LEADERS_MEETING, "France and Peru agree that their leaders will meet in Lima on 4 April", "arranged"],
    [LEADERS_MEETING, "French and Peruvian foreign ministers meet in Lima to prepare leaders' summit", null],
    // A side saying it is ready to meet puts a meeting on the table; a plan of its own does not.
    [LEADERS_MEETING, "Macron says he is ready to meet Peru's president", "proposed"],
    [LEADERS_MEETING, "Paris and Lima set 4 April for Macron's meeting with Peru's president", "arranged"],
    [LEADERS_MEETING, "Macron and Peru's president to meet on 4 April in Lima", "arranged"],
    [LEADERS_MEETING, "No date yet for Macron meeting with Peru's president", null],
    [PACT, "France and Peru are expected to sign the trade deal next week", null],
    [PACT, "France and Peru sign long-awaited trade deal", "signed"],
    [PACT, "Peru's parliament ratifies trade deal with France", "note"],
    [PACT, "France suspends trade deal with Peru over human rights", "suspended"],
    [PACT, "France and Peru trade deal signing postponed", "signing_delayed"],
    [PACT, "Peru hopes to conclude trade deal with France by June", null],
    [PACT, "France and Peru have not yet signed the trade deal", null],
    [PACT, "France, Peru conclude trade deal negotiations", "agreed"],
  ];
  it.each(reported)("%#: %o %s", (storyline, title, want) => {
    expectCue(firmCues(storyline, title), want);
  });
});

describe("beginnings and ends: truces, visits, talks, treaties, one person's release", () => {
  const TRUCE_STARTS = {
    kind: "agreement" as const,
    title: "Northern ceasefire",
    query: "(ceasefire OR truce) AND northern",
  };
  const MORATORIUM = {
    kind: "agreement" as const,
    title: "Energy strikes moratorium",
    query: "moratorium OR (energy AND strikes)",
  };
  const PERU_VISIT = {
    kind: "event" as const,
    title: "French president state visit to Peru",
    query: "(France OR French OR Macron) AND Peru AND visit*",
  };
  const LIMA_TALKS = { kind: "event" as const, title: "France–Peru talks", query: "(France OR Peru) AND talks" };
  const LAKE_TREATY = { kind: "agreement" as const, title: "Lakeside treaty", query: "lakeside AND treaty" };
  const TEACHER = {
    kind: "agreement" as const,
    title: "Release of a French teacher held in Peru",
    query: "(teacher OR prisoner) AND (Peru OR French)",
  };
  const starts: Array<[{ title: string; query: string; kind: StorylineKind }, string, CueKind | null]> = [
    [TRUCE_STARTS, "Northern ceasefire begins at midnight", "in_force"],
    [TRUCE_STARTS, "Northern truce came into effect at dawn", "in_force"],
    [TRUCE_STARTS, "Northern ceasefire largely holding on first day", null],
    [TRUCE_STARTS, "Guns fall silent as northern ceasefire starts", "in_force"],
    [TRUCE_STARTS, "Army says northern ceasefire is over", "collapsed"],
    [TRUCE_STARTS, "Northern truce breaks down after three days", "collapsed"],
    [MORATORIUM, "Both sides agree to halt energy strikes for 30 days", "agreed"],
    [MORATORIUM, "Energy strikes moratorium expires with no extension", "collapsed"],
    [MORATORIUM, "Moscow says energy strikes moratorium has ended", "collapsed"],
    [PERU_VISIT, "Macron begins state visit to Peru", "held"],
    [PERU_VISIT, "Macron wraps up Peru visit", "held"],
    [PERU_VISIT, "Macron to visit Peru in May, Elysee says", "arranged"],
    [PERU_VISIT, "Macron's Peru visit cancelled", "cancelled"],
    [LIMA_TALKS, "France-Peru talks get under way in Lima", "held"],
    [LIMA_TALKS, "France and Peru open talks in Lima", "held"],
    [LAKE_TREATY, "Lakeside treaty reaches ratification threshold", "note"],
    [LAKE_TREATY, "Lakeside treaty will enter into force in January", null],
    [LAKE_TREATY, "Lakeside treaty enters into force", "in_force"],
    [TEACHER, "Peru frees French teacher", "in_force"],
    [TEACHER, "French teacher released from Peruvian prison", "in_force"],
    [TEACHER, "French teacher lands home after release from Peru", "in_force"],
    [TEACHER, "Peru agrees to release French teacher", "agreed"],
  ];
  it.each(starts)("%#: %o %s", (storyline, title, want) => {
    expectCue(firmCues(storyline, title), want);
  });
});

describe("an election's polls, result and runoff", () => {
  const PRESIDENTIAL = {
    kind: "event" as const,
    title: "Portuguese presidential election",
    query: "(Portugal OR Portuguese) AND (election OR vote OR runoff OR polls)",
  };
  const PARTY_LEADER = {
    kind: "event" as const,
    title: "Labour leadership contest",
    query: "Labour AND (leader* OR leadership OR ballot)",
  };
  const votes: Array<[{ title: string; query: string; kind: StorylineKind }, string, CueKind | null, string?]> = [
    [PRESIDENTIAL, "Portugal votes in presidential election", "held", "2027-01-18T12:00:00Z"],
    [PRESIDENTIAL, "Polls open in Portugal's presidential election", "held", "2027-01-18T12:00:00Z"],
    [PRESIDENTIAL, "Portugal went to the polls on Sunday", "held", "2027-01-19T12:00:00Z"],
    [PRESIDENTIAL, "Exit polls show Seguro ahead in Portugal's presidential election", "held", "2027-01-18T22:00:00Z"],
    [PRESIDENTIAL, "Gouveia concedes defeat in Portugal presidential election", "held", "2027-01-19T12:00:00Z"],
    [PRESIDENTIAL, "Voting closes in Portugal's presidential election", "held", "2027-01-18T20:00:00Z"],
    [
      PRESIDENTIAL,
      "Portugal's presidential election goes to a runoff on 8 February",
      "arranged",
      "2027-01-19T12:00:00Z",
    ],
    [PRESIDENTIAL, "Portugal's presidential election set for 18 January", "arranged", "2027-01-02T12:00:00Z"],
    [PRESIDENTIAL, "Portugal's president calls election for 18 January", "agreed", "2027-01-02T12:00:00Z"],
    [PRESIDENTIAL, "Portugal will vote on 18 January in presidential election", "arranged", "2027-01-02T12:00:00Z"],
    [
      PRESIDENTIAL,
      "Portuguese candidates hold final rallies before presidential election",
      null,
      "2027-01-16T12:00:00Z",
    ],
    [PRESIDENTIAL, "Polls suggest tight race in Portugal's presidential election", null, "2027-01-10T12:00:00Z"],
    [PARTY_LEADER, "Labour leadership ballot opens to members", "held"],
    [PARTY_LEADER, "Labour members elect Jones as leader", "held"],
    [PARTY_LEADER, "Jones named Labour leader after ballot", "held"],
    [PARTY_LEADER, "Labour leadership result to be announced on 4 April", "arranged"],
    [PARTY_LEADER, "Labour sets timetable for leadership contest, result on 4 April", "arranged"],
  ];
  it.each(votes)("%#: %o %s", (storyline, title, want, at) => {
    expectCue(firmCues(storyline, title, "", at), want);
  });
});

describe("words a rejected cue leaves, the month of May, and where a visit is", () => {
  const SNAP = {
    kind: "event" as const,
    title: "Estonian snap parliamentary election, May 2027",
    query: "(Estonia* OR Tallinn) AND (election* OR vote* OR polls) AND (Reform OR Isamaa OR Kallas OR Karis)",
  };
  it.each([
    ["Polls closed in Estonia's snap election", "2027-05-16T18:00:00Z"],
    ["Voting ended in the Estonian snap election on Sunday evening", "2027-05-16T20:00:00Z"],
    ["Polls opened across Estonia for the snap parliamentary election", "2027-05-16T06:00:00Z"],
  ])("a vote's polls need no actor, even where a meeting's verb first took the words: %s", (title, at) => {
    expectCue(firmCues(SNAP, title, "", at), "held");
  });

  it.each([
    ["Karis dissolves parliament and calls Estonia election for 16 May", "agreed"],
    ["Estonia's snap election will be held on 16 May 2027, Karis says", "arranged"],
    ["Estonia will vote on 16 May in a snap election", "arranged"],
    ["Reform may call for an Estonian election in the spring", null],
  ] as Array<[string, CueKind | null]>)("a day of May is a date, not a modal: %s", (title, want) => {
    expectCue(firmCues(SNAP, title, "", "2027-03-13T19:30:00Z"), want);
  });

  const ctx = readingContext({ ...LINDQVIST_VISIT, aliases: null });
  const firm = (title: string, summary: string, at: string) =>
    extract({ title, summary, content: "", publishedAt: at }, ctx).claims.filter(
      (c) => c.polarity === "positive" && c.certainty >= 0.8 && !c.background,
    );

  it.each([
    ["Lindqvist landed in Tokyo early Wednesday to begin his visit to Japan", "2027-03-09T21:10:00Z", "2027-03-10"],
    ["Lindqvist arrived in Tokyo early on Thursday for a visit to Japan", "2027-03-10T19:00:00Z", "2027-03-11"],
    ["Lindqvist arrived in Tokyo on Wednesday for a visit to Japan", "2027-03-10T19:00:00Z", "2027-03-10"],
  ])("an early hour of the next UTC day, reported the evening before: %s", (title, at, day) => {
    expect(firm(title, "", at)).toContainEqual(expect.objectContaining({ cue: "held", date: day }));
  });

  it.each([
    "Lindqvist will visit Japan next week, an aide told reporters in Berlin",
    "Speaking in Seoul, Lindqvist said his visit to Japan would take place next week",
    "Lindqvist will visit Japan next week after a stop in Manila",
  ])("the place of a visit to one country is in it, never where someone spoke of it: %s", (title) => {
    const claims = firm(title, "", NOW);
    expect(claims.map((c) => c.cue)).toContain("arranged");
    expect(claims.map((c) => c.place).filter(Boolean)).toEqual([]);
  });

  it("widens a set day to the programme around it, but not to a month", () => {
    const state: StoryState = { status: "scheduled", facts: { date: "2027-05-09", place: null } };
    const arranged = (date: string) => claim("arranged", { date });
    expect(advance("event", state, arranged("2027-05-07/2027-05-10"), "2027-05-01T12:00:00Z")).toMatchObject({
      status: "scheduled",
      facts: { date: "2027-05-07/2027-05-10" },
    });
    expect(advance("event", state, arranged("2027-05-01/2027-05-31"), "2027-04-20T12:00:00Z")).toBeNull();
    expect(advance("event", state, arranged("2027-05-12/2027-05-13"), "2027-05-01T12:00:00Z")).toBeNull();
  });
});

describe("deals called off or given up, steps still to come, texts adopted", () => {
  const TIEUP = { kind: "agreement" as const, title: "Kestrel–Osprey merger", query: "Kestrel AND Osprey" };
  it.each([
    ["Kestrel and Osprey call off $12 billion merger", "collapsed"],
    ["Kestrel and Osprey boards vote to end merger talks", "collapsed"],
    ["The Kestrel board voted on Monday to formally end its merger negotiations with Osprey.", "collapsed"],
    ["Kestrel withdraws $9 billion bid for Osprey", "collapsed"],
    ["Kestrel said it has withdrawn its proposal to buy Osprey", "collapsed"],
    ["Kestrel ended talks on a combination with Osprey, citing price", "collapsed"],
    ["Kestrel moved to end its merger talks with Osprey", null],
    ["Kestrel will withdraw its bid for Osprey unless the board engages", null],
  ] as Array<[string, CueKind | null]>)("%s", (title, want) => {
    expectCue(firmCues(TIEUP, title), want, ["note", "negotiating", "proposed"]);
  });

  const ISLANDS = {
    kind: "agreement" as const,
    title: "Harbour islands sovereignty treaty",
    query: "harbour AND islands",
  };
  it.each([
    ["Britain signs away the Harbour islands in a deal it says protects the base", null],
    ["The deal on the Harbour islands still needs a treaty ratified by parliament", null],
    ["The Harbour islands agreement is subject to approval by both parliaments", null],
    ["Parliament ratified the Harbour islands treaty on Tuesday", "note"],
  ] as Array<[string, CueKind | null]>)("%s", (title, want) => {
    expectCue(firmCues(ISLANDS, title), want, []);
  });

  const GOAL = { kind: "agreement" as const, title: "New climate finance goal", query: "climate AND finance" };
  it.each([
    "The conference adopts a new climate finance goal at its closing plenary",
    "A contested climate finance package was approved in the early hours",
    "The climate finance deal is gavelled through after all-night talks",
    "Delegates adopted the climate finance text by consensus",
  ])("a text adopted or gavelled through is agreed: %s", (title) => {
    expectCue(firmCues(GOAL, title), "agreed");
  });
  it("a text a government must still approve is not yet agreed by it", () => {
    expectCue(firmCues(GOAL, "The climate finance deal was approved by the cabinet"), null, ["note", "signed"]);
  });
});

describe("a visitor reaching a city, a first round won", () => {
  const VISIT = {
    kind: "event" as const,
    title: "Abe state visit to Chile",
    query: "Abe AND (Chile OR Santiago) AND visit*",
  };
  it.each([
    ["Abe reached Santiago on Wednesday at the start of his visit to Chile", "held"],
    ["Abe reaches Santiago for a state visit to Chile", "held"],
    ["Abe reached an agreement on his Chile visit programme", null],
    ["Abe is expected to reach Santiago next week for his visit to Chile", null],
  ] as Array<[string, CueKind | null]>)("%s", (title, want) => {
    expectCue(firmCues(VISIT, title), want, ["note", "agreed", "arranged"]);
  });

  const TWO_ROUNDS = {
    kind: "event" as const,
    title: "Ruritanian presidential election and runoff",
    query: "(Ruritania OR Ruritanian) AND (presidential OR Novak OR Horvat)",
  };
  it.each([
    ["Ruritanian runoff looms as Novak edges first round", "held"],
    ["Novak wins the first round of Ruritania's presidential election", "held"],
    ["Horvat tops first round in Ruritanian presidential vote", "held"],
    ["Novak and Horvat head to June 1 runoff in Ruritanian presidential race", "arranged"],
    ["Novak hopes to win the first round of the Ruritanian presidential election", null],
  ] as Array<[string, CueKind | null]>)("%s", (title, want) => {
    expectCue(firmCues(TWO_ROUNDS, title, "", "2027-05-19T08:00:00Z"), want);
  });
});

describe("motions, confidence votes and bids that fail", () => {
  const CENSURE = {
    kind: "event" as const,
    title: "No-confidence vote on the Lindqvist government",
    query: 'Lindqvist AND ("no-confidence" OR "no confidence" OR censure*)',
  };
  it.each([
    [
      "The no-confidence debate on the Lindqvist government has been set for 4 December",
      "arranged",
      "2027-12-01T10:00:00Z",
    ],
    ["Lindqvist government toppled as MPs back no-confidence motion", "held", "2027-12-04T20:00:00Z"],
    ["Parliament adopted the censure motion against Lindqvist with 331 votes", "held", "2027-12-04T20:00:00Z"],
    ["The no-confidence motion against Lindqvist was defeated by 12 votes", "held", "2027-12-04T20:00:00Z"],
    ["Lindqvist faces a no-confidence motion that could topple the government next week", null, "2027-11-28T10:00:00Z"],
  ] as Array<[string, CueKind | null, string]>)("%s", (title, want, at) => {
    expectCue(firmCues(CENSURE, title, "", at), want, ["note", "agreed", "arranged"]);
  });

  const BID = { kind: "agreement" as const, title: "Kestrel takeover bid for Osprey", query: "Kestrel AND Osprey" };
  it.each([
    ["Kestrel's bid for Osprey fails with 25% acceptance", "collapsed"],
    ["Kestrel's takeover offer for Osprey lapsed after acceptances fell short", "collapsed"],
    ["Kestrel said its offer for Osprey failed to reach the required 50% level", "collapsed"],
    ["Kestrel's bid for Osprey could fail, analysts say", null],
    ["Kestrel raised its offer for Osprey by 10%", "note"],
    ["Kestrel sweetens its Osprey bid with a cash component", "note"],
    ["Kestrel may raise its offer for Osprey", null],
  ] as Array<[string, CueKind | null]>)("%s", (title, want) => {
    expectCue(firmCues(BID, title), want, ["proposed", "negotiating"]);
  });
});

describe("a principal meeting someone else", () => {
  const PAIR = {
    kind: "event" as const,
    title: "First Novak–Horvat summit",
    query: "Novak AND Horvat AND (summit OR meet* OR talks)",
  };
  it.each([
    ["Novak meets Lindqvist in Oslo before his summit with Horvat", null],
    ["Novak met Swedish Prime Minister Lindqvist on Saturday ahead of talks with Horvat", null],
    ["Novak held talks with Lindqvist, days before his summit with Horvat", null],
    ["Novak meets Horvat in Oslo for their first summit", "held"],
    ["Novak met Horvat on Wednesday for talks on trade", "held"],
    ["Novak and Horvat met in Oslo on Wednesday", "held"],
  ] as Array<[string, CueKind | null]>)("%s", (title, want) => {
    expectCue(firmCues(PAIR, title), want, ["note", "agreed", "arranged"]);
  });
});

describe("a truce declared or ordered by one side is in force; one announced is agreed", () => {
  it.each([
    ["Northern commander orders 30-hour truce from this evening", "in_force"],
    ["The army declares a unilateral northern truce for the holiday", "in_force"],
    ["Government announces 'holiday truce' in the northern region", "agreed"],
    ["Rebels say the army may declare a northern truce", null],
  ] as Array<[string, CueKind | null]>)("%s", (title, want) => {
    expectCue(firmCues(TRUCE, title), want, ["note", "proposed"]);
  });
});

describe("before a court, a result claimed, a bid ruled out", () => {
  const APPEARANCE = {
    kind: "event" as const,
    title: "Former minister's first appearance before the tribunal",
    query: "Halvorsen AND (tribunal OR court OR appearance)",
  };
  it.each([
    ["Halvorsen to appear before the tribunal on Friday 14 March", "arranged"],
    ["The court said Halvorsen will make his initial appearance on 14 March", "arranged"],
    ["Halvorsen appears by video link at first tribunal hearing", "held"],
    ["Halvorsen made his first appearance before the court on Friday", "held"],
    ["Halvorsen could appear before the tribunal within weeks", null],
  ] as Array<[string, CueKind | null]>)("%s", (title, want) => {
    expectCue(firmCues(APPEARANCE, title, "", "2027-03-12T10:00:00Z"), want, ["note", "agreed"]);
  });

  const RUNOFF = {
    kind: "event" as const,
    title: "Ruritanian presidential runoff",
    query: "(Ruritania OR Ruritanian) AND (runoff OR Novak OR Horvat)",
  };
  it.each([
    ["Ruritania re-elects Novak by a wide margin in the runoff", "held"],
    ["Novak claims 'historic' win in Ruritanian runoff", "held"],
    ["Horvat declared victory in the Ruritanian runoff late on Tuesday", "held"],
    ["Novak hopes to claim victory in the Ruritanian runoff", null],
  ] as Array<[string, CueKind | null]>)("%s", (title, want) => {
    expectCue(firmCues(RUNOFF, title, "", "2027-04-14T03:00:00Z"), want);
  });

  const RUMOUR = {
    kind: "agreement" as const,
    title: "Kestrel's possible bid for Osprey",
    query: "Kestrel AND Osprey AND (bid OR offer)",
  };
  it.each([
    ["Kestrel says it has 'no intention' of making an offer for Osprey", "collapsed"],
    ["Kestrel rules out a bid for Osprey", "collapsed"],
    ["Kestrel ruled out any takeover of Osprey, ending weeks of talk of an offer", "collapsed"],
    ["Kestrel rules out raising its offer for Osprey", null],
  ] as Array<[string, CueKind | null]>)("%s", (title, want) => {
    expectCue(firmCues(RUMOUR, title), want, ["note", "proposed", "negotiating"]);
  });
});

describe("what takes effect, what a summit adopts, a ceasefire declared at once", () => {
  const TRADE = {
    kind: "agreement" as const,
    title: "Westland–Eastland trade deal",
    query: "Westland AND Eastland AND trade",
  };
  it.each([
    ["Westland has imposed tariffs on Eastland goods, half of which took effect in August, as trade talks go on", null],
    ["Eastland's new port fees came into force on Monday amid the trade talks with Westland", null],
    ["The Westland–Eastland trade deal took effect on Monday", "in_force"],
    ["The trade agreement between Westland and Eastland entered into force on Monday", "in_force"],
  ] as Array<[string, CueKind | null]>)("%s", (title, want) => {
    expectCue(firmCues(TRADE, title, "", "2027-03-09T12:00:00Z"), want, ["note", "negotiating"]);
  });

  const SUMMIT = {
    kind: "event" as const,
    title: "First Westland–Eastland summit",
    query: "Westland AND Eastland AND summit",
  };
  it.each([
    ["First Westland–Eastland summit adopts a defence partnership", "held"],
    ["The Westland–Eastland summit produced a joint statement on energy", "held"],
    ["The Westland–Eastland summit will adopt a joint statement, officials say", null],
  ] as Array<[string, CueKind | null]>)("%s", (title, want) => {
    expectCue(firmCues(SUMMIT, title), want, ["note", "arranged", "agreed"]);
  });

  it.each([
    ["The president declares an immediate, comprehensive northern truce", "in_force"],
    ["The army announced an immediate northern truce on Monday", "in_force"],
    ["Mediators call for an immediate northern truce", null],
  ] as Array<[string, CueKind | null]>)("%s", (title, want) => {
    expectCue(firmCues(TRUCE, title), want, ["note", "proposed", "agreed"]);
  });
});

describe("a target turning a bid down", () => {
  const BID = { kind: "agreement" as const, title: "Kestrel takeover bid for Osprey", query: "Kestrel AND Osprey" };
  it.each([
    "Osprey rejected the takeover approach from Kestrel as too low",
    "Osprey's board rebuffs Kestrel's $9 billion bid",
    "Osprey turns down Kestrel's sweetened offer",
  ])("is news while the bid stands, not talks: %s", (title) => {
    const cues = firmCues(BID, title);
    expect(cues).toContain("note");
    expect(cues).not.toContain("negotiating");
  });
});

describe("talks about a deal, and what a deal offers", () => {
  const TIEUP = { kind: "agreement" as const, title: "Kestrel–Osprey merger", query: "Kestrel AND Osprey" };
  it.each([
    ["Kestrel and Osprey are discussing a merger under a joint holding company", "negotiating"],
    ["Kestrel and Osprey discussed a possible tie-up on Monday", "negotiating"],
    ["Kestrel and Osprey discuss merging their car units", "negotiating"],
  ] as Array<[string, CueKind]>)("%s", (title, want) => {
    expectCue(firmCues(TIEUP, title, "", "2027-03-10T12:00:00Z"), want);
  });
  it.each([
    "Kestrel's chief said the Osprey merger agreement offered a real chance for both",
    "The Kestrel–Osprey accord offers a path to lower prices, analysts say",
  ])("what a deal offers is not an offer: %s", (title) => {
    expect(firmCues(TIEUP, title)).not.toContain("proposed");
  });
});

describe("a weekday's event and a parliament's choice", () => {
  const TALKS = {
    kind: "event" as const,
    title: "Lindqvist visit to the White House",
    query: 'Lindqvist AND (Trump OR "White House") AND (visit* OR talks)',
  };
  const ctx = readingContext({ ...TALKS, aliases: null });
  it.each([
    ["Lindqvist flew to Washington on Wednesday ahead of Thursday's White House talks with Trump", "2027-03-11"],
    ["Aides prepare for Friday's talks as Lindqvist's visit to the White House nears", "2027-03-12"],
  ])("a possessive weekday dates the coming event: %s", (title, day) => {
    const claims = extract({ title, summary: "", content: "", publishedAt: NOW }, ctx).claims;
    expect(claims).toContainEqual(expect.objectContaining({ cue: "arranged", date: day }));
  });

  const PM = {
    kind: "event" as const,
    title: "Diet vote electing the prime minister",
    query: 'Diet AND ("prime minister" OR vote)',
  };
  it.each([
    ["The Diet elects Haruka Mori as the country's first female prime minister", "held"],
    ["The Diet elected veteran lawmaker Kenji Sato as prime minister on Tuesday", "held"],
    ["The Diet will elect a new prime minister on 21 October", "arranged"],
  ] as Array<[string, CueKind]>)("%s", (title, want) => {
    expectCue(firmCues(PM, title), want);
  });
});

describe("a side ready to meet, a bid no longer considered, a deal no longer binding, a summit to be held", () => {
  const SUMMIT = { kind: "event" as const, title: "Halvorsen–Mbeki summit", query: "Halvorsen AND Mbeki" };
  it.each([
    ["Halvorsen says she is ready to meet Mbeki without preconditions", "proposed"],
    ["Mbeki willing to hold direct talks with Halvorsen, aide says", "proposed"],
    ["Diplomats are working to arrange a Halvorsen–Mbeki meeting before the winter", "proposed"],
    ["Halvorsen and Mbeki to hold summit in Oslo", "arranged"],
    ["Halvorsen–Mbeki summit to be held in Nairobi next spring", "arranged"],
  ] as Array<[string, CueKind]>)("%s", (title, want) => {
    expectCue(firmCues(SUMMIT, title), want);
  });
  it.each([
    "Halvorsen and Mbeki are ready to meet again after their talks in Oslo on Monday",
    "Halvorsen wants the summit with Mbeki to be held in Oslo",
  ])("readiness is not a meeting held, a wish is not a venue fixed: %s", (title) => {
    const cues = firmCues(SUMMIT, title);
    expect(cues).not.toContain("arranged");
  });

  const BID = { kind: "agreement" as const, title: "Kestrel bid for Osprey", query: "Kestrel AND Osprey" };
  it.each([
    "Kestrel says it is no longer considering an offer for Osprey",
    "Kestrel no longer pursuing Osprey takeover after board rebuff",
    "Osprey shares slide as Kestrel says it is no longer interested in a combination",
  ])("given up: %s", (title) => {
    expectCue(firmCues(BID, title), "collapsed");
  });
  it("a side no longer considering something else leaves the deal alone", () => {
    expect(firmCues(BID, "Kestrel, no longer considering a plant closure, backs its Osprey bid")).not.toContain(
      "collapsed",
    );
  });

  const PACT = { kind: "agreement" as const, title: "Harbour inspection agreement", query: "harbour AND inspection*" };
  it.each([
    "Minister says the harbour inspection agreement is no longer valid",
    "Harbour inspection deal 'no longer relevant' after new sanctions, government says",
    "The inspection agreement can no longer govern access to the harbour, the ministry said",
  ])("no longer binding: %s", (title) => {
    expectCue(firmCues(PACT, title), "suspended");
  });
});

describe("a sentence handed down, a day put off and named, a landslide, a declaration adopted", () => {
  const TRIAL = {
    kind: "event" as const,
    title: "Verdict in the harbour bribery case against Ilse Brandt",
    query: 'Brandt AND (verdict OR sentenc* OR "bribery case")',
  };
  it.each([
    ["Ilse Brandt sentenced to six years in harbour bribery case", "held"],
    ["Brandt gets 14 years in prison as bribery case ends", "held"],
    ["Ilse Brandt acquitted in bribery case after a two-year trial", "held"],
    ["Court convicts Brandt in harbour bribery case", "held"],
    ["Brandt bribery case verdict deferred to 13 March", "postponed"],
    ["Verdict in Brandt bribery case pushed to next month", "postponed"],
  ] as Array<[string, CueKind]>)("%s", (title, want) => {
    expectCue(firmCues(TRIAL, title), want);
  });
  it.each([
    "Brandt will be sentenced in the bribery case next week",
    "Prosecutors ask that Brandt be sentenced to eight years in bribery case",
  ])("a sentence still to come: %s", (title) => {
    expect(firmCues(TRIAL, title)).not.toContain("held");
  });

  it("put off to a named day: scheduled again for it, and the same delay told again is known", () => {
    const set: StoryState = { status: "scheduled", facts: { date: "2027-03-10", place: null } };
    const moved = advance("event", set, claim("postponed", { date: "2027-03-17" }), "2027-03-10T12:00:00Z");
    expect(moved).toMatchObject({
      status: "scheduled",
      facts: { date: "2027-03-17", note: "postponed from 2027-03-10" },
    });
    expect(advance("event", moved as StoryState, claim("postponed"), "2027-03-10T15:00:00Z")).toBeNull();
    expect(restates("event", moved as StoryState, claim("postponed"))).toBe(true);
    // Without a day it waits; a day already past is no new day.
    expect(advance("event", set, claim("postponed"), "2027-03-10T12:00:00Z")).toMatchObject({ status: "postponed" });
    expect(advance("event", set, claim("postponed", { date: "2027-03-01" }), "2027-03-10T12:00:00Z")).toMatchObject({
      status: "postponed",
      facts: { date: null },
    });
    // Held at last: the delay's note does not follow it.
    const held = advance("event", moved as StoryState, claim("held"), "2027-03-17T12:00:00Z");
    expect(held).toMatchObject({ status: "held", facts: { date: "2027-03-17" } });
    expect(held?.facts.note ?? null).toBeNull();
  });

  const POLL = { kind: "event" as const, title: "Federal election in Norland", query: "Norland AND election" };
  it.each(["Labour wins Norland election in a landslide", "Opposition wins landslide in Norland election"])(
    "%s",
    (title) => {
      expectCue(firmCues(POLL, title), "held");
    },
  );

  const LEADERS = {
    kind: "event" as const,
    title: "Harbour Group leaders' summit",
    query: '"Harbour Group" AND summit',
  };
  it.each([
    "Harbour Group adopts leaders' declaration on the summit's first day",
    "Harbour Group declaration adopted at the start of the summit despite one member's objection",
    "Harbour Group summit issues joint communique on shipping",
  ])("%s", (title) => {
    expectCue(firmCues(LEADERS, title, "", "2027-03-10T12:00:00Z"), "held");
  });
  it("a declaration still to be adopted", () => {
    expect(firmCues(LEADERS, "Harbour Group leaders will adopt a declaration at Sunday's summit")).not.toContain(
      "held",
    );
  });

  const BID = { kind: "agreement" as const, title: "Kestrel acquisition of Osprey", query: "Kestrel AND Osprey" };
  it.each([
    "Kestrel–Osprey pact is the first big tie-up since the Heron merger collapse",
    "Kestrel agrees to buy Osprey, its first deal since talks with Heron collapsed",
  ])("a collapse after 'since' is an earlier one: %s", (title) => {
    expect(firmCues(BID, title)).not.toContain("collapsed");
  });
});

describe("members ratifying what their negotiators brought back", () => {
  const CONTRACT = {
    kind: "agreement" as const,
    title: "Dockworkers' strike and new port contract",
    query: "dockworkers AND (contract OR strike)",
  };
  it.each([
    "Dockworkers vote to accept contract, ending six-week strike",
    "Striking dockworkers voted overwhelmingly to approve the port operators' contract offer on Monday",
    "Dockworkers ratify new six-year contract",
  ])("%s", (title) => {
    expect(claimsOf(CONTRACT, title)).toContainEqual(expect.objectContaining({ cue: "note", note: "ratified" }));
  });
  it("a vote still to come ratifies nothing", () => {
    expect(firmCues(CONTRACT, "Dockworkers will vote on whether to accept the contract next week")).not.toContain(
      "note",
    );
  });
  it("a ratification before any reported signing: agreed, the signing still to come", () => {
    const talks: StoryState = { status: "negotiating", facts: {} };
    const ratified = claim("note", { note: "ratified" });
    expect(advance("agreement", talks, ratified, NOW)).toMatchObject({
      status: "agreed",
      facts: { note: "ratified on 2027-03-10" },
    });
    expect(advance("agreement", { status: "agreed", facts: {} }, ratified, NOW)).toMatchObject({ status: "agreed" });
    expect(advance("agreement", { status: "signed", facts: {} }, ratified, NOW)).toMatchObject({ status: "signed" });
  });
});

describe("a company deal agreed is signed; advice on a vote is not the vote", () => {
  const DEAL = { kind: "agreement" as const, title: "Kestrel acquisition of Osprey", query: "Kestrel AND Osprey" };
  it.each([
    "Kestrel and Osprey agree merger creating the largest regional carrier",
    "Kestrel seals $4 billion takeover of Osprey",
    "Kestrel agrees all-share acquisition of Osprey",
  ])("agreed, so signed: %s", (title) => {
    expectCue(firmCues(DEAL, title), "signed");
  });
  it.each(["Kestrel and Osprey agree to start merger talks", "Kestrel, Osprey agree merger talks as pressure mounts"])(
    "talks agreed are not the deal: %s",
    (title) => {
      expect(firmCues(DEAL, title)).not.toContain("signed");
    },
  );
  it.each([
    "Proxy advisers back Kestrel–Osprey deal ahead of next week's votes",
    "Two advisory firms have recommended that investors approve the Kestrel–Osprey merger",
    "Analysts back the Osprey deal as Kestrel shares rise",
  ])("advice before a vote: %s", (title) => {
    expect(firmCues(DEAL, title)).not.toContain("note");
  });
  it("the vote itself", () => {
    expect(firmCues(DEAL, "Shareholders of Kestrel and Osprey approve the merger")).toContain("note");
  });
});

describe("a nomination before an election, and the day a date is to be named", () => {
  const ELECTION = {
    kind: "event" as const,
    title: "Norland snap presidential election",
    query: 'Norland AND ("presidential election" OR "snap election")',
  };
  const NOMINATION = {
    kind: "event" as const,
    title: "Norland Labour presidential nomination",
    query: "Norland AND Labour AND nomination",
  };
  it.each([
    "Ostrova wins Labour nomination for Norland's snap presidential election",
    "Ostrova wins party primary ahead of Norland snap election",
  ])("a step before the election: %s", (title) => {
    expect(firmCues(ELECTION, title)).not.toContain("held");
  });
  it("the nomination's own storyline", () => {
    expectCue(firmCues(NOMINATION, "Ostrova wins Norland Labour nomination with 80% of the vote"), "held");
  });
  it.each([
    "The acting president will announce the date of the snap presidential election at Tuesday's cabinet meeting",
    "Norland's cabinet is to decide the snap election date on Friday",
    "Norland's snap presidential election date will be set at Thursday's cabinet meeting",
  ])("the day the date is named is not the election's: %s", (title) => {
    expect(claimsOf(ELECTION, title).filter((c) => c.cue === "arranged" && c.date !== null)).toEqual([]);
  });
});

describe("a pardon frees the person a release storyline follows", () => {
  const RELEASE = {
    kind: "agreement" as const,
    title: "Release of the poet Anselm Voss",
    query: "Voss AND (release* OR freed OR pardon*)",
  };
  it.each([
    "President pardons jailed poet Anselm Voss",
    "Voss granted a pardon on humanitarian grounds, presidency says",
    "Anselm Voss was pardoned and flew home on Wednesday",
  ])("%s", (title) => {
    expectCue(firmCues(RELEASE, title), "in_force");
  });
  it.each(["Writers urge the president to pardon Anselm Voss", "Voss could be pardoned next month, lawyer says"])(
    "a pardon asked for or possible: %s",
    (title) => {
      expect(firmCues(RELEASE, title)).not.toContain("in_force");
    },
  );
});

describe("members approving what their leaders agreed ratify it", () => {
  const COALITION_DEAL = {
    kind: "agreement" as const,
    title: "Greens–Liberal coalition agreement",
    query: "coalition AND (Greens OR Liberal*)",
  };
  it.each([
    "Greens members approve coalition with the Liberals by 71%",
    "Greens delegates backed the coalition agreement at a special congress on Sunday",
    "Liberal membership endorses the coalition pact in a postal ballot",
  ])("%s", (title) => {
    expect(claimsOf(COALITION_DEAL, title)).toContainEqual(expect.objectContaining({ cue: "note", note: "ratified" }));
  });
  it("members backing something else ratify nothing", () => {
    const claims = claimsOf(COALITION_DEAL, "Greens members back climate strike as coalition talks go on");
    expect(claims.filter((c) => c.note === "ratified")).toEqual([]);
  });
});

describe("a labour dispute's own steps", () => {
  const DISPUTE = {
    kind: "agreement" as const,
    title: "Harbour pilots' strike and new contract",
    query: '"harbour pilots" AND (strike* OR contract OR arbitration)',
  };
  const notes = (title: string) =>
    firmClaims(DISPUTE, title)
      .filter((c) => c.cue === "note")
      .map((c) => c.note);
  it.each([
    ["Harbour pilots strike nationwide after talks fail", "strike began"],
    ["Harbour pilots went on strike at midnight over pay", "strike began"],
    ["Harbour pilots walk off the job as contract talks stall", "strike began"],
    ["Government orders harbour pilots back to work and imposes binding arbitration", "return to work ordered"],
    ["Minister moves to end the harbour pilots' strike", "return to work ordered"],
    ["Harbour pilots' strike is over as both sides reach a deal", "strike ended"],
    ["Harbour pilots return to work after a 40-day strike", "strike ended"],
  ])("%s", (title, note) => {
    expect(notes(title)).toContain(note);
  });
  it.each([
    "Harbour pilots could strike next week if talks fail",
    "Harbour pilots threaten to strike over the new contract",
    "Harbour pilots vote on strike action next month",
  ])("a strike threatened or voted on later has not begun: %s", (title) => {
    expect(notes(title)).not.toContain("strike began");
  });
  it("a strike is news at any stage of the talks", () => {
    const talks: StoryState = { status: "negotiating", facts: {} };
    expect(
      advance("agreement", talks, claim("note", { note: "strike began", step: "opening any stage" }), NOW),
    ).toMatchObject({
      status: "negotiating",
      facts: { note: "strike began on 2027-03-10" },
    });
    expect(
      advance(
        "agreement",
        { status: null, facts: {} },
        claim("note", { note: "strike began", step: "opening any stage" }),
        NOW,
      ),
    ).toMatchObject({ status: "negotiating" });
  });
});

describe("agreements in the plural, and a pause in the fighting or the strikes", () => {
  const TALKS = {
    kind: "agreement" as const,
    title: "Harbour pilots' contract",
    query: '"harbour pilots" AND (contract OR agreement* OR strike*)',
  };
  it.each([
    "Harbour pilots and port authority reach agreements in principle, pause strikes",
    "Harbour pilots and the port authority reach two agreements on pay and rosters",
  ])("%s", (title) => {
    const cues = firmCues(TALKS, title);
    expect(cues).toContain("agreed");
    expect(cues).not.toContain("suspended");
  });
  it.each([
    "Northern truce: both sides pause fighting along the river",
    "Rebels suspend attacks as northern truce takes hold",
  ])("a pause in the fighting is not the truce suspended: %s", (title) => {
    expect(firmCues(TRUCE, title)).not.toContain("suspended");
  });
  it("the truce itself paused", () => {
    expect(firmCues(TRUCE, "Government suspends the northern truce after a deadly attack")).toContain("suspended");
  });
});

describe("a trial's dates and verdicts, warrants and requests decided by a court", () => {
  const TRIAL = {
    kind: "event" as const,
    title: "Marlow Finch fraud trial: verdict and sentencing",
    query:
      '("Marlow Finch" OR (Finch NEAR/5 (banker OR tycoon))) AND (trial OR retrial OR verdict OR jury OR sentenc*)',
  };
  it.each([
    ["Finch retrial set for June 3 after judge merges the cases", "2027-06-03"],
    ["Finch to be sentenced on April 20, judge says", "2027-04-20"],
    ["Marlow Finch will be sentenced on April 20, judge says", "2027-04-20"],
  ])("a name with what tells it from namesakes still leaves the trial its topic: %s", (title, date) => {
    expect(firmClaims(TRIAL, title)).toContainEqual(expect.objectContaining({ cue: "arranged", date }));
  });
  it.each([
    "Marlow Finch cleared of racketeering, guilty on two wire-fraud counts",
    "Jury: Marlow Finch guilty of fraud, not guilty of conspiracy",
    "Marlow Finch acquitted of the most serious charge",
  ])("a verdict told without its verb: %s", (title) => {
    expect(firmCues(TRIAL, title)).toContain("held");
  });
  it.each([
    "Marlow Finch pleads not guilty to fraud at trial",
    "Marlow Finch pleaded guilty on Monday to one count before trial",
  ])("a plea is not a verdict: %s", (title) => {
    expect(firmCues(TRIAL, title)).not.toContain("held");
  });
  const WARRANTS = {
    kind: "event" as const,
    title: "Tribunal decision on arrest warrants for Hale and Corvin",
    query: "(Hale OR Corvin) AND tribunal AND (warrant* OR appeal*)",
  };
  it.each([
    "Tribunal issues arrest warrants for Hale and Corvin",
    "The tribunal issued warrants for Hale and Corvin on Tuesday",
    "Hale and Corvin: tribunal judges issue arrest warrants",
  ])("a court deciding on warrants put to it: %s", (title) => {
    expect(firmCues(WARRANTS, title)).toContain("held");
  });
  it.each(["Tribunal judges reject Hale's request to delay the hearing", "Judge refuses to delay the Finch trial"])(
    "a request of the defence turned down is not the ruling: %s",
    (title) => {
      expect(firmCues(title.includes("Finch") ? TRIAL : WARRANTS, title)).not.toContain("held");
    },
  );
  it("someone else turning a request down is not the court's ruling", () => {
    expect(firmCues(WARRANTS, "Hale rejects tribunal's request to appear, says warrants are void")).not.toContain(
      "held",
    );
  });
});

describe("a meeting agreed, a summit that breaks up, a trial that slips", () => {
  const SUMMIT = { kind: "event" as const, title: "Ostrava–Lund summit", query: "Ostrava AND Lund AND summit" };
  it.each([
    "Ostrava says summit with Lund agreed; Lund yet to comment",
    "Ostrava–Lund summit now agreed, venue to be announced",
    "Officials: a summit between Ostrava and Lund is now agreed",
  ])("%s", (title) => {
    expect(firmCues(SUMMIT, title)).toContain("agreed");
  });
  it("a summit that agreed on something has not itself been agreed", () => {
    expect(firmCues(SUMMIT, "Ostrava–Lund summit agreed to study a canal, diplomats say")).not.toContain("agreed");
  });
  it.each([
    "Ostrava–Lund summit breaks up without a deal",
    "The Ostrava–Lund summit broke up after three hours, with no joint statement",
  ])("%s", (title) => {
    expect(firmCues(SUMMIT, title)).toContain("held");
  });
  it.each(["Quill trial slips into next year as judge merges cases", "Quill trial slips to autumn"])("%s", (title) => {
    expect(firmCues(QUILL_TRIAL, title)).toContain("postponed");
  });
});

describe("a release followed as an event", () => {
  const RELEASED = {
    kind: "event" as const,
    title: "Release of the reporter Ivo Sander",
    query: "Sander AND (release* OR freed OR prison*)",
  };
  it.each([
    "Sander freed as prisoner exchange completed at the border",
    "Ivo Sander released after 400 days in prison",
    "Sander walks free after 400 days behind bars",
  ])("%s", (title) => {
    expect(firmCues(RELEASED, title)).toContain("held");
  });
  it.each(["Sander could be freed in a swap next month", "Family urges government to secure Sander's release"])(
    "not yet free: %s",
    (title) => {
      expect(firmCues(RELEASED, title)).not.toContain("held");
    },
  );
});

describe("a count completed, exit polls in a headline, a result weeks after the polls", () => {
  const ELECTION = {
    kind: "event" as const,
    title: "Vandria parliamentary election, February 2027",
    query: "Vandria AND (election* OR vote* OR count*)",
  };
  it.each([
    ["Vandria completes the national count; Greens first", "2027-02-20T10:00:00Z"],
    ["Vandria election count finished: Greens 41%, no majority", "2027-02-21T10:00:00Z"],
    ["Vandria's vote count is over, with the Greens ahead", "2027-02-21T10:00:00Z"],
  ])("%s", (title, at) => {
    expect(claimsOf(ELECTION, title, "", at)).toContainEqual(
      expect.objectContaining({ cue: "held", note: "result declared", background: false }),
    );
  });
  it.each([
    "Vandria exit polls: Greens ahead with 40%",
    "Vandria election exit poll: a hung parliament",
    "Vandria vote: exit polls put the Greens first",
  ])("the polls have closed: %s", (title) => {
    expect(firmCues(ELECTION, title, "", "2027-02-14T20:00:00Z")).toContain("held");
  });
  it("a result confirmed five weeks after an election month is still its result", () => {
    const claims = claimsOf(ELECTION, "Vandria confirms the Greens won most seats", "", "2027-04-02T10:00:00Z");
    expect(claims).toContainEqual(expect.objectContaining({ cue: "held", background: false }));
  });
  it("a vote reported months later is another vote", () => {
    const claims = claimsOf(ELECTION, "Vandria Greens won most seats, party says", "", "2027-09-02T10:00:00Z");
    expect(claims.filter((c) => c.cue === "held" && !c.background)).toEqual([]);
  });
});

describe("a deal cleared, finalised or made effective", () => {
  it.each([
    "Acme and Globex win antitrust nods in three countries",
    "Regulators clear Acme's Globex merger",
    "Globex shareholders back Acme takeover at court meeting",
  ])("%s", (title) => {
    expect(firmClaims(MERGER, title)).toContainEqual(expect.objectContaining({ cue: "note", note: "approved" }));
  });
  it("a sale approved by the seller's board", () => {
    const SALE = {
      kind: "agreement" as const,
      title: "Globex sale of its freight arm to Acme",
      query: "Globex AND Acme",
    };
    expect(firmClaims(SALE, "Globex board and the government approve freight sale to Acme")).toContainEqual(
      expect.objectContaining({ cue: "note", note: "approved" }),
    );
  });
  it.each([
    "Acme's Globex acquisition finalised at 1,300p a share",
    "Acme–Globex scheme effective: Acme now owns the company",
    "The Acme–Globex merger became effective on Monday",
  ])("%s", (title) => {
    expect(firmCues(MERGER, title)).toContain("in_force");
  });
  it("a scheme expected to become effective is not yet", () => {
    expect(firmCues(MERGER, "Acme–Globex scheme expected to become effective on 16 January")).not.toContain("in_force");
  });
});

describe("members voting a labour deal down, and talks back at the table", () => {
  const DISPUTE = {
    kind: "agreement" as const,
    title: "Harbour pilots' strike and new contract",
    query: '"harbour pilots" AND (strike* OR contract OR offer OR deal)',
  };
  it.each([
    "Harbour pilots vote down tentative contract, 58% against",
    "Striking harbour pilots narrowly reject the port's latest offer",
    "Harbour pilots' deal rejected in members' ballot",
  ])("%s", (title) => {
    expect(firmCues(DISPUTE, title)).toContain("collapsed");
  });
  it.each([
    "Port authority rejects harbour pilots' demands",
    "Harbour pilots' leaders predict members will vote down the deal",
  ])("the employer saying no, or a vote foretold, ends nothing: %s", (title) => {
    expect(firmCues(DISPUTE, title)).not.toContain("collapsed");
  });
  it.each([
    "Harbour pilots and port to return to the bargaining table Monday over the contract",
    "Harbour pilots head back to the negotiating table with a mediator as strike drags on",
  ])("%s", (title) => {
    expect(firmCues(DISPUTE, title)).toContain("negotiating");
  });
});

describe("a headline naming the party over a lede that names the event", () => {
  const TRIAL = {
    kind: "event" as const,
    title: "Dara Venn bribery trial: the verdict",
    query: '"Dara Venn" AND (trial OR verdict OR jury)',
  };
  it.each([
    [
      "Venn cleared of bribery, guilty on one count of fraud",
      "After a six-week trial, jurors acquitted Dara Venn of bribery.",
    ],
    ["Venn convicted on two counts", "The jury in Dara Venn's trial returned its verdict on Wednesday."],
    ["Venn found guilty", "Dara Venn's trial ended with a guilty verdict on the main charge."],
  ])("%s", (title, summary) => {
    expect(firmClaims(TRIAL, title, summary)).toContainEqual(expect.objectContaining({ cue: "held", sentence: 0 }));
  });
  it("a headline that does not name the party stays off the storyline", () => {
    const claims = firmClaims(TRIAL, "Jury finds landlord guilty", "The jury in Dara Venn's trial is still out.");
    expect(claims.filter((c) => c.sentence === 0)).toEqual([]);
  });
});

describe("a plea at an arraignment, a resentencing, a release announced by the captors", () => {
  const ARRAIGNMENT = {
    kind: "event" as const,
    title: "Tomas Brell arraignment on state charges",
    query: '"Tomas Brell" AND (arraign* OR plea* OR court)',
  };
  it.each([
    "Tomas Brell pleads not guilty to state murder charges",
    "Tomas Brell was arraigned in Manhattan on Monday",
    "Tomas Brell enters not guilty plea in state court",
  ])("%s", (title) => {
    expect(firmCues(ARRAIGNMENT, title, "", "2027-03-09T18:00:00Z")).toContain("held");
  });
  it("a plea still to come is not the arraignment held", () => {
    expect(firmCues(ARRAIGNMENT, "Tomas Brell expected to plead not guilty at Monday arraignment")).not.toContain(
      "held",
    );
  });
  const RESENTENCING = {
    kind: "event" as const,
    title: "Okafor brothers' resentencing hearing",
    query: "Okafor AND (resentenc* OR hearing OR court)",
  };
  it.each([
    "Judge resentences Okafor brothers to 50 years to life",
    "The Okafor brothers were resentenced on Tuesday, opening a path to parole",
  ])("%s", (title) => {
    expect(firmCues(RESENTENCING, title)).toContain("held");
  });
  const RELEASED = {
    kind: "event" as const,
    title: "Release of the hostage Mira Dahl",
    query: "Dahl AND (release* OR freed OR hostage*)",
  };
  it.each([
    "Captors say they will free Mira Dahl this week",
    "Militants to release hostage Mira Dahl, mediators say",
    "Group agrees to hand over Mira Dahl",
  ])("%s", (title) => {
    expect(firmCues(RELEASED, title)).toContain("arranged");
  });
  it.each(["Family urges captors to release Mira Dahl", "Envoy presses the group to free Mira Dahl"])(
    "a call for a release arranges nothing: %s",
    (title) => {
      expect(firmCues(RELEASED, title)).not.toContain("arranged");
    },
  );
});

describe("a summit opened, talks told by what was agreed at them, a deal blocked, a close that is only a condition", () => {
  it.each([
    "Host opens alliance summit with new pledges",
    "Prime minister opened the alliance summit on Tuesday",
    "President launches alliance summit amid protests",
  ])("%s", (title) => {
    expect(firmCues(ALLIANCE_SUMMIT, title)).toContain("held");
  });
  it("a summit that will open is not held", () => {
    expect(firmCues(ALLIANCE_SUMMIT, "Host will open alliance summit with new pledges")).not.toContain("held");
  });
  const TALKS = { kind: "event" as const, title: "Ostrava–Lund talks", query: "Ostrava AND Lund" };
  it.each([
    "Ostrava and Lund agree canal deal at talks in the capital",
    "Ostrava and Lund sign a port accord at their summit",
    "Ostrava, Lund unveil joint fund at White House meeting",
  ])("%s", (title) => {
    expect(firmCues(TALKS, title)).toContain("held");
  });
  it("what they hope to agree at the talks is not the talks held", () => {
    expect(firmCues(TALKS, "Ostrava and Lund hope to agree a canal deal at talks next week")).not.toContain("held");
  });
  it.each([
    "Federal judge blocks Acme's $3.8 billion takeover of Globex",
    "Court blocks Acme's Globex merger on antitrust grounds",
  ])("%s", (title) => {
    expect(firmCues(MERGER, title)).toContain("collapsed");
  });
  it.each([
    "Acme unit to take three Globex plants once parent closes the buyout",
    "Globex shares jump; deal takes effect if regulators approve",
  ])("a completion that is only a condition: %s", (title) => {
    expect(firmCues(MERGER, title)).not.toContain("in_force");
  });
});

describe("a set day long gone by is not the day the event was held", () => {
  const set: StoryState = { status: "scheduled", facts: { date: "2027-01-20" } };
  it("reported held weeks later, with no day: the report's day", () => {
    expect(advance("event", set, claim("held"), "2027-03-10T12:00:00Z")).toMatchObject({
      status: "held",
      facts: { date: "2027-03-10" },
    });
  });
  it("reported the morning after: the set day", () => {
    expect(advance("event", set, claim("held"), "2027-01-21T08:00:00Z")).toMatchObject({
      status: "held",
      facts: { date: "2027-01-20" },
    });
  });
});

describe("a trial that opens, sanctions that snap back, a conference that closes with a deal, a premier elected, a strike notice", () => {
  it.each([
    "Quill clashes with judge as bribery trial opens",
    "Quill trial begins in a packed courtroom",
    "The Quill trial gets under way with jury selection",
  ])("%s", (title) => {
    expect(firmCues(QUILL_TRIAL, title)).toContain("held");
  });
  const SANCTIONS = {
    kind: "agreement" as const,
    title: "Restoring the embargo on Vandria",
    query: "Vandria AND (embargo OR sanctions)",
  };
  it.each([
    "Vandria embargo snaps back into force at midnight",
    "Sanctions on Vandria snapped back into effect on Monday",
    "The Vandria embargo sprang back into force after the deadline",
  ])("%s", (title) => {
    expect(firmCues(SANCTIONS, title)).toContain("in_force");
  });
  const OUTCOME = {
    kind: "agreement" as const,
    title: "Ocean conference outcome",
    query: '"ocean conference" AND (deal OR agreement OR outcome OR text)',
  };
  it.each([
    "Ocean conference closes with a compromise deal on fishing",
    "The ocean conference ended with a watered-down agreement",
    "Ocean conference wraps up with a declaration and a text on subsidies",
  ])("%s", (title) => {
    expect(firmCues(OUTCOME, title)).toContain("agreed");
  });
  it("a conference that may close with a deal has not agreed one", () => {
    expect(firmCues(OUTCOME, "Ocean conference could close with a deal on fishing")).not.toContain("agreed");
  });
  it.each([
    "Greens leader elected prime minister as the left–centre coalition takes over",
    "Left–centre coalition: Ana Ruiz confirmed as the new premier by 95 votes",
  ])("a head of government elected puts the coalition in office: %s", (title) => {
    expect(firmCues(COALITION, title)).toContain("in_force");
  });
  it("a premier who will be elected next week is not yet in office", () => {
    expect(firmCues(COALITION, "Left–centre coalition: Ruiz will be elected premier next week")).not.toContain(
      "in_force",
    );
  });
  const DISPUTE = {
    kind: "agreement" as const,
    title: "Harbour pilots' strike and new contract",
    query: '"harbour pilots" AND (strike* OR contract OR notice)',
  };
  it.each([
    "Harbour pilots serve 72-hour strike notice",
    "Port issues lockout notice to harbour pilots",
    "Harbour pilots' union files strike notice as contract talks stall",
  ])("%s", (title) => {
    expect(firmClaims(DISPUTE, title)).toContainEqual(
      expect.objectContaining({ cue: "note", note: "strike notice served" }),
    );
  });
});

describe("a host receiving a guest, a visitor setting off, a count led, a dock dispute sent to arbitration", () => {
  const MEETING = { kind: "event" as const, title: "Ostrava–Lund meeting", query: "Ostrava AND Lund" };
  it.each([
    "Ostrava hosts Lund for lunch at the palace",
    "Lund received Ostrava at the residence on Tuesday",
    "Ostrava greets Lund at the door, half an hour late",
  ])("%s", (title) => {
    expect(firmCues(MEETING, title)).toContain("held");
  });
  it.each(["Ostrava hosts Lund for talks next week", "Ostrava received a letter from Lund"])(
    "a host who will receive, or a letter received, is no meeting: %s",
    (title) => {
      expect(firmCues(MEETING, title)).not.toContain("held");
    },
  );
  it.each([
    "Lindqvist departs for Tokyo on the first leg of her Japan visit",
    "Lindqvist left Stockholm for Tokyo to begin her Japan trip",
  ])("%s", (title) => {
    expect(firmCues(LINDQVIST_VISIT, title)).toContain("held");
  });
  it("a departure still to come has not begun the visit", () => {
    expect(
      firmCues(LINDQVIST_VISIT, "Lindqvist will leave for Tokyo next week to begin her Japan visit"),
    ).not.toContain("held");
  });
  const ELECTION = {
    kind: "event" as const,
    title: "Vandria presidential election",
    query: "Vandria AND (election* OR vote* OR count*)",
  };
  it.each([
    "Vandria election: Greens leader leads early count by a hair",
    "Opposition leads the partial vote count in Vandria election",
  ])("%s", (title) => {
    expect(firmCues(ELECTION, title)).toContain("held");
  });
  const DOCKS = {
    kind: "agreement" as const,
    title: "Northport longshore dispute",
    query: "Northport AND (longshore OR dockworkers OR port)",
  };
  it.each([
    ["Ottawa sends Northport and B.C. port disputes to binding arbitration", "return to work ordered"],
    ["Board orders Northport port back to work Saturday", "return to work ordered"],
    ["Northport dockworkers vote down employer offer; lockout looms", null],
  ])("%s", (title, note) => {
    const claims = firmClaims(DOCKS, title);
    if (note) expect(claims).toContainEqual(expect.objectContaining({ cue: "note", note }));
    else expect(claims.map((c) => c.cue)).toContain("collapsed");
  });
});

describe("talks reported by people familiar with them open the talks", () => {
  const talksIn = (title: string) =>
    claimsOf(MERGER, title).filter((c) => c.cue === "negotiating" && isFirm("agreement", c));
  it.each([
    "Acme in talks to buy Globex for about $18 billion, people familiar say",
    "Acme and Globex hold merger talks, sources say",
    "Acme in advanced talks to acquire Globex, according to people familiar with the matter",
  ])("%s", (title) => {
    expect(talksIn(title)).not.toEqual([]);
  });
  it.each(["Acme could hold merger talks with Globex, sources say", "Acme may approach Globex, people familiar say"])(
    "hedged talks open nothing: %s",
    (title) => {
      expect(talksIn(title)).toEqual([]);
    },
  );
  it("a deal reported signed by unnamed sources is not firm", () => {
    const claims = claimsOf(MERGER, "Acme agrees to buy Globex, sources say");
    expect(claims.filter((c) => c.cue === "signed" && isFirm("agreement", c))).toEqual([]);
  });
});

describe("a window of two named days, a bench's split, a runoff topped, a disengagement completed", () => {
  const SNAP = {
    kind: "event" as const,
    title: "Vandria snap election, 30 June and 7 July 2027",
    query: "Vandria AND (election* OR vote* OR runoff OR dissol*)",
  };
  it("an election called weeks before its first round is dated in the title's window", () => {
    const claims = firmClaims(
      SNAP,
      "Vandria president dissolves parliament, calls snap elections for 30 June and 7 July",
      "",
      "2027-06-09T19:00:00Z",
    );
    expect(claims).toContainEqual(expect.objectContaining({ cue: "agreed", date: "2027-06-30" }));
  });
  it.each(["Greens top Vandria runoff in an upset", "Vandria election: the left alliance wins the run-off"])(
    "%s",
    (title) => {
      expect(firmCues(SNAP, title, "", "2027-07-07T21:00:00Z")).toContain("held");
    },
  );
  const COURT_CASE = {
    kind: "event" as const,
    title: "Supreme Court ruling on presidential immunity",
    query: '"Supreme Court" AND immunity',
  };
  it.each([
    "Supreme Court grants the former president immunity in a 6-3 vote",
    "Supreme Court limits presidential immunity by a 5-4 majority",
    "Supreme Court rules 7-2 against blanket immunity",
  ])("%s", (title) => {
    expect(firmCues(COURT_CASE, title)).toContain("held");
  });
  const BORDER = {
    kind: "agreement" as const,
    title: "Ostrava–Lund border patrolling agreement",
    query: "Ostrava AND Lund AND (border OR patrol*)",
  };
  it.each([
    "Ostrava and Lund complete disengagement at two border points",
    "Ostrava, Lund completed the withdrawal of troops from the border on Tuesday",
  ])("%s", (title) => {
    expect(firmCues(BORDER, title)).toContain("in_force");
  });
  it("a withdrawal still to complete is not in force", () => {
    expect(firmCues(BORDER, "Ostrava and Lund will complete the border withdrawal by May")).not.toContain("in_force");
  });
});

describe("the rules of a trial and the steps before it are not its ruling", () => {
  const CASE = {
    kind: "event" as const,
    title: "Ruling in the state's ad tech case against Globex",
    query: "Globex AND (court OR ruling OR trial OR judge)",
  };
  it.each([
    "Judge sets ground rules ahead of the September trial of Globex",
    "At a pretrial conference, the judge ruled that Globex's exhibits may stand",
    "Court ruled on jury selection ahead of the Globex trial",
  ])("%s", (title) => {
    expect(firmCues(CASE, title)).not.toContain("held");
  });
  it.each([
    "Judge rules Globex illegally monopolized two markets",
    "Pre-Trial Chamber rules the case against Globex may proceed",
  ])("%s", (title) => {
    expect(firmCues(CASE, title)).toContain("held");
  });
});

describe("a bank named in the title, a policy ended, a court that voids or orders, a strike called, a challenge dropped", () => {
  const NATIONAL_BANK = {
    kind: "event" as const,
    title: "Vandrian National Bank March decision",
    query: '"Vandrian National Bank" AND (rate* OR cut* OR decision)',
  };
  it.each([
    "Vandrian National Bank unexpectedly cuts policy rate to 1.5%",
    "Vandrian National Bank holds its key rate at 2%",
  ])("%s", (title) => {
    expect(firmCues(NATIONAL_BANK, title)).toContain("held");
  });
  const NEGATIVE = {
    kind: "event" as const,
    title: "Bank of Vandria March meeting ends negative rates",
    query: '"Bank of Vandria" AND ("negative rate*" OR "rate hike" OR "policy meeting")',
  };
  it.each([
    "Bank of Vandria ends negative rate policy in first hike since 2007",
    "Bank of Vandria scraps negative rates and yield curve control",
  ])("%s", (title) => {
    expect(firmCues(NEGATIVE, title)).toContain("held");
  });
  it("a policy it may end is not ended", () => {
    expect(firmCues(NEGATIVE, "Bank of Vandria could end negative rates next week")).not.toContain("held");
  });
  const PAY = {
    kind: "event" as const,
    title: "Chancery rulings on the Globex chief's pay package",
    query: 'Globex AND "pay package" AND (judge OR court OR Chancery)',
  };
  it.each([
    "Chancery judge voids Globex chief's $50 billion pay package",
    "Court rescinds the Globex pay package, saying the board failed to prove fairness",
    "Judge orders Globex to return the pay package to shareholders",
  ])("%s", (title) => {
    expect(firmCues(PAY, title)).toContain("held");
  });
  it("a court ordering someone to appear has not ruled", () => {
    expect(firmCues(PAY, "Chancery judge orders Globex chief to appear over pay package")).not.toContain("held");
  });
  const ELECTION = {
    kind: "event" as const,
    title: "Vandria presidential election",
    query: "Vandria AND (election* OR winner* OR result*)",
  };
  it("an election commission declaring the winners", () => {
    expect(firmCues(ELECTION, "Vandria election commission declares Ruiz–Okafor winners with 58%")).toContain("held");
  });
  const DISPUTE = {
    kind: "agreement" as const,
    title: "Airline ground staff strike and pay deal",
    query: '"ground staff" AND (strike* OR walk* OR pay)',
  };
  it.each([
    "Union calls second ground staff strike for Tuesday",
    "Ground staff to walk out on Wednesday over pay",
    "Ground staff will strike again next week, union says",
  ])("%s", (title) => {
    expect(firmClaims(DISPUTE, title)).toContainEqual(expect.objectContaining({ cue: "note", note: "strike called" }));
  });
  it.each([
    "Justice Department drops its challenge to Acme–Globex merger",
    "Regulator withdraws its lawsuit against the Acme–Globex deal",
  ])("%s", (title) => {
    expect(firmClaims(MERGER, title)).toContainEqual(
      expect.objectContaining({ cue: "note", note: "challenge dropped" }),
    );
  });
});

describe("headlines in German, Spanish, Portuguese and French", () => {
  const TRADE = {
    kind: "agreement" as const,
    title: "Vandria–Norland trade agreement",
    query: "(Vandria OR Norland) AND (trade OR acuerdo OR acordo OR Abkommen OR accord OR Handel*)",
  };
  const SUMMIT = {
    kind: "event" as const,
    title: "Vandria–Norland leaders summit",
    query: "(Vandria OR Norland) AND (summit OR cumbre OR Gipfel OR sommet OR cúpula)",
  };
  const ELECTION = {
    kind: "event" as const,
    title: "Vandria presidential election",
    query: "Vandria AND (election* OR elección* OR eleição OR Wahl OR élection*)",
  };
  const BANK = {
    kind: "event" as const,
    title: "Vandria central bank rate decision",
    query: "Vandria AND (Zins* OR tasa* OR taxa* OR taux OR rate*)",
  };
  it.each([
    [TRADE, "Vandria und Norland unterzeichnen ihr Handelsabkommen in Lima", "signed"],
    [TRADE, "Vandria y Norland firmaron el acuerdo comercial", "signed"],
    [TRADE, "Vandria e Norland assinam acordo comercial em Lima", "signed"],
    [TRADE, "Vandria et Norland ont signé un accord commercial", "signed"],
    [TRADE, "Vandria und Norland einigen sich auf ein Abkommen", "agreed"],
    [TRADE, "Vandria y Norland alcanzan un acuerdo comercial", "agreed"],
    [TRADE, "Vandria et Norland sont parvenus à un accord commercial", "agreed"],
    [TRADE, "Handelsgespräche zwischen Vandria und Norland abgebrochen", "collapsed"],
    [TRADE, "Vandria rompe el acuerdo comercial con Norland", "collapsed"],
    [TRADE, "Abkommen zwischen Vandria und Norland tritt in Kraft", "in_force"],
    [TRADE, "Acuerdo entre Vandria y Norland entra en vigor", "in_force"],
    [TRADE, "Accord entre Vandria et Norland entre en vigueur", "in_force"],
    [TRADE, "Vandria suspende el acuerdo comercial con Norland", "suspended"],
    [TRADE, "Vandria und Norland verhandeln über ein Abkommen", "negotiating"],
    [SUMMIT, "Vandria y Norland se reunieron en la cumbre de Lima", "held"],
    [SUMMIT, "Gipfel von Vandria und Norland abgesagt", "cancelled"],
    [SUMMIT, "Cúpula Vandria-Norland adiada para maio", "postponed"],
    [ELECTION, "Ruiz gewinnt die Wahl in Vandria", "held"],
    [ELECTION, "Ruiz, electo presidente de Vandria en las elecciones", "held"],
    [ELECTION, "Ruiz élu président de Vandria à l'élection", "held"],
    [BANK, "Zentralbank von Vandria senkt den Leitzins auf 3%", "held"],
    [BANK, "Banco central de Vandria eleva a taxa para 11%", "held"],
  ])("%#: %s", (storyline, title, want) => {
    expect(firmCues(storyline, title)).toContain(want);
  });
  it.each([
    [TRADE, "Vandria y Norland no firmaron el acuerdo comercial"],
    [TRADE, "Vandria und Norland könnten das Abkommen unterzeichnen"],
    [TRADE, "Vandria et Norland pourraient signer un accord commercial"],
    [SUMMIT, "Gipfel von Vandria und Norland wird nicht abgesagt"],
  ])("%#: not done: %s", (storyline, title) => {
    expect(firmCues(storyline, title)).toEqual([]);
  });
});

describe("a failed act, a verdict either way, an exchange carried out, a vote survived", () => {
  const PAIR_TRUCE = {
    kind: "agreement" as const,
    title: "Norland–Sudmark truce",
    query: "(Norland OR Sudmark) AND (truce OR ceasefire OR deal)",
  };
  const EXCHANGE = {
    kind: "agreement" as const,
    title: "Prisoner exchange between Norland and Sudmark",
    query: "(Norland OR Sudmark) AND (prisoner* OR exchange OR swap OR captives)",
  };
  const EXCHANGE_EVENT = {
    kind: "event" as const,
    title: "Norland–Sudmark prisoner swap",
    query: "(Norland OR Sudmark) AND (prisoner* OR exchange OR swap OR captives)",
  };
  it.each([
    [PAIR_TRUCE, "Norland and Sudmark failed to put the truce deal into effect", "in_force"],
    [PAIR_TRUCE, "The sides fail to put the Norland–Sudmark truce into force", "in_force"],
    [MERGER, "Acme and Globex failed to complete their merger deal", "in_force"],
  ] as const)("a failure to act is no act: %s", (storyline, title, cue) => {
    expect(
      claimsOf(storyline, title)
        .filter((c) => c.cue === cue)
        .map((c) => c.polarity),
    ).toEqual(["negative"]);
  });
  it("a failure does not reach a later verb of its clause", () => {
    expect(firmCues(MERGER, "Acme fails to win approval and abandons Globex bid")).toContain("collapsed");
  });
  it.each([
    "Quill found not guilty of bribery at trial",
    "Jury finds Quill not guilty in bribery trial",
    "Jury finds Quill guilty on four counts at bribery trial",
  ])("a verdict either way: %s", (title) => {
    expect(firmCues(QUILL_TRIAL, title)).toContain("held");
  });
  it.each([
    ["Jury finds contractor guilty in trial", "The jury in Quill's bribery trial is still out."],
    ["Jury convicts harbour official at trial", "Quill's own trial resumes on Monday."],
  ])("a headline verdict of someone else, over a lede on the trial, is not it: %s", (title, summary) => {
    expect(claimsOf(QUILL_TRIAL, title, summary).filter((c) => c.cue === "held" && c.sentence === 0)).toEqual([]);
  });
  it.each([
    [EXCHANGE, "Norland and Sudmark swap prisoners at the border crossing", "in_force"],
    [EXCHANGE, "Sudmark and Norland exchanged 120 captives on Tuesday", "in_force"],
    [EXCHANGE, "Norland and Sudmark complete prisoner exchange on the bridge", "in_force"],
    [EXCHANGE_EVENT, "Norland and Sudmark swap prisoners at the border crossing", "held"],
    [EXCHANGE_EVENT, "Norland and Sudmark carry out the swap at dawn", "held"],
  ] as const)("an exchange carried out: %s", (storyline, title, want) => {
    expect(firmCues(storyline, title)).toContain(want);
  });
  it.each([
    [EXCHANGE, "How Norland and Sudmark have swapped prisoners before"],
    [EXCHANGE, "Norland and Sudmark agree to swap prisoners next month"],
    [EXCHANGE, "Norland and Sudmark are expected to complete the prisoner exchange"],
  ])("an exchange recalled or still to come is not carried out: %s", (storyline, title) => {
    expect(firmCues(storyline, title)).not.toContain("in_force");
  });
  it.each([
    "Both sides extend the northern truce by 60 days",
    "Northern parties renew truce for another month",
    "Mediators say the parties prolong the northern truce until June",
  ])("an extension in the plural present: %s", (title) => {
    expect(firmClaims(TRUCE, title).map((c) => c.note)).toContain("extended");
  });
  it("an extension only expected is not one", () => {
    expect(firmClaims(TRUCE, "Parties expected to extend the northern truce").map((c) => c.note)).not.toContain(
      "extended",
    );
  });
  it.each([
    "Premier survives confidence vote in parliament",
    "Parliament ousts Veld in no-confidence vote",
    "Lawmakers topple the premier's government in parliament vote",
  ])("a vote's result, survived or lost: %s", (title) => {
    expect(firmCues(VOTE, title)).toContain("held");
  });
  it("a vote only expected to be survived is not held", () => {
    expect(firmCues(VOTE, "Premier expected to survive parliament vote next week")).not.toContain("held");
  });
});

describe("a summit scrapped, set by an infinitive, talks as subject, a bank's move delivered", () => {
  it.each([
    "Host premier scraps planned alliance summit",
    "Allies shelve the alliance summit amid budget row",
    "Capital scraps the alliance summit it was to host",
  ])("scrapped in the present: %s", (title) => {
    expect(firmCues(ALLIANCE_SUMMIT, title)).toContain("cancelled");
  });
  it("scrapping something else ahead of the summit is not scrapping it", () => {
    expect(firmCues(ALLIANCE_SUMMIT, "Alliance scraps tariffs ahead of summit")).not.toContain("cancelled");
  });
  it.each([
    ["Alliance summit to be held on 14 May", "2027-05-14"],
    ["The alliance summit is to be held on May 20 in the capital", "2027-05-20"],
    ["Alliance leaders confirm: summit to be held on 2 June", "2027-06-02"],
  ])("a day given as an infinitive: %s", (title, date) => {
    expect(firmClaims(ALLIANCE_SUMMIT, title)).toContainEqual(expect.objectContaining({ cue: "arranged", date }));
  });
  const TRADE = {
    kind: "agreement" as const,
    title: "Norland–Sudmark trade agreement",
    query: "(Norland OR Sudmark) AND trade",
  };
  it.each([
    [TRADE, "Trade talks between Norland and Sudmark resume in Geneva"],
    [TRADE, "Norland–Sudmark trade negotiations open in Lisbon"],
    [MERGER, "Merger talks between Acme and Globex continue on Monday"],
  ])("talks as the subject, under way: %s", (storyline, title) => {
    expect(firmCues(storyline, title)).toContain("negotiating");
  });
  it("talks that could resume are not under way", () => {
    expect(firmCues(TRADE, "Norland–Sudmark trade talks could resume in Geneva")).not.toContain("negotiating");
  });
  it.each([
    "Central bank delivers a quarter-point rate cut in March",
    "Central bank pauses its rate cuts at March meeting",
    "Central bank delivers third straight rate hike",
  ])("a bank's move delivered or paused: %s", (title) => {
    expect(firmCues(BANK, title, "", "2027-03-20T12:00:00Z")).toContain("held");
  });
  it("a move still expected is not delivered", () => {
    expect(firmCues(BANK, "Central bank expected to deliver a rate cut in March")).not.toContain("held");
  });
  it.each([
    ["Central bank holds rate; next review set for 13 May", "2027-05-13"],
    ["Central bank keeps rates on hold, next decision scheduled for 29 April", "2027-04-29"],
  ])("a bank's next sitting named by its review or decision: %s", (title, date) => {
    expect(firmClaims(BANK, title)).toContainEqual(expect.objectContaining({ cue: "arranged", date }));
  });
});

describe("a signing in a headline's passive, parties between an event's noun and its verb", () => {
  const OCEAN = { kind: "agreement" as const, title: "Ocean treaty", query: "ocean AND treaty" };
  it.each(["Ocean treaty signed by 80 nations", "Ocean treaty signed by ministers in New York"])("%s", (title) => {
    expect(firmCues(OCEAN, title)).toContain("signed");
  });
  it("the same words naming the treaty in a body sentence are no signing", () => {
    expect(
      firmClaims(
        OCEAN,
        "Ocean treaty awaits ratification",
        "The ocean treaty signed by 80 nations needs 60 ratifications.",
      )
        .filter((c) => c.sentence === 1)
        .map((c) => c.cue),
    ).not.toContain("signed");
  });
  const PAIR = {
    kind: "event" as const,
    title: "Moreau–Tanaka meeting",
    query: "(Moreau OR Tanaka) AND (meeting OR talks OR summit OR visit)",
  };
  it.each([
    "The meeting between Moreau and Tanaka went ahead in Geneva",
    "Talks between Moreau and Tanaka ended without a joint statement",
    "The summit of Moreau and Tanaka took place in Oslo",
  ])("%s", (title) => {
    expect(firmCues(PAIR, title)).toContain("held");
  });
  it.each([
    "Talks between ministers of Moreau and Tanaka ended",
    "Talks between the envoys of Moreau and Tanaka took place in Oslo",
  ])("envoys between the noun and its verb are not the principals: %s", (title) => {
    expect(firmCues(PAIR, title)).not.toContain("held");
  });
  it("'the end' after a visit is a noun, not the visit ending", () => {
    expect(
      firmCues(PAIR, "Preparations under way for a Moreau visit to Tanaka before the end of the year"),
    ).not.toContain("held");
  });
  it.each([
    ["Norland says the truce with Sudmark is over"],
    ["The truce between Norland and Sudmark has ended"],
    ["Sudmark says the ceasefire with Norland is over"],
  ])("a truce with its sides named, over: %s", (title) => {
    const TRUCE_PAIR = {
      kind: "agreement" as const,
      title: "Norland–Sudmark truce",
      query: "(Norland OR Sudmark) AND (truce OR ceasefire)",
    };
    expect(firmCues(TRUCE_PAIR, title)).toContain("collapsed");
  });
  it.each([
    ["Judge scheduled Quill's sentencing for 4 May at bribery trial", "2027-05-04"],
    ["The trial court scheduled Quill's verdict for June 2", "2027-06-02"],
    ["Quill trial: judge scheduled closing arguments for 9 April", "2027-04-09"],
  ])("a step scheduled for a day: %s", (title, date) => {
    expect(firmClaims(QUILL_TRIAL, title)).toContainEqual(expect.objectContaining({ cue: "arranged", date }));
  });
});

describe("a wish to visit is mooted, not arranged", () => {
  const VISIT = {
    kind: "event" as const,
    title: "Moreau's visit to Tanaka",
    query: "Moreau AND (visit* OR travel OR trip)",
  };
  it.each([
    "Moreau says he wants to visit Tanaka's capital soon",
    "Moreau hopes to travel to Tanaka's capital this year",
    "Moreau would like to visit before the summer, aides say",
  ])("%s", (title) => {
    const arranged = claimsOf(VISIT, title).filter((c) => c.cue === "arranged");
    expect(arranged.length).toBeGreaterThan(0);
    expect(arranged.every((c) => c.certainty < 0.8)).toBe(true);
  });
  it("an invitation to visit is the host's proposal, not an arrangement", () => {
    expect(claimsOf(VISIT, "Tanaka invited Moreau to visit in the spring").map((c) => c.cue)).not.toContain("arranged");
  });
});

describe("the event itself before the day that was read as set", () => {
  const VISIT = {
    kind: "event" as const,
    title: "Moreau state visit to Norland",
    query: "Moreau AND (Norland OR Oslo) AND visit*",
  };
  const scheduled: StoryState = { status: "scheduled", facts: { date: "2027-03-20", place: null } };
  it.each([
    ["Moreau lands in Oslo to begin state visit to Norland", "2027-03-10T12:00:00Z"],
    ["Moreau arrives in Oslo on state visit to Norland", "2027-03-10T12:00:00Z"],
  ])("a visitor landing there is the visit, whatever day was read: %s", (title, at) => {
    const landing = firmClaims(VISIT, title, "", at).find((c) => c.cue === "held");
    expect(landing?.outcome).toBe(true);
    expect(advance("event", scheduled, landing as Claim, at)).toMatchObject({ status: "held" });
  });
  it("a court's ruling is the ruling, even before the day that was read", () => {
    const ruling = firmClaims(QUILL_TRIAL, "Jury finds Quill guilty at bribery trial").find((c) => c.cue === "held");
    expect(advance("event", scheduled, ruling as Claim, NOW)).toMatchObject({ status: "held" });
  });
  it("a bare meeting before the set day stays another meeting", () => {
    const meeting = claim("held", { place: "Oslo" });
    expect(advance("event", scheduled, meeting, NOW)).toBeNull();
  });
  it("a hearing before the set day is another sitting, wherever it is held", () => {
    const hearing = firmClaims(QUILL_TRIAL, "Judges heard arguments on Quill's bail request in Oslo").find(
      (c) => c.cue === "held",
    );
    expect(hearing?.outcome).toBeUndefined();
    expect(advance("event", scheduled, hearing as Claim, NOW)).toBeNull();
  });
});

describe("a deal still to come, talks about a merger, a trial's steps before its verdict, a wish for others", () => {
  const PAIR_TRUCE = {
    kind: "agreement" as const,
    title: "Norland–Sudmark truce",
    query: "(Norland OR Sudmark) AND (truce OR ceasefire OR deal)",
  };
  it.each([
    "Norland and Sudmark will eventually reach a truce deal, envoy says",
    "Mediators are working to strike a truce deal between Norland and Sudmark",
    "Norland and Sudmark set to seal truce deal at weekend talks",
  ])("a deal still to come is not agreed: %s", (title) => {
    expect(firmCues(PAIR_TRUCE, title)).not.toContain("agreed");
  });
  it("sides that decided to seal the deal have sealed it", () => {
    expect(firmCues(PAIR_TRUCE, "Norland and Sudmark decided to seal the truce deal at border talks")).toContain(
      "agreed",
    );
  });
  it.each([
    "Acme and Globex agree to start merger talks",
    "Acme and Globex agree on a timetable for merger negotiations",
    "Acme, Globex reach the merger talks stage",
  ])("talks about a merger are not the merger: %s", (title) => {
    expect(firmCues(MERGER, title)).not.toContain("agreed");
  });
  const VERDICT = {
    kind: "event" as const,
    title: "Verdict in the Quill bribery trial",
    query: "Quill AND (trial OR verdict OR jury)",
  };
  it.each([
    "Quill trial opens in the capital",
    "Quill bribery trial ends with closing arguments; verdict later",
    "Judges open Quill trial in the capital",
  ])("a trial's steps are not the verdict it waits for: %s", (title) => {
    expect(firmCues(VERDICT, title)).not.toContain("held");
  });
  it.each(["Quill trial opens in the capital", "Judges open Quill trial in the capital"])(
    "…but they are the event of a storyline about the trial: %s",
    (title) => {
      expect(firmCues(QUILL_TRIAL, title)).toContain("held");
    },
  );
  it.each([
    "Washington wants Norland and Sudmark to sign a truce deal next month",
    "Mediators want both sides to agree a truce deal by Friday",
  ])("a wish that others act is not their act: %s", (title) => {
    expect(firmCues(PAIR_TRUCE, title).filter((c) => c !== "note")).toEqual([]);
  });
  it.each([
    "Tanaka invited Moreau when the two met in Oslo last October",
    "The leaders last met in Geneva last March, officials recalled",
  ])("a meeting 'last October' is a recollection: %s", (summary) => {
    const PAIR = {
      kind: "event" as const,
      title: "Moreau–Tanaka meeting",
      query: "(Moreau OR Tanaka) AND (meeting OR talks OR met)",
    };
    const held = claimsOf(PAIR, "Moreau and Tanaka to meet again", summary, "2027-07-04T12:00:00Z").filter(
      (c) => c.cue === "held" && c.sentence === 1,
    );
    expect(held.length).toBeGreaterThan(0);
    expect(held.every((c) => c.background)).toBe(true);
  });
});

describe("an election's date confirmed, moved or due; its result won, conceded or proclaimed", () => {
  const ELECTION = {
    kind: "event" as const,
    title: "Norland general election 2027",
    query: "Norland AND (election* OR vote OR polls OR ballot)",
  };
  const RUNOFF = {
    kind: "event" as const,
    title: "Sudmark presidential election and runoff",
    query: "Sudmark AND (election* OR vote OR runoff OR polls OR president*)",
  };
  const LEADERSHIP = {
    kind: "event" as const,
    title: "Green Party leadership contest",
    query: '"Green Party" AND (leader* OR leadership OR ballot OR contest)',
  };
  it.each([
    [ELECTION, "Election commission confirms June 4 date for Norland vote", "arranged"],
    [ELECTION, "Officials confirmed the polling date for Norland's election", "arranged"],
    [LEADERSHIP, "Green Party leadership result due on 12 October", "arranged"],
    [LEADERSHIP, "Green Party says results of the leadership ballot are due on 12 October", "arranged"],
    [ELECTION, "Norland's election moved to June 11", "postponed"],
    [RUNOFF, "Sudmark's runoff moved to May 9 after floods", "postponed"],
  ] as const)("%s", (storyline, title, want) => {
    expect(firmCues(storyline, title)).toContain(want);
  });
  it.each([
    [ELECTION, "Norland election results: conservatives take most seats"],
    [ELECTION, "Ruling party secures a majority in Norland's election"],
    [RUNOFF, "Sudmark's electoral court declares Veld president-elect"],
    [RUNOFF, "Rival concedes to Veld in Sudmark runoff"],
    [RUNOFF, "Sudmark election board proclaims Veld the winner"],
    [LEADERSHIP, "Okoro named Green Party leader"],
  ] as const)("a result: %s", (storyline, title) => {
    expect(firmCues(storyline, title)).toContain("held");
  });
  it.each([
    [ELECTION, "Early voting opens in Norland's general election"],
    [ELECTION, "Postal voting began in Norland's election"],
    [ELECTION, "Ruling party hopes to secure a majority in Norland's election"],
  ] as const)("not yet the vote or its result: %s", (storyline, title) => {
    expect(firmCues(storyline, title)).not.toContain("held");
  });
  it("a result declared the morning after keeps the polls' day", () => {
    const polls: StoryState = { status: "held", facts: { date: "2027-05-03", place: null } };
    const result = claim("held", { note: "result declared", date: "2027-05-04" });
    expect(advance("event", polls, result, "2027-05-04T08:00:00Z")).toMatchObject({
      status: "held",
      facts: { date: "2027-05-03", note: "result declared" },
    });
    // Weeks later, a result (a court's confirmation) has its own day.
    const late = claim("held", { note: "result declared", date: "2027-05-20" });
    expect(advance("event", polls, late, "2027-05-20T08:00:00Z")?.facts.date).toBe("2027-05-20");
  });
});

describe("a deal terminated, a takeover closing or wrapped up, talks resuming at the end of a clause", () => {
  it.each([
    "Acme and Globex mutually terminate merger agreement",
    "Acme and Globex terminate their merger deal after regulators balk",
    "Globex and Acme terminate the merger agreement",
  ])("%s", (title) => {
    expect(firmCues(MERGER, title)).toContain("collapsed");
  });
  it.each([
    "Acme's takeover of Globex closes",
    "Globex shares delisted as Acme deal completes",
    "Acme wraps up Globex acquisition",
    "Acme's acquisition of Globex Corp completes",
  ])("%s", (title) => {
    expect(firmCues(MERGER, title)).toContain("in_force");
  });
  it("a takeover expected to close is not closed", () => {
    expect(firmCues(MERGER, "Acme's takeover of Globex expected to close in the third quarter")).not.toContain(
      "in_force",
    );
  });
  const PORT = {
    kind: "agreement" as const,
    title: "Halden port contract",
    query: "Halden AND (port OR dockworkers) AND (strike OR contract OR union OR talks)",
  };
  it.each([
    "Halden port union suspends strike as talks resume",
    "Halden dockworkers back at work; contract talks continue",
    "Strike paused at Halden port while talks get under way.",
  ])("%s", (title) => {
    expect(firmCues(PORT, title)).toContain("negotiating");
  });
});

describe("a step set to come, a bill that implements a deal", () => {
  it.each([
    "Acme and Globex set to complete merger next week",
    "Acme's Globex takeover due to close on Friday",
    "Acme poised to complete Globex acquisition",
  ])("set to come is not done: %s", (title) => {
    expect(firmCues(MERGER, title)).not.toContain("in_force");
  });
  const FTA = {
    kind: "agreement" as const,
    title: "Norland–Sudmark trade agreement",
    query: "(Norland OR Sudmark) AND trade",
  };
  it.each([
    "Norland passes bill implementing the Sudmark trade agreement",
    "Norland MPs back legislation implementing trade deal with Sudmark",
    "Sudmark publishes regulations implementing its Norland trade pact",
  ])("a bill that implements the deal is not the deal in force: %s", (title) => {
    expect(firmCues(FTA, title)).not.toContain("in_force");
  });
  it("the deal itself implemented is in force", () => {
    expect(firmCues(FTA, "Norland and Sudmark begin implementing their trade agreement")).toContain("in_force");
  });
});

describe("a visitor due somewhere, a visit cut short or off, a summit agreed or on ice, a signing ceremony held", () => {
  const STATE_VISIT = { kind: "event" as const, title: "Moreau state visit to Norland", query: "Moreau AND Norland" };
  const SUMMIT = {
    kind: "event" as const,
    title: "Moreau–Tanaka summit",
    query: "(Moreau OR Tanaka) AND (summit OR meet* OR talks)",
  };
  it.each([
    [STATE_VISIT, "Moreau will be in Norland on June 3 for a state visit", "arranged"],
    [STATE_VISIT, "Moreau will be in Norland from June 3 to 5", "arranged"],
    [STATE_VISIT, "Moreau will be in Norland and Sudmark from June 3 to 5", "arranged"],
    [STATE_VISIT, "Moreau cuts short his state visit to Norland", "held"],
    [STATE_VISIT, "Moreau cut short a trip to Norland after the flood", "held"],
    [STATE_VISIT, "Moreau's trip to Norland is off", "cancelled"],
    [STATE_VISIT, "Moreau's visit to Norland is now off, aides say", "cancelled"],
    [SUMMIT, "Tanaka agrees to summit with Moreau", "agreed"],
    [SUMMIT, "Moreau agreed to a meeting with Tanaka", "agreed"],
    [SUMMIT, "Moreau-Tanaka summit put on ice", "postponed"],
    [SUMMIT, "The Moreau-Tanaka summit is on ice after the spy row", "postponed"],
  ] as const)("%s", (storyline, title, want) => {
    expect(firmCues(storyline, title)).toContain(want);
  });
  it("being in talks is not being somewhere", () => {
    expect(firmCues(SUMMIT, "Moreau will be in talks with Tanaka's aides all week")).not.toContain("arranged");
  });
  const BORDER = {
    kind: "agreement" as const,
    title: "Norland–Sudmark border treaty",
    query: "(Norland OR Sudmark) AND (treaty OR border)",
  };
  it.each([
    "Signing ceremony for Norland-Sudmark border treaty held in Geneva",
    "The ceremony at which Norland and Sudmark signed the border treaty took place in Geneva",
    "Norland-Sudmark border treaty: signing went ahead despite protests",
  ])("%s", (title) => {
    expect(firmCues(BORDER, title)).toContain("signed");
  });
  it.each([
    "Signing ceremony for the border treaty to be held in Geneva on May 5",
    "Norland and Sudmark plan a signing of the border treaty that will take place in Geneva",
    "A ceremony marking ten years of the Norland–Sudmark border treaty was held in Geneva",
  ])("a signing still to come, or a ceremony that is not a signing: %s", (title) => {
    expect(firmCues(BORDER, title)).not.toContain("signed");
  });
});

describe("a trial that ends in a mistrial, talks named as they end", () => {
  it.each([
    "Quill bribery trial ends in mistrial after jury deadlocks",
    "Judge declares mistrial in Quill bribery trial",
    "Mistrial declared in Quill trial over juror misconduct",
  ])("the trial's outcome: %s", (title) => {
    expect(firmCues(QUILL_TRIAL, title)).toContain("held");
  });
  const PLASTICS = { kind: "agreement" as const, title: "Global plastics treaty", query: "plastics AND treaty" };
  it.each([
    "Talks on the plastics treaty collapsed without agreement",
    "Talks on a plastics treaty ended without a text in Geneva",
    "Talks over the plastics treaty stalled again",
  ])("talks named as they end are not talks under way: %s", (title) => {
    expect(firmCues(PLASTICS, title)).not.toContain("negotiating");
  });
  it("talks named as they go on are", () => {
    expect(firmCues(PLASTICS, "Talks on the plastics treaty resume in Geneva")).toContain("negotiating");
  });
});

describe("what these rules must not read (a second reading's counterexamples)", () => {
  const PAIR_TRUCE = {
    kind: "agreement" as const,
    title: "Norland–Sudmark truce",
    query: "(Norland OR Sudmark) AND (truce OR ceasefire OR deal OR prisoners)",
  };
  const ELECTION = {
    kind: "event" as const,
    title: "Norland general election 2027",
    query: "Norland AND (election* OR vote OR polls OR parliament OR seats)",
  };
  const PAIR = {
    kind: "event" as const,
    title: "Moreau–Tanaka meeting",
    query: "(Moreau OR Tanaka) AND (meeting OR talks OR met OR summit)",
  };
  it.each([
    [PAIR_TRUCE, "Norland agrees truce with Sudmark over border villages", "collapsed"],
    [PAIR_TRUCE, "Norland offers to free aid workers in exchange for prisoners", "in_force"],
    [PAIR_TRUCE, "Talks on an exchange of prisoners between Norland and Sudmark stall", "in_force"],
    [PAIR_TRUCE, "Northern truce deal lets Norland farmers renew licences", "note"],
    [QUILL_TRIAL, "Quill defence requests mistrial in bribery trial", "held"],
    [QUILL_TRIAL, "Judge delays start of Quill trial until May", "held"],
    [ELECTION, "Norland MPs took their seats as parliament opened", "held"],
    [ELECTION, "Premier concedes to critics that Norland vote was rushed", "held"],
    [ELECTION, "As Norland's election moved to its final week, rallies grew", "postponed"],
    [PAIR, "The Moreau-Tanaka meeting with reporters was off the record", "cancelled"],
    [ALLIANCE_SUMMIT, "Bare shelves greet alliance summit delegates", "cancelled"],
    [PAIR, "Moreau will be in the spotlight at the Tanaka summit next week", "arranged"],
  ] as const)("%s", (storyline, title, cue) => {
    expect(firmCues(storyline, title)).not.toContain(cue);
  });
  it("a row 'last March' in another clause does not make the meeting a recollection", () => {
    const held = claimsOf(
      PAIR,
      "Moreau and Tanaka met in Oslo on Tuesday, their first talks since a row last March",
      "",
      "2027-03-10T12:00:00Z",
    ).filter((c) => c.cue === "held");
    expect(held.length).toBeGreaterThan(0);
    expect(held[0]?.background).toBe(false);
  });
});
