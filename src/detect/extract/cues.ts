/**
 * Status cues per storyline kind, and the markers that qualify them: negation (with its
 * scope: the clause before the cue), hedges and conditionals, reported speech without a
 * named source, and background (a recollection of something earlier).
 * Patterns run on folded text (lower case, plain quotes and dashes).
 */
import type { StorylineKind } from "../../contracts";

/**
 * What a cue says happened. Besides the statuses of ../shared/fixtures/FORMAT.md:
 * `arranged` (a meeting fixed: scheduled with a date, agreed without), `signing_set`
 * (agreement: a signing announced, so agreed), `signing_off` (a planned signing called off),
 * `signing_delayed`, and `note` (ratified, extended, memorandum signed).
 */
export type CueKind =
  | "proposed"
  | "agreed"
  | "arranged"
  | "postponed"
  | "cancelled"
  | "held"
  | "negotiating"
  | "signing_set"
  | "signing_off"
  | "signing_delayed"
  | "signed"
  | "in_force"
  | "suspended"
  | "collapsed"
  | "note";

export interface Cue {
  kind: CueKind;
  pattern: RegExp;
  /** Which way a bare weekday points for this cue. */
  tense: "past" | "future";
  /** For `note` cues. */
  note?: string;
  /** Agreement cues that need a deal noun in the sentence ("signed a law" is not the deal). */
  needsDeal?: boolean;
}

const EVENT_CUES: Cue[] = [
  {
    kind: "cancelled",
    pattern:
      /\b(?:cancel(?:l?ed|s|lation)?|called off|calls off|scrapped|will not take place|won't take place|not go ahead)\b/,
    tense: "future",
  },
  {
    kind: "postponed",
    pattern:
      /\b(?:postpon(?:e|ed|es|ement)|delay(?:ed|s)?|pushed back|put off|slipped|did not take place as planned|will not (?:happen|take place|go ahead) on|(?:has|have|had) been moved to|was moved to|rescheduled)\b/,
    tense: "future",
  },
  {
    kind: "held",
    pattern:
      /\b(?:met|held (?:talks|a meeting|a summit|their|a round|the|a|direct|first|second|third|fourth)|hold (?:first|second|third|fourth|their first|direct) |(?:talks|meeting|summit|round|negotiations)\b[^.;]{0,60}\b(?:ended|ends|lasted|concluded|took place|wrapped up|opened|began|were held|was held)|took place)\b/,
    tense: "past",
  },
  {
    kind: "proposed",
    pattern:
      /\b(?:propos(?:e|ed|es|al|ing)|offer(?:ed|s)? to (?:hold|host|meet)|offered|invit(?:ed|es|ation)|call(?:ed|s)? for (?:talks|a meeting|a summit|negotiations)|suggest(?:ed|s)?)\b/,
    tense: "future",
  },
  {
    kind: "agreed",
    pattern:
      /\b(?:agreed to (?:meet|hold|a meeting|a summit|talks|resume)|accept(?:ed|s)? (?:the |an |a |his |her |their )?(?:\w+'s )?(?:invitation|proposal|offer)|mutual understanding|agreed in principle|agreed on a meeting)\b/,
    tense: "future",
  },
  {
    kind: "arranged",
    pattern:
      /\b(?:(?:set|scheduled|planned|slated|due) (?:for|to (?:take place|be held|meet|begin|start|hold))|are due (?:to meet|in)|is due (?:to meet|in)|due in|will (?:meet|hold|host|take place|be held|gather|take part|attend)|to meet (?:in|on|at)|to hold (?:talks|a|the|their)|will send (?:a|its) delegation|would (?:go|travel) to|will travel to|confirm(?:s|ed)? (?:that )?(?:it |they |ukraine |russia )?(?:will|would) (?:attend|take part|send)|confirm(?:s|ed)? (?:attendance|participation|the (?:date|meeting|summit|talks))|agreed on a date)\b/,
    tense: "future",
  },
];

const DEAL =
  "(?:agreement|deal|accord|treaty|pact|framework|truce|ceasefire|cease-fire|armistice|protocol|text|document|memorandum)";

const AGREEMENT_CUES: Cue[] = [
  {
    kind: "collapsed",
    pattern:
      /\b(?:collaps(?:ed|es|e)|broke down|breaks down|fell apart|falls apart|tore up|tears up|terminat(?:ed|es)|ended the (?:truce|ceasefire)|(?:withdrew|withdraws|pulled out|pulls out) (?:from|of))\b/,
    tense: "past",
    needsDeal: true,
  },
  {
    kind: "signing_off",
    pattern:
      /\b(?:signing|ceremony)\b[^.;]{0,60}\b(?:called off|cancel(?:l?ed)|scrapped|collapsed)\b|\b(?:called off|cancel(?:l?ed)|scrapped) (?:the )?(?:planned )?signing\b/,
    tense: "past",
  },
  {
    kind: "signing_delayed",
    pattern: /\bsigning\b[^.;]{0,40}\b(?:postponed|delayed|pushed back|put off)\b/,
    tense: "past",
  },
  {
    kind: "suspended",
    pattern: /\b(?:suspend(?:ed|s)?|paused?|put on hold|froze|frozen)\b/,
    tense: "past",
    needsDeal: true,
  },
  {
    kind: "in_force",
    pattern:
      /\b(?:(?:entered|enters|enter|came|come|comes|coming|went|go|goes) into (?:force|effect)|tak(?:e|es|ing) effect|took effect|took hold|takes hold|in force)\b/,
    tense: "past",
    needsDeal: true,
  },
  { kind: "note", pattern: /\bratif(?:y|ied|ies|ication|ying)\b/, tense: "past", note: "ratified" },
  { kind: "note", pattern: /\b(?:extended|extends|extension of)\b/, tense: "past", note: "extended", needsDeal: true },
  {
    kind: "note",
    pattern: /\bsign(?:ed|s)? (?:a |an |the )?(?:\w+ )?(?:memorandum|letter of intent|mou)\b/,
    tense: "past",
    note: "memorandum signed",
  },
  {
    kind: "signing_set",
    pattern:
      /\b(?:(?:to|will|would|shall) sign|will be signed|to be signed|signing (?:is |was )?(?:set|scheduled|planned|expected|due)|signing (?:ceremony )?(?:to take place|will take place|on))\b/,
    tense: "future",
    needsDeal: true,
  },
  { kind: "signed", pattern: /\b(?:signed|sign|signs|signing of)\b/, tense: "past", needsDeal: true },
  {
    kind: "agreed",
    pattern: new RegExp(
      `\\b(?:agreed (?:on )?(?:the )?(?:terms|text|final|deal|framework)|(?:reached|struck|clinched|sealed|reach|strike|agree on) (?:an? |the )?(?:[\\w-]+ ){0,2}${DEAL}|approv(?:ed|es|e) (?:the )?(?:[\\w-]+ ){0,2}(?:draft|text|agreement|deal|framework)|finali[sz]ed|agreed to (?:an? |the )?(?:[\\w-]+ ){0,2}(?:ceasefire|truce|deal|agreement))\\b`,
    ),
    tense: "future",
  },
  {
    kind: "negotiating",
    pattern:
      /\b(?:negotiat(?:e|es|ed|ing|ions?|ors?)|talks (?:on|over|about) (?:the|a) |(?:keep|continue|continued|continuing|kept) (?:to )?work(?:ing)? (?:on|with)|work on (?:it|the text|a revised text)|refus(?:ed|es) to sign|turned down|rejects?|rejected|not (?:yet )?ready to sign)\b/,
    tense: "future",
  },
  {
    kind: "proposed",
    pattern: /\b(?:draft|propos(?:al|ed|es|e)|offer(?:ed|s)?|put forward|presented (?:a|its|the) (?:plan|proposal))\b/,
    tense: "future",
  },
];

export function cuesFor(kind: StorylineKind): Cue[] {
  return kind === "agreement" ? AGREEMENT_CUES : kind === "event" ? EVENT_CUES : [];
}

export const DEAL_NOUN = new RegExp(`\\b${DEAL}s?\\b|\\bdeal\\b`);

/** Negators; a negator in the cue's clause, before the cue, turns it around. */
const NEGATOR =
  /\b(?:not|no|never|without|neither|nor|yet to|declined to|refused to|denied|denies|deny|unsigned|stopping short of|stopped short of|n't|none|rule[sd]? out|ruled out|dismissed)\b|n't\b/;

/** Hedges and speculation in the cue's clause. */
const HEDGE =
  /\b(?:could|may|might|possibl[ey]|probably|likely|perhaps|reportedly|rumou?r(?:s|ed)?|speculat\w*|i guess|had heard|has heard|thinking about|is thinking|considering|mulling|wants? to|want|hope[sd]? to|would like|ready to|prepared to|willing to|open to|suggest(?:ed|s)?|expected to|is expected|are expected|was expected|were expected|potential(?:ly)?|tentative(?:ly)?|aims? to|seeks? to|should|would be willing|in talks to|not ruled out|idea|floated)\b/;

/** A condition anywhere in the sentence. */
const CONDITIONAL = /\b(?:if|unless|once|provided that|on condition that|as long as)\b/;

/** Reported without a named source. */
const REPORTED =
  /\b(?:sources? (?:say|said|says|told)|people familiar|person familiar|according to (?:people|sources|reports|media)|reports? (?:say|said|suggest)|a source|diplomatic sources|unnamed|anonymous|citing (?:sources|people)|reports that|media reports)\b/;

/** Recollection of something earlier: a past perfect, or words that point back. */
const BACKGROUND =
  /\b(?:had (?:been |already )?(?:agreed|signed|met|held|proposed|called|approved|collapsed|rejected|scheduled|planned|announced|expected|set)|earlier (?:this|last|in)|previous(?:ly)?|last (?:week|month|year|time)|the (?:first|last|previous|earlier) (?:round|meeting|summit|talks)|was never|were never|an earlier version|a year ago|months ago|weeks ago|in (?:19|20)\d\d|since (?:the|their)|had travelled|had come to|had sought)\b/;

/** Reported speech, to skip "said on Sunday" when looking for the event's date. */
export const REPORT_DATE_BEFORE =
  /\b(?:said|says|say|told (?:\w+ ){0,2}|announced|proposed|confirmed|indicated|added|stated|declared|decided|wrote|posted|urged|late|early|statement|call|phone call|spoke|speaking|briefing|address|interview)\s*(?:\w+\s){0,1}(?:on|late on|early on|late|early)?\s*$/;

export interface Qualifiers {
  negated: boolean;
  hedged: boolean;
  conditional: boolean;
  reported: boolean;
  background: boolean;
}

const CLAUSE_BREAK = /(?:[,;:]|\s-\s|\bbut\b|\bwhile\b|\balthough\b|\bthat\b|\bas\b|\bafter\b|\bwhich\b|\bbecause\b)/g;

/** Where the clause holding position `at` begins. */
function clauseStart(sentence: string, at: number): number {
  let start = 0;
  for (const m of sentence.matchAll(CLAUSE_BREAK)) {
    if (m.index >= at) break;
    start = m.index + m[0].length;
  }
  return start;
}

export function qualify(sentence: string, cueStart: number, cueEnd: number): Qualifiers {
  const clause = sentence.slice(clauseStart(sentence, cueStart), cueStart);
  const cueText = sentence.slice(cueStart, cueEnd);
  const cueNegated =
    /\b(?:did not|will not|won't|not)\b/.test(cueText) &&
    !/did not take place|will not (?:happen|take place|go ahead)/.test(cueText);
  return {
    negated: NEGATOR.test(clause) || cueNegated,
    hedged: HEDGE.test(clause) || HEDGE.test(sentence.slice(cueEnd, cueEnd + 12).replace(/^[^\s]*\s/, "")),
    conditional: CONDITIONAL.test(sentence.slice(cueStart)),
    reported: REPORTED.test(sentence),
    background: BACKGROUND.test(sentence),
  };
}

/** "no date has been set", "gave no date", "did not say when": the sentence denies a date. */
export const DATE_DENIED =
  /\b(?:no\b[^.;]{0,40}\b(?:date|time|timing|when|day)|(?:date|time|timing)\b[^.;]{0,30}\b(?:not (?:yet )?(?:been )?(?:set|fixed|agreed|announced|confirmed|decided|given)|yet to be (?:set|fixed|agreed|decided|announced))|(?:gave|give|given) no (?:date|time)|without (?:a |setting a |giving a )?(?:date|time)|(?:not|declined to|did not|didn't) (?:say|said|saying|specify|specified|disclose|give) when)\b/;
/** "no venue has been chosen", "denied reports that a venue had been chosen", "did not say where". */
export const PLACE_DENIED =
  /\b(?:no\b[^.;]{0,40}\b(?:venue|place|location|where)|(?:venue|location)\b[^.;]{0,30}\b(?:not (?:yet )?(?:been )?(?:set|chosen|agreed|announced|confirmed|decided)|yet to be (?:set|chosen|agreed|decided))|denied (?:reports|claims)? ?(?:that )?(?:a |the )?(?:venue|location)|(?:not|declined to|did not|didn't) (?:say|said|saying|specify|specified|disclose) (?:when or )?where)\b/;
