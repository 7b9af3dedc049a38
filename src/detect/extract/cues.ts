/**
 * Status cues per storyline kind, and the markers that qualify them: negation (with its
 * scope: the clause before the cue), hedges and conditionals, reported speech without a
 * named source, and background (a recollection of something earlier).
 * Patterns run on folded text (lower case, plain quotes and dashes).
 */
import type { StorylineKind } from "../../contracts";
import { OTHER_LANGUAGE_AGREEMENT_CUES, OTHER_LANGUAGE_EVENT_CUES } from "./other-languages";

/** A future or obligation before a verb: "must now be ratified", "is expected to ratify". */
const MODAL_BEFORE =
  /\b(?:must|will|would|should|could|may|might|shall|expected to|needs? to|has to|have to|yet to|is to|are to|(?:set|due|poised|about|on track|slated) to)(?: now| still| soon)?(?: be)?\s+$/;

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
  | "note"
  | "venue_off";

export interface Cue {
  kind: CueKind;
  pattern: RegExp;
  /** Which way a bare weekday points for this cue. */
  tense: "past" | "future";
  /** For `note` cues. */
  note?: string;
  /** When a `note` step moves an agreement: see {@link NoteStep}. */
  step?: NoteStep;
  /** Agreement cues that need a deal noun in the sentence ("signed a law" is not the deal). */
  needsDeal?: boolean;
  /** The storyline must follow this kind of event (its folded title matches). */
  frame?: RegExp;
  /** …and must not be about this (its folded title does not match). */
  notFrame?: RegExp;
  /**
   * The event itself, whatever day was read as set: a visitor landing, a prisoner freed, a
   * court's ruling (a hearing or a bare meeting may be another sitting).
   */
  outcome?: boolean;
  /** Anyone may be its actor: a vote's result or its polls need no party of the storyline before the verb. */
  anyActor?: boolean;
  /** The cue's own words never hedge or negate it ("in talks to buy", "asked the justices to", "pleads not guilty"). */
  firmSpan?: boolean;
  /** Rejects a match by its context (sentence 0 is the title). */
  guard?: (sentence: string, start: number, sentenceIndex: number) => boolean;
  /** The same pattern with the global flag, for scanning every occurrence. */
  global: RegExp;
}

type CueSpec = Omit<Cue, "global"> & { global?: RegExp };

/**
 * When a later step (`note` cue) is news for an agreement. "after signing" (the default):
 * approvals and ratifications matter once the deal is signed, and with nothing before them they
 * imply it. "any stage": a regulator or a court taking the deal on. "opening": a step that with
 * nothing before it opens the talks rather than implying a signed deal (a memorandum); "opening
 * any stage": both (a side's answer to the proposal on the table).
 */
export type NoteStep = "after signing" | "any stage" | "opening" | "opening any stage";

/** What kind of event a storyline follows, read from its title and query (folded). */
const COURT_FRAME =
  /\b(?:court|courts|case|cases|ruling|rulings|judgment|judgments|judgement|judgements|verdict|verdicts|opinion|hearing|hearings|trial|trials|appeal|appeals|lawsuit|justices|judges|tribunal)\b/;
/** What a court's storyline waits for when its title names an outcome, not the sitting. */
const COURT_OUTCOME =
  /\b(?:ruling|rulings|verdict|verdicts|judgment|judgments|judgement|judgements|sentencing|sentence|opinion|decision)\b/;
/** A central bank's decision: its rate, or the bank itself named ("the National Bank's March decision"). */
export const RATE_FRAME =
  /\b(?:rate|rates|monetary|central bank|national bank|reserve bank|bank of|policy meeting|federal funds|rate decision)\b/;
const VISIT_FRAME = /\b(?:visit|visits|trip|tour|state visit|pilgrimage|journey)\b/;
/** A government coalition. */
const COALITION_FRAME = /\b(?:coalition|government|cabinet)\b/;
/** A company deal: the title or query speaks of a merger, an acquisition or a takeover. */
const CORPORATE_FRAME =
  /\b(?:merger|merge|mergers|acquisition|acquisitions|acquire|takeover|buyout|purchase|bid|deal)\b/;
const VOTE_FRAME =
  /\b(?:vote|votes|voting|election|elections|ballot|leadership|conclave|referendum|primary|primaries|runoff|elect|elected|elects)\b/;

/** A labour dispute: a strike, a lockout, a union's contract. */
const MEMBERS =
  "(?:members|membership|workers|employees|staff|machinists|strikers|engineers|attendants|nurses|teachers|doctors|pilots|drivers|dockworkers|longshoremen|rank-and-file|union)";
/** What members vote on: the deal or the offer, up to three words after the verb. */
const LABOUR_DEAL =
  "(?:an? |the |their |its |[\\w-]+'s )?(?:[\\w$.,%'-]+ ){0,3}(?:deal|offer|contract|agreement|proposal|pact)s?";
const LABOUR_FRAME =
  /\b(?:strike|strikes|walkout|lockout|union|unions|labour|labor|contract|workers|dockworkers|machinists|longshore|longshoremen|dockers|stevedores)\b/;

/** The note of a court's ruling delivered: the step a trial's storyline waits for. */
export const RULING_NOTE = "ruling delivered";

/** Frames of events an institution holds by its own act. */
export const INSTITUTIONAL_FRAMES: readonly RegExp[] = [COURT_FRAME, RATE_FRAME, VOTE_FRAME];

/** A storyline about captives released or exchanged, in the plural too. */
const CAPTIVES_FRAME = /\b(?:prisoners?|releases?|swaps?|exchanges?|hostages?|detainees?)\b/;
/** A storyline about a release, an exchange or a detainee. */
export const RELEASE_FRAME = /\b(?:release|released|freed|freedom|prisoner|detainee|hostage|swap|exchange)\b/;
/** An exchange carried out: "swap prisoners", "exchanged 300 captives", "complete the swap". */
const SWAP_CARRIED_OUT =
  /\b(?:(?<!\b(?:an?|the|in|of|for|on|new|possible|proposed|planned|prisoner|first|second|third) )(?:swapped|swaps|swap|exchanged|exchanges|exchange|traded|trades|trade) (?!(?:of|for)\b)(?:\d[\d,]*|dozens of|hundreds of|scores of|several|two|three|four|five|six|seven|eight|nine|ten|more)? ?(?:[\w-]+ ){0,2}(?:prisoners|detainees|hostages|captives|pows)|(?:completed|completes|complete|carried out|carries out|carry out) (?:an? |the |their |its )?(?:[\w-]+ ){0,2}(?:exchange|swap)(?! of fire))\b/;
/** One person going free: freed, released, pardoned, walking free. */
const WALKS_FREE =
  /\b(?:(?:was|were|is|are|been|be|gets|got) (?:finally )?(?:freed|released|pardoned)|(?:pardoned|pardons|pardon) (?:[\w'-]+ ){1,4}|(?:grants?|granted|granting|gives|gave) (?:[\w'-]+ ){0,3}(?:a )?(?:pardon|clemency)|(?:freed|frees|free|released|releases|release)(?! (?:a|an|its|the|their|his|her) (?:statement|report|video|figures|data|footage|photos?|recording|details|list|names)\b) (?:[\w'-]+ ){1,4}|(?:walked|walks|walk) free|(?:after|following|upon) (?:his |her |their |the )?(?:release|freedom)|(?:released|freed) (?:from|after))/;

const EVENT_CUES: CueSpec[] = [
  {
    kind: "venue_off",
    pattern:
      /\b(?:(?:withdr[ae]w|withdraws|pulled out|pulls out) (?:its |their |an |the )?(?:offer |bid )?(?:to host|as hosts?)|(?:will )?no longer (?:host|be held in|take place in)|venue (?:has been |was |is being )?(?:changed|withdrawn|dropped|scrapped))\b/,
    tense: "future",
  },
  {
    kind: "cancelled",
    pattern:
      /\b(?:cancel(?:l?ed|s|lation)?|called off|calls off|scrapped|shelved|(?:scraps|scrap|shelve) (?:(?!(?:ahead|before|after|at|for|over|amid|of|on|in|to|during)\b)[\w'-]+ ){0,3}(?:summit|meeting|visit|trip|talks|vote|conference)s?\b|will not take place|won't take place|not go ahead|(?<=\b(?:summit|meeting|talks|visit|trip|conference|vote)s?(?: (?:to|with|in) [\w'-]+(?: [\w'-]+)?)? )(?:is|are|was|were) (?:now |definitely )?off\b(?! (?:to|and|the record)\b))\b/,
    tense: "future",
  },
  {
    kind: "postponed",
    pattern:
      /\b(?:postpon(?:e|ed|es|ement)|delay(?:ed|s)?|defer(?:red|s)?|pushed back|pushed (?:to|until|into)|put off|slipped|slips (?:to|until|into|back)|did not take place as planned|will not (?:happen|take place|go ahead) on|(?:has|have|had) been moved to|was moved to|(?<=\b(?:summit|meeting|talks|visit|trip|conference|vote|hearing|session|election|ballot|runoff)s? )moved (?:back )?to(?= (?:\d|the \d|(?:january|february|march|april|may|june|july|august|september|october|november|december)\b|next\b|later\b|(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|an? (?:later|new) date))|rescheduled(?! (?:for|to)\b)|(?:put|placed|is|are|was|were|remains?) on (?:hold|ice)|adjourn(?:ed|s)?)\b/,
    tense: "future",
  },
  {
    // Headlines report what happened in the present tense: "X and Y meet in Z".
    kind: "held",
    pattern:
      /\b(?:meet|meets|shake hands|shakes hands|sits? down with|(?:hold|holds) (?:[\w'-]+ ){0,5}(?:talks|meeting|summit|round|negotiations))\b/,
    tense: "past",
    guard: (sentence, start, sentenceIndex) =>
      sentenceIndex !== 0 ||
      /\b(?:to|will|would|could|may|might|should|shall|must|can|not|never|set to|due to|plans? to|expected to|agree(?:s|d)? to|ready to|wants? to|offers? to|seeks? to|hopes? to)\s+(?:[\w']+\s+){0,2}$/.test(
        sentence.slice(Math.max(0, start - 40), start),
      ) ||
      /\b(?:on (?:mon|tues|wednes|thurs|fri|satur|sun)day|next|tomorrow|later|this (?:week|month)|soon)\b/.test(
        sentence.slice(start),
      ) ||
      /\?/.test(sentence),
  },
  {
    kind: "held",
    pattern:
      /\b(?:(?<=\b(?:summit|meeting|talks|conference|session|round)s? (?:[\w'-]+ ){0,3})(?:adopted|adopts|produced|produces|yielded|yields|issued|issues|endorsed|endorses)\b|(?<=\b(?:leaders'? |final |joint |summit )?(?:declaration|communique|communiqué)s? (?:[\w'-]+ ){0,2}(?:was |were |is |has been )?)adopted\b|(?:adopted|adopts|issued|issues) (?:a |an |the |its |their )?(?:[\w'-]+ ){0,2}(?:declaration|communique|communiqué)\b|met|sat down with|held (?:talks|a meeting|a summit|their|a round|the|a|direct|first|second|third|fourth)|hold (?:first|second|third|fourth|their first|direct) |(?:talks|meetings?|summits?|rounds?|negotiations|visits?|conference)\b[^.;]{0,60}\b(?:ended|ends|lasted|concluded|took place|wrapped up|broke up|breaks up|opened|opens|began|begins|kicked off|kicks off|went ahead|goes ahead|got under way|gets under way|convened|were held|was held|(?<!\b(?:will|to|would|could|may|might|should|shall|set to|due to) )(?<!\b(?:the|an?|its|their|his|her) )(?:end|conclude|open|begin|close))|took place|shook hands|(?:talks|negotiations|summit|meeting)s? (?:get|gets|got) under way|(?:opened|opens|open|began|begins|begin|launched|launches|launch) (?:[\w-]+ ){0,2}(?:talks|negotiations|summit) (?:in|at)\b|(?:opened|opens|launched|launches) (?:the |their |a )?(?:[\w-]+ ){0,2}(?:summit|conference)(?= (?:with|by|on|as|amid|to)\b|\s*(?:[,;:]|$))|(?:gathered|gathers|gather|convened|convenes|convene) (?:in|at|for)\b|(?:end|ends|ended|conclude|concludes|concluded|wrap up|wraps up|wrapped up|close|closes|closed) (?:[\w'-]+ ){0,5}(?:summit|talks|meeting|visit|round)|(?:is|are|was|were) being held|(?:talks|meetings?|summits?|rounds?|negotiations|arguments|hearings?) lasting|welcomed (?:[\w']+ ){1,6}(?:to|at)|voted|went to the polls|polls (?:opened|closed)|(?<!\b(?:early|advance|postal|overseas) )voting (?:began|ended|closed)|won (?:the |a |an )?(?:[\w'-]+ ){0,3}(?:election|vote|runoff|ballot|referendum)|(?<=\b(?:after|following) (?:the |their |a |(?:[\w-]+ ){0,2})?)(?:talks|meeting|summit|negotiations)(?= (?:in|at|with|on)\b|\s*$)(?![^.;]{0,40}\b(?:next|later|planned|due|scheduled)\b))\b/,
    tense: "past",
    // "agree to hold a third summit", "will end the talks": not yet held.
    guard: plannedNotDone,
  },
  {
    // What the leaders agreed, signed or announced "at White House talks" says the talks took place.
    kind: "held",
    pattern:
      /(?<=\b(?:agree|agreed|agrees|sign|signed|signs|announce|announced|announces|unveil|unveiled|unveils|pledge|pledged|pledges|hail|hailed|hails|seal|sealed|seals)\b[^.;]{0,60})\bat (?:their |the |a )?(?:[\w'-]+ ){0,3}(?:talks|summit|meeting)\b/,
    tense: "past",
    guard: (sentence, start) =>
      /\b(?:will|would|to|could|may|might|should|expected|set|plans?|planned|hopes?|aims?)\b/.test(
        sentence.slice(clauseStart(sentence, start), start),
      ),
  },
  {
    // A host receiving the other party: the meeting takes place ("X hosts Y for lunch").
    kind: "held",
    pattern:
      /\b(?:hosts|hosted|receives|received|greets|greeted|welcomes) (?!(?:an?|the|his|her|its|their)\b)(?:[\w'-]+ ){1,3}(?:for|at|in|to)\b/,
    tense: "past",
    guard: plannedNotDone,
  },
  {
    // Institutions act by their own verbs, each within its frame (the storyline's title says
    // which): a court rules or hears arguments, a central bank moves its rate, an assembly or
    // an electorate votes. Each reports the sitting held.
    kind: "held",
    frame: COURT_FRAME,
    // The ruling: a sitting of its own, after the hearings.
    pattern: new RegExp(
      `\\b(?:${[
        // ("ground rules", "the new rules": the noun, not the verb.)
        "(?:ruled|(?<!\\b(?:ground|new|the|its|their|his|her|of|procedural|strict|tough|tougher|clear|these|those|such|any|some|house|court) )rules|upheld|upholds|struck down|strikes down|overturned|overturns|sided with)",
        "(?:handed down|hands down|delivered|delivers|issued|issues|read out|read|reads|gave|gives) (?:its |an |a |the |their )?(?:[\\w-]+ ){0,2}(?:ruling|judgment|judgement|verdict|opinion|decision)",
        // The verdict or the sentence itself, said of the defendant.
        "(?:was |were |is |are |been )?(?:convicted|acquitted|sentenced|cleared of (?:all )?(?:charges|wrongdoing))",
        // "found guilty", "finds X not guilty": the verdict, whichever way it goes.
        "(?:found|finds|find) (?:[\\w'-]+ ){0,3}(?:not )?guilty",
        // Headlines drop the verb: "X cleared of racketeering, guilty on two counts". A plea is not a verdict.
        "(?:acquitted|cleared) of (?!the way\\b)",
        "(?<!\\bplead(?:s|ed|ing)? (?:not )?)(?<!\\bpled (?:not )?)guilty (?:on|of) ",
        // A court deciding on arrest warrants put to it. (A judge turning down a request of the
        // defence is a step before the ruling, not the ruling.)
        "(?:issued|issues|issue) (?:an? |the |its )?(?:[\\w-]+ ){0,2}(?:arrest )?warrants?",
        "(?:convicts|acquits|sentences|resentences|re-sentences|jails|jailed)",
        // A trial that ends without a verdict has ended: the outcome the storyline waits for.
        "(?:declared|declares|declare) (?:a )?mistrial|(?:ended|ends|end) in (?:a )?mistrial|mistrial (?:was |is |has been )?declared",
        // The verdict reached or returned, a sentence handed to someone, a bench clearing them.
        "(?:reached|reaches|reach|returned|returns|return) (?:a |an |its |their |the )?(?:[\\w-]+ ){0,2}verdicts?",
        "(?:handed|hands) (?!down\\b)(?:[\\w'-]+ ){1,3}(?:sentence|jail term|prison term|term)",
        "(?<=\\b(?:court|jury|judge|judges|justices|tribunal|panel) )(?:clears|cleared)(?! the way\\b)",
        // A court undoing or commanding: "voids the pay package", "orders X to halt".
        "(?:voided|voids|annulled|annuls|rescinded|rescinds|invalidated|invalidates|quashed|quashes|threw out|throws out)",
        "(?:ordered|orders) (?:[\\w'-]+ ){1,3}to (?!(?:appear|testify|attend|stand|face|return to court)\\b)",
        // "in a 6-3 vote", "ruled 5-4": a bench's split is its ruling.
        "(?:in an? |by an? |by |ruled |rules )(?:\\d|one|two|three|four|five|six|seven|eight|nine)[-–](?:\\d|one|two|three|four)(?: (?:vote|ruling|decision|majority))?",
        "(?:was |were |is |are |been )?(?:resentenced|re-sentenced)",
        "(?:gets|got|given|handed|receives|received) (?:an? )?(?:\\d+|one|two|three|four|five|six|seven|eight|nine|ten|life)[ -](?:years?|months?|year-|month-)",
      ].join("|")})\\b`,
    ),
    tense: "past",
    note: RULING_NOTE,
    outcome: true,
    // "asked that she be sentenced": a sentence still to come. A ruling "ahead of the trial" or
    // at a pretrial conference is a step before the one the storyline waits for.
    guard: (sentence, start) =>
      plannedNotDone(sentence, start) ||
      PRETRIAL.test(sentence) ||
      /\b(?:be|being)\s+$/.test(sentence.slice(Math.max(0, start - 8), start)) ||
      OTHER_COURT.test(sentence.slice(Math.max(0, start - 50), start)),
  },
  {
    kind: "held",
    frame: COURT_FRAME,
    pattern: new RegExp(
      `\\b(?:${[
        "(?:heard|hears) (?:oral )?arguments",
        "(?:appeal|case|arguments|challenge) (?:was |were )?heard",
        "(?:opened|opens|began|begins|begin|start|starts|started) (?:[\\w-]+ ){0,3}(?:hearings?|hearing|sitting|session)",
        "(?:hearings?|arguments|sitting|session) (?:opened|opens|began|begins|started|starts|got under way|gets under way|ended|ends|concluded|concludes|closed|closes)",
        "(?<=\\b(?:after|following) (?:oral |the |its )?)(?:arguments|hearings?)\\b(?! (?:on|next|later|set|scheduled))",
      ].join("|")})\\b`,
    ),
    tense: "past",
    guard: anotherCourtOrPlanned,
  },
  {
    // A trial opening or closing is the event of a storyline about the trial; for one that waits
    // for its verdict or ruling, it is a step before it.
    kind: "held",
    frame: COURT_FRAME,
    notFrame: COURT_OUTCOME,
    pattern:
      /\b(?:(?:opened|opens|open|began|begins|begin|start|starts|started)(?! of\b) (?:[\w-]+ ){0,3}trial|trial (?:opened|opens|began|begins|started|starts|got under way|gets under way|ended|ends|concluded|concludes|closed|closes))\b/,
    tense: "past",
    guard: anotherCourtOrPlanned,
  },
  {
    kind: "held",
    frame: RATE_FRAME,
    pattern:
      /\b(?:(?:raised|lifted|hiked|cut|lowered|reduced|trimmed|held|kept|left|raises|lifts|hikes|cuts|lowers|holds|keeps|leaves) (?:its |the |their )?(?:[\w-]+ ){0,3}(?:interest )?rates?|(?:ended|ends|scrapped|scraps|abandoned|abandons|dropped|drops) (?:its |the |their )?(?:[\w-]+ ){0,3}(?:rates?|rate policy|yield curve control)|(?:announced|announces|unveiled) (?:its |the |their )?(?:[\w-]+ ){0,2}(?:decision|policy decision|rate decision)|(?:delivered|delivers|deliver) (?:its |the |their |an? )?(?:[\w-]+ ){0,2}(?:rate )?(?:cut|hike|increase|reduction)|(?:paused|pauses|pause) (?:its |the |their )?(?:[\w-]+ ){0,2}(?:easing|tightening|rate cuts|rate hikes|cutting cycle|hiking cycle))\b/,
    tense: "past",
    guard: plannedNotDone,
  },
  {
    // A case comes before a court when it is filed or the court is asked to act.
    kind: "proposed",
    frame: COURT_FRAME,
    pattern:
      /\b(?:(?:filed|files|lodged|lodges|submitted|submits|brought|brings) (?:an? |the |their |its )?(?:[\w-]+ ){0,3}(?:appeal|petition|application|challenge|lawsuit|suit|case)|(?:asked|asks|petitioned|petitions|urged|urges) (?:the )?(?:[\w-]+ ){0,2}(?:court|justices|judges))\b/,
    tense: "past",
    firmSpan: true,
    guard: plannedNotDone,
  },
  {
    // An arraignment is held when the defendant enters a plea.
    kind: "held",
    frame: /\b(?:arraignment|arraigned|arraign|plea)\b/,
    pattern:
      /\b(?:(?:pleads|pleaded|pled|plead|enters|entered|enter) (?:a plea of )?(?:not )?guilty|(?:was |were |is |been )?arraigned)\b/,
    tense: "past",
    // "pleads not guilty": the plea's own "not" does not deny the arraignment.
    firmSpan: true,
    guard: plannedNotDone,
  },
  {
    // A release followed as an event: the captor saying it will free the person arranges it.
    kind: "arranged",
    frame: RELEASE_FRAME,
    pattern: /\b(?:will|to|is to|are to|agreed to|agrees to|set to|due to) (?:free|release|hand over)\b/,
    tense: "future",
    // "urges the captors to release him": a wish, not an arrangement.
    guard: (sentence, start) =>
      /\b(?:urges?|urged|calls? on|called on|asks?|asked|demands?|demanded|wants?|wanted|hopes?|hoped|pressed|presses|pushing|pushes|pushed|appeals?|appealed|pleads?|pleaded|seeks?|sought|refuses?|refused|declines?|declined)\b[^.;]{0,50}$/.test(
        sentence.slice(Math.max(0, start - 60), start),
      ),
  },
  {
    // A release followed as an event happens when the person goes free.
    kind: "held",
    frame: RELEASE_FRAME,
    outcome: true,
    pattern: WALKS_FREE,
    tense: "past",
    guard: plannedNotDone,
  },
  {
    kind: "held",
    frame: RELEASE_FRAME,
    outcome: true,
    pattern: SWAP_CARRIED_OUT,
    tense: "past",
    guard: swapPlannedOrRecalled,
  },
  {
    // A visit begins when the visitor arrives.
    kind: "held",
    frame: VISIT_FRAME,
    outcome: true,
    pattern:
      /\b(?:(?:arrived|arrives|landed|lands|touched down|touches down) (?:[\w'-]+ ){0,2}(?:in|at)|(?:departed|departs|left|leaves|set off|sets off|flew|flies) (?:[\w'-]+ ){0,2}for\b|(?:reached|reaches) (?!(?:an?|the|its|their|his|her|agreement|deal|consensus|out|no|some|any|record|[\d$])\b)(?=[a-z])|(?:began|begins|begin|started|starts|start|kicked off|kicks off|opened|opens|wrapped up|wraps up|ended|ends|concluded|concludes) (?:an? |his |her |their |the |its )?(?:[\w'-]+ ){0,3}(?:visit|trip|tour)|(?:cut|cuts|cutting) short (?:an? |his |her |their |the |its )?(?:[\w'-]+ ){0,3}(?:visit|trip|tour))\b/,
    tense: "past",
    guard: plannedNotDone,
  },
  {
    // Someone before a court: the appearance the storyline waits for.
    kind: "held",
    frame: COURT_FRAME,
    pattern:
      /\b(?:(?:appeared|appears) (?:[\w'-]+ ){0,4}(?:before|at|in) (?:the |an? |his |her |its |their )?(?:[\w'-]+ ){0,2}(?:court|judges?|tribunal|hearing|chamber|icc)|made (?:his|her|their|its|an) (?:initial |first )?(?:court )?appearance)\b/,
    tense: "past",
    guard: plannedNotDone,
  },
  {
    kind: "arranged",
    frame: COURT_FRAME,
    pattern:
      /\b(?:to|will|is due to|are due to|is set to|is to|are to) (?:appear (?:before|at|in)|make (?:his|her|their|its|an) (?:initial |first )?(?:court )?appearance)\b/,
    tense: "future",
  },
  {
    kind: "held",
    frame: VOTE_FRAME,
    pattern: new RegExp(
      `\\b(?:${[
        "(?:was|were|is|has been|have been) (?:narrowly |formally )?elected",
        "(?:elected|elects|elect) (?:[\\w'-]+ ){0,8}(?:as )?(?:chancellor|president|prime minister|premier|leader|pope|speaker|chair|chairman|head)",
        "(?:chancellor|president|prime minister|premier|leader|pope|speaker|chair|chairman) (?:is |was |has been )?elected",
        "(?:won|wins) (?:[\\w'-]+ ){0,4}(?:votes?|ballot|leadership|race|contest|runoff|majority|election|confidence|presidency|premiership|chancellorship|mandate|seats?|landslide)(?! (?:nomination|primary|primaries|candidacy|ticket)\\b)",
        "(?:confirmed|confirms|declared|declares|certified|certifies|proclaimed|proclaims) (?:[\\w'-]+ ){0,3}(?:victory|win|winner|result|results|president-elect|prime minister-elect)",
        "(?:announced|announces|declared|declares) (?:the |a )?(?:[\\w-]+ ){0,2}(?:result|results|winners?)",
        // The count finished is the result.
        "(?:completed|completes|complete|finished|finishes|wrapped up|wraps up) (?:the |its |a )?(?:[\\w-]+ ){0,2}(?:count|canvass|tally|vote count)",
        "(?:count|canvass|tally|counting) (?:was |is |has been )?(?:completed|complete|finished|over)",
        "(?:conceded|concedes|concede) (?:defeat|the (?:election|race|vote|contest)|to (?!(?:critics|reporters|journalists|the press|pressure|demands)\\b)(?![\\w'-]+ that\\b))",
        "(?:won|wins|edged|edges|topped|tops|led|leads) (?:the )?(?:first|second|final|opening) (?:round|ballot)",
        "(?:won|wins|win|edged|edges|edge|topped|tops|top) (?:the |a )?(?:[\\w'-]+ )?(?:runoff|run-off)",
        "(?:re-elected|re-elects|re-elect|reelected|reelects|reelect)",
        "(?:took|takes|take|secured|secures|secure) (?:an? (?:[\\w-]+ )?majority|(?:the )?most (?:[\\w-]+ )?seats|\\d+ (?:[\\w-]+ ){0,2}seats)",
        "(?:claimed|claims|claim|claiming|declared|declares|declare|declaring) (?:a |an |the )?(?:[\\w'‘’-]+ ){0,2}(?:win|victory)",
        // A motion's fate is the vote's result: "adopted the censure motion", "the bill was defeated".
        "(?:adopted|adopts|passed|passes|approved|approves|carried|rejected|rejects|defeated|defeats|backed|backs|back) (?:the |a |an |its |their )?(?:[\\w'-]+ ){0,3}(?:motion|bill|resolution)",
        "(?<=\\b(?:motion|bill|resolution)s? (?:[\\w'-]+ ){0,3}(?:was |were |is |has been )?)(?:adopted|passed|carried|approved|rejected|defeated)",
        "(?:government|cabinet|prime minister|premier) (?:was |is )?(?:toppled|ousted|brought down|falls|fell|collapses|collapsed)",
        "(?:toppled|topples|topple|ousted|ousts|oust|brought down|brings down|bring down) (?:the |his |her |its )?(?:[\\w'-]+ ){0,2}(?:government|cabinet|prime minister|premier)",
        "(?:toppled|topples|topple|ousted|ousts|oust) (?:[\\w'-]+ ){1,3}in (?:a |an |the )?(?:[\\w-]+ ){0,2}(?:vote|ballot|motion)",
        "(?:survived|survives|survive) (?:a |an |the |his |her |its |their )?(?:[\\w-]+ ){0,3}(?:votes?|motion|ballot)",
        "(?:named|chosen|picked|confirmed) (?:as )?(?:the )?(?:new )?(?:[\\w'-]+ ){0,2}(?:chancellor|president|prime minister|premier|leader|pope|speaker|chair)(?: (?:after|in|following)\\b|(?=\\s*(?:[,;:.]|$)))",
      ].join("|")})\\b`,
    ),
    tense: "past",
    // The result: the vote's last step, after the polls or a failed ballot.
    note: "result declared",
    anyActor: true,
    guard: plannedNotDone,
  },
  {
    // A party's nomination or primary is its own vote only for a storyline about one; for an
    // election it is a step before it.
    kind: "held",
    frame: /\b(?:nomination|nominations|primary|primaries|caucus|caucuses|candidacy|candidate)\b/,
    pattern: /\b(?:won|wins) (?:[\w'-]+ ){0,4}(?:nomination|primary|primaries|candidacy|caucus)\b/,
    tense: "past",
    note: "result declared",
    anyActor: true,
    guard: plannedNotDone,
  },
  {
    kind: "held",
    frame: VOTE_FRAME,
    pattern: new RegExp(
      `\\b(?:${[
        "(?:failed|fails|fell short|falls short|lost|loses) (?:[\\w'-]+ ){0,4}(?:votes?|ballot|majority|election)",
        "(?:fell|falls|was|were|came|comes) (?:[\\w'-]+ ){0,3}short (?:of )?(?:[\\w'-]+ ){0,3}(?:majority|votes?)",
        "(?:fell|falls|came|comes) (?:[\\w'-]+ ){0,3}votes? short",
        "(?:opened|opens|began|begins) (?:[\\w-]+ ){0,3}(?:conclave|ballot|balloting|vote|voting)",
        "(?<!\\b(?:early|advance|postal|overseas) )(?:conclave|ballot|balloting|vote|voting|count|polls|polling stations) (?:opened|opens|open|began|begins|started|starts|got under way|gets under way|is under way|are under way|ended|ends|concluded|closed|closes|close)",
        "(?:votes|vote|voted|voting) in (?:the |a |an |its |their )?(?:[\\w'-]+ ){0,3}(?:election|referendum|runoff|run-off|ballot|poll|primary|primaries)",
        "exit polls? (?:show|shows|showed|suggest|suggests|suggested|put|puts|gave|gives|point|points|pointed)",
        "exit polls?(?=\\s*:)",
        "(?:lead|leads|led|leading) (?:the )?(?:[\\w'-]+ ){0,2}(?:count|results|tally|vote count|returns)",
      ].join("|")})\\b`,
    ),
    tense: "past",
    anyActor: true,
    guard: plannedNotDone,
  },
  {
    // "The court will hear arguments on 10 January", "the assembly is to convene on 7 May".
    kind: "arranged",
    pattern:
      /\b(?:(?:will|shall|to|is due to|are due to) (?:hear|rule|deliver|issue|announce|decide|vote|convene|elect|sit|deliberate|read|hand down|reconvene)|(?:to be|will be|is to be|are to be|is due to be|are due to be) (?:sentenced|tried|retried|arraigned)|agreed to (?:hear|take up|rule)|(?:to be|will be) (?:announced|declared|unveiled|revealed) (?:on|at)|(?:goes|go|heads|head|headed|going) to (?:a |the )?(?:[\w-]+ ){0,3}(?:runoff|run-off|second round)|(?:hearing|ruling|vote|ballot|arguments?|sitting|session|decision|opinion|election|conclave|meeting|result|results|verdict)s? (?:is |was |are |were |has been |have been )?(?:set|scheduled|slated|fixed|called|planned|due) (?:for|on))\b/,
    tense: "future",
    // "will announce the date at Tuesday's cabinet meeting": the day named is the announcement's.
    guard: (sentence, start) =>
      /^[^.;]{0,30}?\b(?:announce|decide|set|name|fix|reveal|unveil|issue)\w* (?:on )?(?:the |a |its |their )?(?:[\w-]+ ){0,3}(?:date|timing|day|schedule)\b/.test(
        sentence.slice(start),
      ),
  },
  {
    kind: "agreed",
    pattern:
      /\b(?:agree(?:d|s)? to (?:meet|hold|an? meeting|an? summit|meeting|summit|talks|resume)|(?:requiring|required|requires|triggering|triggered|triggers|called|calls) (?:a |an )?(?:[\w-]+ ){0,2}(?:elections?|votes?|referendum|ballot)|accept(?:ed|s)? (?:[\w']+ ){0,4}(?:invitation|proposal|offer)|mutual understanding|agreed in principle|agreed on a meeting|(?<=\b(?:meeting|summit|talks|visit)s? (?:(?!(?:where|which|that|who|when|as|after|while|leaders|sides|they|both|he|she|it|delegates|ministers|has|have|been|was|were|is|are|now)\b)[\w'-]+ ){0,4}(?:(?:has|have|been|was|were|is|are|now) )*)agreed(?! (?:to|on|upon|that|with)\b))\b/,
    tense: "future",
  },
  {
    kind: "proposed",
    pattern:
      /\b(?:propos(?:e|ed|es|al|ing)|offer(?:ed|s)? to (?:hold|host|meet)|offered|invit(?:ed|es|ation)|call(?:ed|s)? for (?:talks|a meeting|a summit|negotiations)|suggest(?:ed|s)?)\b/,
    tense: "future",
  },
  {
    // A side saying it would meet, or working to bring a meeting about, puts one on the table.
    // Its readiness is what is reported, so its own words do not hedge it.
    kind: "proposed",
    pattern:
      /\b(?:(?:ready|willing|prepared|open|eager|keen) to (?:meet|sit down|hold (?:[\w-]+ ){0,2}(?:talks|meeting|summit))|(?:working|seeking|trying|pushing|looking|moving) to (?:set up|arrange|organi[sz]e|secure|broker) (?:an? |the |another )?(?:[\w-]+ ){0,2}(?:meeting|summit|talks|visit))\b/,
    tense: "future",
    firmSpan: true,
  },
  {
    // "Summit to be held in the capital": headlines give a fixed venue as an infinitive. A wish for it
    // ("wants the summit to be held there") is not one.
    kind: "arranged",
    pattern: /\bto be held (?:in|at|on(?! the sidelines))\b/,
    tense: "future",
    guard: (sentence, start) =>
      /\b(?:wants?|wanted|hopes?|hoped|plans?|planned|aims?|seeks?|sought|propos(?:ed|es|e)|suggest(?:ed|s)?|would like|asked|asks|urged|urges|calls? for|called for|prefers?|preferred)\b[^.;]{0,60}$/.test(
        sentence.slice(Math.max(0, start - 70), start),
      ),
  },
  {
    kind: "arranged",
    pattern:
      /\b(?:(?:set|scheduled|planned|slated|due) (?:for|to (?:take place|be held|meet|begin|start|hold))|(?:sets|set|fixes|fixed|fix|schedules|scheduled) (?:[\w.,-]+ ){1,4}for|to host|(?:talks|meeting|summit|round|visit|vote|hearing|session)s? (?:[\w'-]+ ){0,4}will be (?:held )?(?:in|on|at)|are due (?:to meet|in)|is due (?:to meet|in)|due in|will (?:meet|hold|host|take place|be held|gather|take part|attend)|will be in (?!(?:talks|negotiations|touch|charge|power|office|contact|place|force|effect|session|the|a|an|his|her|their|its)\b)[\w'-]+(?: [\w'-]+){0,3} (?=(?:on|from|for|until|next|this|between)\b)|to meet (?:in|on|at)|to hold (?:talks|a|the|their|(?:[\w-]+ ){0,3}(?:talks|summit|meeting|round|visit))|rescheduled (?:for|to)|(?:been|was|were|is|are) (?:scheduled|arranged|fixed)|take place|will send (?:a|its) delegation|will (?:make|pay) (?:a |an |his |her |their )?(?:[\w-]+ ){0,2}visit|will visit|will (?:travel|fly) to|confirm(?:s|ed)? (?:the |a |an |its |their )?(?:[\w-]+ ){0,2}(?:summit|meeting|visit)(?! (?:was|is|will|would|had|has)\b)|(?:summit|meeting|visit|talks) (?:[\w'-]+ ){0,3}will (?:happen|go ahead)|(?<!\b(?:plans?|wishes) )to (?:visit|tour|travel to)\b|to take place|(?:will be|to be) hosted|confirm(?:s|ed)? (?:that )?(?:it |they |[\w-]+ )?(?:will|would) (?:attend|take part|send)|confirm(?:s|ed)? (?:attendance|participation|the (?:date|meeting|summit|talks))|confirm(?:s|ed)? (?:the )?(?:[\w-]+ ){0,3}date (?:for|of)\b|agreed on a date|back on\b(?! track| the table| course| the agenda| hold)|(?:will|would) (?:still |now )?go ahead|(?:is|are) (?:still |now )?going ahead|reinstated)\b/,
    tense: "future",
    // "invited X to visit", "urged him to travel to": the host's proposal or a plea, not a trip fixed.
    guard: (sentence, start) =>
      /^to (?:visit|tour|travel to)\b/.test(sentence.slice(start)) &&
      /\b(?:invit\w*|asked|asks|urged|urges|pressed|presses)\s+(?:[\w'-]+\s+){0,3}$/.test(
        sentence.slice(Math.max(0, start - 50), start),
      ),
  },
];

/** A sentence about the steps before a trial or a hearing. */
const PRETRIAL =
  /\b(?:pre-?trial (?:conference|hearing|motions?|ruling|order|session)s?|ahead of (?:the |a |an |its |his |her |their )?(?:[\w'-]+ ){0,3}(?:trial|hearing|hearings|arguments))\b/;

/** A lower court acting: its ruling is a step before the case the storyline follows. */
const OTHER_COURT =
  /\b(?:appeals?|appellate|district|circuit|lower|trial|regional|state|federal) (?:court|courts|judge|judges|panel)\b[^.;]{0,30}$|\b(?:a|the) (?:federal |lower |trial )?judge\b[^.;]{0,20}$/;

/** A swap still to come, or one recalled as done "before" ("how the two have traded prisoners before"). */
function swapPlannedOrRecalled(sentence: string, start: number): boolean {
  return (
    plannedNotDone(sentence, start) ||
    /^[^.;,]*\b(?:before|in the past|over the years)\s*(?:[,.;:]|$)/.test(sentence.slice(start))
  );
}

/** A court's step still to come, or another court's ("Appeals court upholds the law" under a case before the top court). */
function anotherCourtOrPlanned(sentence: string, start: number): boolean {
  return plannedNotDone(sentence, start) || OTHER_COURT.test(sentence.slice(Math.max(0, start - 50), start));
}

/** Rejects a past-tense cue under a future or an infinitive ("agree to hold", "will end"). */
function plannedNotDone(sentence: string, start: number): boolean {
  if (FUTURE_BEFORE.test(sentence.slice(Math.max(0, start - 40), start))) return true;
  // A present tense with a coming time is a preview: "the MPC cuts Bank Rate this week".
  const word = /^\w+/.exec(sentence.slice(start))?.[0] ?? "";
  return /[^s]s$/.test(word) && COMING_TIME.test(sentence.slice(start + word.length));
}

/** The verbs of coming into force, whose subject is what came into force. */
const TAKES_EFFECT = /^(?:entered|enters|came|comes|went|goes|takes|took|is in|are in|was in|remains? in) /;

/** A decision taken, whose infinitive is what was decided: "voted to end", "decided to call off". */
const DECIDED_TO =
  /\b(?:voted|votes|vote|decided|decides|decide|resolved|resolves|opted|opts|chose|chooses)\s+(?:[\w']+\s+){0,3}to\s+(?:[\w']+\s+)?$/;

/** An infinitive or a future before a verb: what is planned, not what happened. */
const FUTURE_BEFORE =
  /\b(?:to|will|would|could|may|might|should|shall|must|can|set to|due to|plans? to|expected to)\s+(?:[\w']+\s+){0,1}$/;

const DEAL =
  "(?:agreement|deal|accord|treaty|pact|framework|truce|ceasefire|cease-fire|armistice|moratorium|protocol|text|document|memorandum|declaration|draft|arrangement|exchange|swap|merger|acquisition|takeover|buyout|purchase|transaction|bid|combination|tie-up|integration|partnership|offer)";

/** A word between a completion and its object, but not one after which the object is not completed ("shares close higher after the merger"). */
const COMPLETED_OBJECT_WORD =
  "(?:(?!(?:after|on|as|before|at|with|without|in|to|amid|for|higher|lower|up|down|flat)\\b)[\\w$.,-]+ )";

const AGREEMENT_CUES: CueSpec[] = [
  {
    kind: "signing_off",
    pattern:
      /\b(?:signing|ceremony)\b[^.;]{0,60}\b(?:called off|cancel(?:l?ed)|scrapped|collapsed)\b|\b(?:called off|cancel(?:l?ed)|scrapped) (?:the )?(?:planned )?signing\b/,
    tense: "past",
  },
  {
    kind: "collapsed",
    // "sued to block the merger", "moved to end the truce": an attempt, not the end. A body that
    // voted or decided to end it has ended it ("the boards voted to end the talks").
    guard: (sentence, start) =>
      plannedNotDone(sentence, start) && !DECIDED_TO.test(sentence.slice(Math.max(0, start - 40), start)),
    pattern:
      /\b(?:(?:truce|ceasefire|cease-fire|moratorium|armistice|deal|agreement|pause)s? (?:(?:with|between) (?:[\w'-]+ ){1,3}(?:is|was|has|had) |(?:is |was |has |had )?)(?:now )?(?:over|ended|expired|expires|lapsed|lapses)|collaps(?:ed|es|e|ing)|broke down|breaks down|(?:talks|negotiations|discussions) (?:have |had )?(?:break|broken) down|fell apart|falls apart|tore up|tears up|terminat(?:ed|es|ing|e)|(?:ended|ends|end|broke off|breaks off|break off) (?:its |their |the )?(?:[\w-]+ ){0,2}(?:talks|negotiations|discussions)(?: (?:to|with|on|over|for)\b|(?=\s*(?:[,;.]|$)))|(?:ended|ends|ending|end) (?:the |a |its |their )?(?:[\w-]+ ){0,2}(?:truce|ceasefire|cease-fire|coalition)|(?:withdrew|withdraws|withdrawing|pulled out|pulls out|walked away|walks away|walking away) (?:from|of)|(?:walked|walks|walk|walking|stormed|storms|storm) out of (?:the )?(?:[\w-]+ ){0,2}(?:talks|negotiations)|abandon(?:ed|s|ing)?|scrapped|scraps|(?:called off|calls off|call off|calling off)(?! (?:[\w-]+ ){0,2}(?:strikes?|walkouts?|stoppages?|industrial action|lockouts?|protests?)\b)|(?<=\b(?:bid|offer|takeover|tender|merger)s? (?:[\w'-]+ ){0,3}(?:has |have )?)(?:failed|fails|lapsed|lapses|fell short|falls short)|(?:failed|fails) to (?:reach|win|secure|get|attract) (?:the )?(?:required|minimum|needed|necessary)|(?:withdrew|withdraws|withdrawn|withdrawing|dropped|drops) (?:its |the |their )?(?:(?!(?:to|against|challenge|lawsuit|suit|objection|opposition|case)\b)[\w$.,-]+ ){0,3}(?:bid|offer|proposal|takeover|pursuit|approach|merger|acquisition|buyout)|(?:blocked|blocks|block|prohibited|prohibits) (?:the )?(?:[\w$.,'-]+ ){0,4}(?:merger|acquisition|takeover|deal|purchase)(?! (?:temporarily|for now|pending))|(?:quit|quits|leaves|exited|exits|(?:has|have|had) left|left the) (?:the )?(?:[\w-]+ ){0,2}(?:coalition|government|alliance)|(?:ruled|rules|rule|ruling) out (?:an? |any )?(?:(?![\w-]*ing\b)[\w-]+ ){0,2}(?:offer|bid|approach|merger|takeover)|no intention['"‘’]? (?:of|to) (?:making |make |launching |launch )?(?:an? )?(?:bid|offer|bidding|approach))\b/,
    tense: "past",
    needsDeal: true,
  },
  {
    // A side that has stopped considering the deal has given it up ("no longer considering a
    // combination"): the words that would hedge are the cue itself.
    kind: "collapsed",
    pattern: new RegExp(
      `\\bno longer (?:considering|pursuing|interested in|seeking|planning|going ahead with|in talks (?:on|about|over|for)) (?:an? |the |its |any )?(?:[\\w$.,'-]+ ){0,3}${DEAL}\\b`,
    ),
    tense: "past",
    needsDeal: true,
    firmSpan: true,
  },
  {
    kind: "signing_delayed",
    pattern: /\bsigning\b[^.;]{0,40}\b(?:postponed|delayed|pushed back|put off)\b/,
    tense: "past",
  },
  {
    kind: "suspended",
    pattern:
      /\b(?:suspend(?:ed|s|ing)?|paus(?:e|ed|es|ing)|put on hold|froze|frozen|(?:is |are |was |were )?no longer (?:valid|relevant|binding|applicable)|can no longer (?:guide|govern|serve|apply|be applied)|halt(?:ed|s|ing)? (?:the )?(?:[\w$.,-]+ ){0,3}(?:deal|merger|acquisition|takeover|agreement|accord|truce|ceasefire|pact)|(?:preliminary )?injunction|temporarily blocked|blocked (?:[\w$.,-]+ ){0,4}(?:temporarily|for now|pending))\b/,
    tense: "past",
    needsDeal: true,
    // "pause strikes", "suspend attacks": what stops is the fighting or the walkout, which a
    // truce or a deal brings, not the deal itself.
    guard: (sentence, start) =>
      /^\w+ (?:the |their |its |all |further )?(?:[\w-]+ ){0,2}(?:strikes?|walkouts?|fighting|attacks?|hostilities|offensives?|operations|rotating strikes)\b/.test(
        sentence.slice(start),
      ),
  },
  {
    kind: "in_force",
    // An exchange or handover takes effect by being carried out: "freed in a prisoner exchange".
    pattern: new RegExp(
      `\\b(?:(?:entered|enters|came|comes|went|goes) into (?:force|effect)|(?:completed|completes|complete) (?:the |their )?(?:[\\w-]+ ){0,2}(?:disengagement|withdrawal|pullback|pull-back)|(?:snapped|snaps|snap|came|comes|sprang|springs) back into (?:force|effect)|takes effect|took effect|took hold|takes hold|(?:is|are|was|remains?) in (?:force|effect)|now in (?:force|effect)|came into being|(?:put|puts|putting) (?:[\\w-]+ ){0,6}into (?:effect|force)|(?<!\\b(?:bill|bills|legislation|law|laws|act|regulations?|decree|rules|measures) )implement(?:s|ed|ing)(?! (?:bill|bills|legislation|law|laws|act|regulations?|decree|rules|measures)\\b)|being implemented|${DEAL}\\b[^,.;]{0,60}\\b(?:is|was|has been|were|have been) (?:completed|carried out)|(?:completed|carried out) (?:the |an? )?(?:[\\w-]+ ){0,2}${DEAL}|${DEAL}\\b[^,.;]{0,60}\\btook place|(?:freed|released) in (?:an? |the )?(?:[\\w-]+ ){0,3}(?:exchange|swap)|(?:swapped|exchanged|traded) (?:in|at)\\b|(?:completed|completes|complete|closed|closes|close|finali[sz]ed|finali[sz]es|finali[sz]e|wrapped up|wraps up|wrap up) (?:its |the |their |a )?${COMPLETED_OBJECT_WORD}{0,4}(?:acquisition|merger|takeover|purchase|buyout|transaction|sale)|(?:closed|closes) (?:its |the |their |a )?${COMPLETED_OBJECT_WORD}{0,3}deal|(?:acquisition|merger|takeover|purchase|buyout|transaction|deal)(?: of [\\w'-]+(?: [\\w'-]+)?)? (?:has |was |is )?(?:now )?(?:closed|completed|finali[sz]ed|closes|completes)|(?:scheme|acquisition|merger|takeover|transaction)s? (?:of arrangement )?(?:(?:has|is|was|now|becomes|became|become) )*effective|(?:exchange|swap)s? (?:has |have )?(?:begun|began|started|got under way|continued|continues)|(?:truce|ceasefire|cease-fire|moratorium|armistice)s? (?:has |have )?(?:begun|began|begins|started|starts|kicked in|kicks in|got under way|gets under way)|(?:announced|announces) (?:an? |the |its )?(?:[\\w-]+ ){0,2}immediate(?:,? [\\w-]+){0,2} (?:truce|ceasefire|cease-fire)|(?:declared|declares|declare|ordered|orders|order|proclaimed|proclaims) (?:an? |the |its |their )?(?:[\\w'"‘’,-]+ ){0,3}(?:truce|ceasefire|cease-fire|moratorium))\\b`,
    ),
    tense: "past",
    needsDeal: true,
    guard: (sentence, start) =>
      MODAL_BEFORE.test(sentence.slice(Math.max(0, start - 40), start)) ||
      // "the accord orders a ceasefire": a term of a deal, not a side declaring a truce.
      (/^(?:declared|declares|declare|ordered|orders|order|proclaimed|proclaims) /.test(sentence.slice(start)) &&
        DEAL_AS_SUBJECT.test(sentence.slice(0, start).trimStart())) ||
      // "tariffs, half of which took effect": what takes effect must be the deal, named before it.
      (TAKES_EFFECT.test(sentence.slice(start)) && !DEAL_NAMED_BEFORE.test(sentence.slice(0, start))),
  },
  {
    // A company's bid put on the table: proposed.
    kind: "proposed",
    frame: CORPORATE_FRAME,
    pattern:
      /\b(?:(?:launched|launches|launch|made|makes|make|submitted|submits|tabled|tables|lodged|lodges) (?:an? |its |their |the )?(?:[\w$.,-]+ ){0,4}(?:bid|offer|approach|tender offer|proposal)|approached (?:[\w-]+ ){0,3}(?:about|over|with) (?:an? )?(?:[\w-]+ ){0,2}(?:takeover|merger|deal|bid|offer))\b/,
    tense: "past",
    guard: plannedNotDone,
  },
  {
    // A head of state asking a leader to form a government opens the coalition talks.
    kind: "negotiating",
    frame: COALITION_FRAME,
    pattern:
      /\b(?:asked|asks|ask|tasked|tasks|task|invited|invites|mandated|mandates|nominated|nominates|appointed|appoints) (?:[\w'-]+ ){0,4}(?:to form|with forming) (?:an? |the )?(?:[\w-]+ ){0,2}(?:government|coalition|cabinet)\b/,
    tense: "past",
    firmSpan: true,
    guard: plannedNotDone,
  },
  {
    // Prisoners going free is a release or an exchange carried out.
    kind: "in_force",
    frame: CAPTIVES_FRAME,
    pattern:
      /\b(?:freed|frees|free|released|releases|release|handed over|hands over|hand over) (?:\d[\d,]*|dozens of|hundreds of|scores of|several|two|three|four|five|six|seven|eight|nine|ten|more|another|the last|the remaining|all)? ?(?:[\w-]+ ){0,2}(?:prisoners|detainees|hostages|captives|citizens|nationals|soldiers|civilians|pows)\b/,
    tense: "past",
    guard: plannedNotDone,
  },
  {
    kind: "in_force",
    frame: CAPTIVES_FRAME,
    pattern: SWAP_CARRIED_OUT,
    tense: "past",
    guard: swapPlannedOrRecalled,
  },
  {
    // A storyline about one person's release: the person walks free.
    kind: "in_force",
    frame: RELEASE_FRAME,
    pattern: WALKS_FREE,
    tense: "past",
    guard: plannedNotDone,
  },
  {
    // A coalition or government takes effect when it takes office.
    kind: "in_force",
    frame: COALITION_FRAME,
    pattern:
      /\b(?:(?:was|were|is|are|been|be|get|gets|got) sworn in|sworn in|(?:took|takes|take|taking) office|(?:was |were |is |are |been )?(?:elected|confirmed|voted in|installed) (?:as )?(?:the )?(?:new )?(?:prime minister|premier|chancellor|head of government)|(?:was|were|is|are) (?:formally )?(?:appointed|installed|inaugurated)|(?:new )?(?:government|cabinet|coalition) (?:was |is )?(?:formally )?(?:formed|installed|inaugurated|confirmed))\b/,
    tense: "past",
    guard: (sentence, start) => MODAL_BEFORE.test(sentence.slice(Math.max(0, start - 40), start)),
  },
  {
    kind: "note",
    // Members voting to accept what their negotiators brought back ratify it.
    pattern:
      /\b(?:ratif(?:y|ied|ies|ication|ying)|(?:voted|votes|vote) (?:[\w-]+ ){0,2}to (?:accept|approve|ratify|endorse) (?:the |a |an |their |its |[\w-]+'s )?(?:[\w$.,'-]+ ){0,3}(?:contract|offer|deal|agreement|accord|pact|proposal)|(?<=\b(?:members|membership|delegates|rank-and-file|workers|employees|congress) (?:[\w'-]+ ){0,2})(?:approved|approve|approves|backed|back|backs|endorsed|endorse|endorses) (?:the |a |an |their |its |[\w-]+'s )?(?:(?!as|while|amid|after|before|and|but|over)[\w$.,'-]+ ){0,3}(?:contract|offer|deal|agreement|accord|pact|coalition|programme|program|treaty))\b/,
    tense: "past",
    note: "ratified",
    guard: (sentence, start) => MODAL_BEFORE.test(sentence.slice(Math.max(0, start - 40), start)),
  },
  {
    kind: "note",
    // (The plural present names the deal it extends: "extend the truce", not "renew licences".)
    pattern: new RegExp(
      `\\b(?:extended|extends|extension of|prolonged|prolongs|renewed|renews|(?:extend|prolong|renew) (?:the |a |an |its |their )?(?:[\\w-]+ ){0,2}${DEAL}s?)\\b`,
    ),
    tense: "past",
    note: "extended",
    needsDeal: true,
    guard: (sentence, start) => MODAL_BEFORE.test(sentence.slice(Math.max(0, start - 40), start)),
  },
  {
    // A regulator, a court or a party's members clearing the deal: a new fact, not a new status.
    kind: "note",
    pattern: new RegExp(
      `\\b(?:(?:approved|approves|approve|cleared|clears|clear|endorsed|endorses|endorse|backed|backs|back|okayed|okays|greenlit|green-lit|signed off on|waved through|ratified) (?:the |a |an |its |their )?(?:[\\w$.,'-]+ ){0,4}(?:${DEAL}|sale)|(?:won|wins|win|received|receives|receive|got|gets|secured|secures|granted|grants|gave|gives) (?:[\\w-]+ ){0,3}(?:approvals?|clearances?|green light|go-ahead|nods?|early termination)|(?:approval|clearance|green light|go-ahead) (?:for|of) (?:the |its |their )?(?:[\\w$.,'-]+ ){0,4}${DEAL})\\b`,
    ),
    tense: "past",
    note: "approved",
    needsDeal: true,
    // "approved the draft": agreeing a text, not clearing a deal (the agreed cue reads it).
    // "Proxy advisers back the deal": advice before a vote, not the vote.
    guard: (sentence, start) =>
      MODAL_BEFORE.test(sentence.slice(Math.max(0, start - 40), start)) ||
      /\b(?:proxy|advis[eo]rs?|analysts?|commentators?|economists?)\b[^.;]{0,40}$/.test(
        sentence.slice(Math.max(0, start - 60), start),
      ) ||
      /^[^.;]{0,40}?\b(?:draft|text|framework|outline)\b/.test(sentence.slice(start)),
  },
  {
    // A regulator dropping its suit or objection clears the way: the deal stands, watchers want to know.
    kind: "note",
    pattern:
      /\b(?:dropped|drops|drop|withdrew|withdraws|withdraw|abandoned|abandons|ended|ends) (?:its |the |their |a )?(?:[\w-]+ ){0,2}(?:challenge|lawsuit|suit|objection|opposition|case) (?:to|against)\b/,
    tense: "past",
    note: "challenge dropped",
    step: "any stage",
    needsDeal: true,
    guard: (sentence, start) => MODAL_BEFORE.test(sentence.slice(Math.max(0, start - 40), start)),
  },
  {
    // A regulator or a court taking the deal on: a lawsuit to block it, an in-depth review, a
    // filing for approval. The deal stands; watchers of it want to know.
    kind: "note",
    pattern:
      /\b(?:(?:sued|sues|sue|filed (?:a )?(?:law)?suit|files (?:a )?(?:law)?suit|went to court|goes to court|challenged|challenges) (?:[\w$.,'-]+ ){0,4}(?:to block|to stop|over|against)|(?:opened|opens|launched|launches|began|begins|started|starts) (?:an? |its )?(?:[\w-]+ ){0,2}(?:probe|investigation|review|inquiry)|(?:filed|files|submitted|submits) (?:[\w$.,'-]+ ){0,4}(?:application|filing|notification)|(?:imposed|imposes|impose|set|sets) (?:strict |tough |new |several )?(?:conditions|remedies) (?:on|for))\b/,
    tense: "past",
    note: "challenged or under review",
    step: "any stage",
    needsDeal: true,
    guard: (sentence, start) => MODAL_BEFORE.test(sentence.slice(Math.max(0, start - 40), start)),
  },
  {
    // A labour dispute: the members voting down what their negotiators brought back, or the
    // employer's offer, end that deal. (The company turning down the union's demands is talks.)
    kind: "collapsed",
    frame: LABOUR_FRAME,
    pattern: new RegExp(
      `\\b(?:${[
        `(?<=\\b${MEMBERS}\\b[^;]{0,40})(?:voted|votes|vote) (?:[\\w-]+ ){0,2}(?:down|against) ${LABOUR_DEAL}`,
        `(?<=\\b${MEMBERS}\\b[^;]{0,40})(?:rejected|rejects|reject|turned down|turns down|turn down) ${LABOUR_DEAL}`,
        `(?<=\\b(?:deal|offer|contract|agreement|proposal)s? (?:was |were |is |has been |have been )?)(?:rejected|voted down) (?:in|by) (?:an? |the |their )?(?:[\\w'-]+ ){0,2}(?:ballot|vote|members|membership|workers)`,
      ].join("|")})\\b`,
    ),
    tense: "past",
    // "vote down the tentative deal": the deal's own words do not hedge the vote.
    firmSpan: true,
    guard: plannedNotDone,
  },
  {
    // A strike called for a coming day: the dispute escalates, the talks stand open.
    kind: "note",
    frame: LABOUR_FRAME,
    pattern:
      /\b(?:(?:called|calls|call|announced|announces|announce) (?:a |an |another |new |fresh |further |(?:second|third|fourth|fifth) )?(?:[\w-]+ ){0,3}(?:strike|walkout|stoppage)s?|(?:to|will) (?:walk out|strike|stage (?:a |another )?(?:[\w-]+ ){0,2}(?:strike|walkout)))\b/,
    tense: "future",
    note: "strike called",
    step: "opening any stage",
  },
  {
    // A strike or lockout notice served: the dispute escalates, the talks stand open.
    kind: "note",
    frame: LABOUR_FRAME,
    pattern:
      /\b(?:served|serves|serve|issued|issues|issue|gave|gives|give|filed|files|file) (?:an? |its |their |the )?(?:[\w-]+ ){0,2}(?:strike|lockout) notices?\b/,
    tense: "past",
    note: "strike notice served",
    step: "opening any stage",
    guard: plannedNotDone,
  },
  {
    // A labour dispute's own steps, for a storyline about a strike or a contract: a walkout or
    // a lockout begun, a government ordering arbitration or a return to work, the strike ended.
    // The talks stand open through each; each is news.
    kind: "note",
    frame: LABOUR_FRAME,
    pattern:
      /\b(?:(?:went|go|goes|going) on strike|(?<=\b(?:workers|employees|staff|members|attendants|machinists|dockworkers|longshoremen|drivers|nurses|teachers|doctors|crews?|pilots|miners) (?:[\w-]+ )?)(?:strike|strikes)(?! (?:deal|talks|notice|vote|ballot|pay|fund|action plan))|(?:began|begin|begins|started|start|starts|launched|launch|launches|staged|stage|stages) (?:an? |the |their |its )?(?:[\w-]+ ){0,2}(?:strike|walkout|stoppage)|(?:walked|walk|walks) (?:off the job|out)|(?:strike|walkout|stoppage)s? (?:began|begins|started|starts|got under way|gets under way|is under way)|(?:locked|locks) out)\b/,
    tense: "past",
    note: "strike began",
    step: "opening any stage",
    guard: plannedNotDone,
  },
  {
    kind: "note",
    frame: LABOUR_FRAME,
    pattern:
      /\b(?:(?:ordered|orders|order|imposed|imposes|impose|refers|referred|sends|sent) (?:[\w'.-]+ ){0,6}(?:binding arbitration|arbitration|back to work)|back-to-work (?:order|legislation|law|bill)|(?:moved|moves|move) to end (?:the )?(?:[\w'-]+ ){0,2}strike)\b/,
    // The day named is when work resumes ("back to work Saturday").
    tense: "future",
    note: "return to work ordered",
    step: "opening any stage",
    guard: plannedNotDone,
  },
  {
    kind: "note",
    frame: LABOUR_FRAME,
    pattern:
      /\b(?:(?:strike|walkout|stoppage|lockout)s? (?:is |was |are |were )?(?:now )?(?:over|ended|ends|ending)|(?:ended|ends|end|ending|called off|calls off|call off) (?:the |a |an |their |its )?(?:[\w-]+ ){0,3}(?:strike|walkout|stoppage|lockout)|(?:returned|return|returns|returning|went back|go back|goes back) to work)\b/,
    tense: "past",
    note: "strike ended",
    step: "opening any stage",
    guard: plannedNotDone,
  },
  {
    kind: "note",
    pattern:
      /\b(?:settled|settles|reached (?:a |an )?settlement|(?:agreed|agrees) to (?:divest|sell off|dispose of))\b/,
    tense: "past",
    note: "settled with conditions",
    step: "any stage",
    needsDeal: true,
    guard: (sentence, start) => MODAL_BEFORE.test(sentence.slice(Math.max(0, start - 40), start)),
  },
  {
    // A side's answer to a proposal on the table: news at any stage of the negotiation.
    kind: "note",
    pattern:
      /\b(?:rejected|rejects|reject|turned down|turns down|turn down|dismissed|dismisses|rebuffed|rebuffs) (?:the |a |an |their |its )?(?:[\w$.,'-]+ ){0,3}(?:proposal|plan|offer|draft|roadmap|paper|terms|approach|bid)\b/,
    tense: "past",
    note: "proposal rejected",
    step: "opening any stage",
    firmSpan: true,
  },
  {
    kind: "note",
    pattern:
      /\b(?:accepted|accepts|agreed to|agrees to|endorsed|endorses) (?:the |a |an |their |its )?(?:[\w-]+ ){0,3}(?:proposal|plan|offer|roadmap|terms)\b/,
    tense: "past",
    note: "proposal accepted",
    step: "opening any stage",
    firmSpan: true,
    guard: (sentence, start) => MODAL_BEFORE.test(sentence.slice(Math.max(0, start - 40), start)),
  },
  {
    // A bidder improving its terms: news while the bid stands.
    kind: "note",
    pattern:
      /\b(?:raised|raises|sweetened|sweetens|improved|improves|increased|increases|lifted|lifts|boosted|boosts|upped|ups) (?:its |the |their |a |an )?(?:[\w$.,%-]+ ){0,3}(?:offer|bid|proposal)\b/,
    tense: "past",
    note: "offer improved",
    step: "opening any stage",
    frame: CORPORATE_FRAME,
    guard: plannedNotDone,
  },
  {
    kind: "note",
    pattern: /\bsign(?:ed|s)? (?:a |an |the )?(?:\w+ )?(?:memorandum|letter of intent|mou)\b/,
    tense: "past",
    note: "memorandum signed",
    step: "opening",
  },
  {
    kind: "signing_set",
    pattern: new RegExp(
      `\\b(?:(?:to|will|would|shall) (?:not )?sign|(?:will|would|could|may|might|is going to|are going to) (?:\\w+ )?be signed|to be signed|signing (?:is |was )?(?:set|scheduled|planned|expected|due)|signing (?:ceremony )?(?:to take place|will take place|on)|${DEAL}\\b[^,.;]{0,80}?\\b(?:is |are )?(?:to|will|due to) (?:take place|happen|be carried out))\\b`,
    ),
    tense: "future",
    needsDeal: true,
  },
  {
    // "the signing ceremony was held in the capital": the deal signed, said of its ceremony.
    kind: "signed",
    pattern:
      /\b(?:signing(?: ceremony)?|ceremony(?=[^.;]{0,40}\bsign))\b[^.;]{0,60}?\b(?:was held|were held|held|took place|takes place|went ahead|goes ahead)\b/,
    tense: "past",
    needsDeal: true,
    guard: (sentence, start) =>
      plannedNotDone(sentence, start) ||
      /\b(?:to be|will be|would be|to take place|will take place|due to|set to|expected)\b/.test(
        sentence.slice(start, start + 90),
      ),
  },
  {
    kind: "signed",
    pattern: /\b(?:signed|sign|signs|inked|ink|inks|put pen to paper|puts pen to paper)\b/,
    tense: "past",
    needsDeal: true,
    // "signed" or a headline's "sign(s)"; never "to sign", "will be signed", "should ... sign".
    // ("Put pen to paper" is read as its verb: "puts" as "signs", "put" as either.)
    guard: (sentence, start, sentenceIndex) => {
      const first = /^\w+/.exec(sentence.slice(start))?.[0];
      const word = first === "puts" ? "signs" : first === "put" ? (sentenceIndex === 0 ? "sign" : "signed") : first;
      const before = sentence.slice(Math.max(0, start - 60), start);
      if (word !== "signed" && word !== "inked" && sentenceIndex !== 0) return true;
      // "signed an executive order implementing the deal": the thing signed is not the deal.
      if (SIGNED_OTHER.test(sentence.slice(start))) return true;
      // "signs away the islands": gives them up, whatever the paper.
      if (/^\w+ away\b/.test(sentence.slice(start))) return true;
      // "the declaration with its neighbour signed in the capital": a participle naming the deal, not a signing.
      // (A headline drops the auxiliary of its passive: "Treaty signed by 100 countries".)
      if (
        DEAL_BEFORE.test(before) &&
        !/\b(?:has|have|had|was|were|is|are|be|been)\s+$/.test(before) &&
        !(sentenceIndex === 0 && /^signed by\b/.test(sentence.slice(start)))
      )
        return true;
      if (/\b(?:memorandum|letter of intent|mou)\b/.test(sentence.slice(Math.max(0, start - 40), start + 50)))
        return true;
      if (
        /\b(?:be|been|being|to|will|would|shall|should|could|may|might|must|can|than|not)\s+(?:[\w']+\s+){0,5}$/.test(
          before,
        ) &&
        word !== "signed"
      )
        return true;
      return /\b(?:be|been|being|will|would|shall|should|could|may|might|must|not|never|un)\s+$/.test(before);
    },
  },
  {
    // Companies announce a purchase once its agreement is signed: "X to buy Y in $85 billion deal",
    // "X agreed to acquire Y for $14 billion", "X will buy Y".
    kind: "signed",
    pattern:
      /\b(?:(?:agreed|agrees|agree|to|will|is to|announced (?:a |an )?(?:plans? |deal |agreement )?to) (?:buy|acquire|purchase|take over|merge|combine)\b(?=[^.;]{0,80}?(?:[$€£¥]\s?\d|\d[\d.,]*\s?(?:billion|bn|million|mn|trillion)\b| per share\b|\ball-(?:cash|stock)\b|\bdeal\b))|(?:announced|announces|unveiled|unveils|struck|strikes|reached|reaches) (?:an? |the |its )?(?:(?!after|before|following|since|amid|as|over)[\w$.,-]+ ){0,3}(?:merger|acquisition|takeover) (?:deal|agreement)?|(?:agreed|agrees|agree|sealed|seals|seal|clinched|clinches|clinch) (?:an? |the |their |its )?(?:(?!after|before|following|since|amid|as|over|to)[\w$.,-]+ ){0,3}(?:merger|acquisition|takeover|buyout|tie-up|combination)\b(?! (?:talks|negotiations|discussions|terms sheet|in principle)))/,
    tense: "past",
    needsDeal: true,
    frame: CORPORATE_FRAME,
    // "in talks to buy", "seeking to acquire": the purchase is what is sought, not signed.
    guard: (sentence, start) =>
      /\b(?:talks|discussions|negotiations|seeking|seeks|sought|bid|bids|offer|offers|offered|plans|planning|looking|weighing|considering|exploring|approach(?:ed|es)?|attempt|effort|move|hopes?|wants?)\s+$/.test(
        sentence.slice(Math.max(0, start - 30), start),
      ),
  },
  {
    kind: "agreed",
    pattern: new RegExp(
      `\\b(?:agreed (?:on )?(?:the )?(?:terms|text|final|deal|framework)|announc(?:ed|es|e) (?:the |a |an |its |their )?(?:[\\w'"‘’-]+ ){0,3}(?:deal|agreement|accord|truce|ceasefire|cease-fire|moratorium)|(?:reached|reaches|struck|strikes|clinched|clinches|clinch|sealed|seals|seal|hammered out|hammers out|hammer out|nailed down|nails down|nail down|thrashed out|thrashes out|thrash out|brokered|brokers|broker|reach|strike|agree on|agreed|agree|agrees) (?:an? |the |their |its )?(?:[\\w-]+ ){0,2}${DEAL}s?(?! (?:talks|negotiations|discussions)\\b)|approv(?:ed|es|e) (?:the )?(?:[\\w-]+ ){0,2}(?:draft|text|agreement|deal|framework)|(?:adopted|adopts|adopt|gavell?ed through) (?:the |a |an |its |their )?(?:[\\w-]+ ){0,4}(?:${DEAL}|package|goal|convention|resolution)|(?:${DEAL}|package|goal|convention|resolution) (?:was |were |has been |have been |is )?(?:adopted|approved|gavell?ed through)(?! by (?:the )?(?:cabinet|government|parliament|legislature|lawmakers|shareholders|regulators?))|finali[sz]ed|(?:agreed|agree) (?:\\w+ ){0,3}to (?:an? |the )?(?:[\\w-]+ ){0,3}(?:ceasefire|truce|deal|agreement|accord)|(?:completed|completes|complete|concluded|concludes|conclude|wrapped up|wraps up|wrap up|finished|finishes|finish) (?:their |the |its )?(?:[\\w-]+ ){0,2}(?:negotiations|talks)|initial(?:l)?ed (?:the |a |an |their )?(?:[\\w-]+ ){0,3}(?:agreement|deal|accord|text|treaty|pact)|(?:agreed|agrees|agree) to (?:exchange|swap|free|release|return|buy|acquire|merge|purchase|sell|form|govern|halt|stop|end|ensure|eliminate|cease|lift|cut|reduce|lower|remove|implement|honou?r|observe|allow|reopen|withdraw|pull back|pull out)|(?:agreed|agrees|agree) (?:to be acquired|on (?:a|the) (?:[\\w-]+ ){0,3}(?:deal|agreement|coalition|terms))|(?:entered|enters|signed|signs) (?:into )?(?:a |an )?definitive (?:merger )?agreement|(?:presented|presents|present|unveiled|unveils|unveil) (?:the |their |a |its )?(?:[\\w-]+ ){0,2}(?:coalition )?(?:agreement|deal|pact|contract|treaty))\\b`,
    ),
    tense: "future",
    // "will eventually reach a deal", "expected to seal it": still to come. A body that voted or
    // decided to approve it has approved it.
    guard: (sentence, start) =>
      plannedNotDone(sentence, start) && !DECIDED_TO.test(sentence.slice(Math.max(0, start - 40), start)),
  },
  {
    // A conference or a round that ends with a deal, a compromise or a declaration has agreed it.
    kind: "agreed",
    pattern:
      /\b(?:closed|closes|close|ended|ends|end|concluded|concludes|conclude|wrapped up|wraps up|wrap up) with (?:an? |the |its |their )?(?:[\w'"‘’-]+ ){0,3}(?:deal|agreement|compromise|accord|declaration|text|package)\b/,
    tense: "past",
    guard: plannedNotDone,
  },
  {
    kind: "negotiating",
    firmSpan: true,
    pattern:
      /\b(?:(?:in|into|entered|enters|held|holding|holds|hold) (?:early |advanced |exclusive |preliminary |late-stage |detailed )?(?:merger |takeover |acquisition |buyout )?(?:talks|discussions)(?= *[,;.]|$)|(?:in|into|entered|enters|held|holding|holds) (?:early |advanced |exclusive |preliminary |late-stage |detailed )?(?:talks|discussions) (?:to (?:buy|acquire|merge|combine|sell)|(?:on|about|over|for) (?:a |an )?(?:[\w-]+ ){0,2}(?:deal|merger|acquisition|takeover|sale|combination)|for (?:[\w-]+ ){1,3}(?=[^.;]*\b(?:acqui|merg|takeover|deal|buy)))|negotiat(?:e|es|ed|ing|ions?|ors?)|(?:discuss|discusses|discussed|discussing) (?:a |an |the |possible |potential |their )?(?:[\w-]+ ){0,2}(?:merger|acquisition|takeover|combination|tie-up|integration|sale|deal|agreement|accord)|(?:discuss|discusses|discussed|discussing) (?:merging|combining)|agree(?:d|s)? to (?:meet|hold talks|talks|resume talks|work out)|(?:will|to|would) hold (?:\w+ )?talks|talks (?:on|over|about) (?:the|a) (?![^.;]{0,60}\b(?:collapsed|collapse|broke down|break down|ended|end without|failed|fail|stalled|were suspended)\b)|confirm(?:s|ed)? (?:the )?(?:talks|negotiations|contacts)\b|(?:keep|continue|continued|continuing|kept) (?:to )?work(?:ing)? (?:on|with)|work on (?:it|the text|a revised text)|refus(?:ed|es) to sign|turned down|rejects?|rejected|not (?:yet )?ready to sign|(?:began|begin|begins|opened|open|opens|launched|launch|launches|started|start|starts|entered|enter|enters|resumed|resume|resumes|restarted|restart|restarts) (?:formal |direct |exclusive |coalition |trade |peace |[\w-]+ )?(?:negotiations|talks)|(?:pledged|pledges|committed|commits|agreed|agrees|agree) to (?:draft|negotiate|work out|conclude|start work|begin work|start talks|begin talks)|(?:talks|negotiations) (?:would|will|are to|were to) (?:begin|start|open)|(?:return|returned|returns|returning|go back|goes back|went back|head back|heads back|headed back|back) to the (?:bargaining|negotiating) table)\b/,
    tense: "future",
  },
  {
    // Talks as an activity under way: held, continued or resumed, a round of them, a party "in
    // talks with" another, or sides closing in on a deal. (What goes on, not what is reached.)
    kind: "negotiating",
    firmSpan: true,
    pattern:
      /\b(?:(?:close in on|closes in on|closing in on|near|nears|nearing|edge closer to|edges closer to|edging closer to|moved closer to|move closer to|moves closer to) (?:an? |the |their |its )?(?:[\w-]+ ){0,2}(?:deal|agreement|accord|pact|treaty|truce|ceasefire)|(?:hold|holds|held|holding|continue|continues|continued|continuing|conduct|conducts|conducted|conducting|resume|resumes|resumed|resuming) (?:[\w-]+ ){0,3}(?:rounds? of (?:[\w-]+ ){0,2})?(?:talks|negotiations|discussions)|in (?:[\w-]+ ){0,2}(?:talks|negotiations|discussions) (?:with|on|over|about)|(?:talks|negotiations|discussions) (?:(?:between|with) (?:[\w'-]+ ){1,3})?(?:opened|opens|open|began|begins|begin|started|starts|resumed|resumes|resume|got under way|gets under way|get under way|(?:is|are) under way|continued|continues|continue)(?: (?:in|at|on|with)\b|(?=\s*(?:[,;.]|$))))\b/,
    tense: "future",
  },
  {
    kind: "proposed",
    pattern: /\b(?:draft|propos(?:al|ed|es|e)|offer(?:ed|s)?|put forward|presented (?:a|its|the) (?:plan|proposal))\b/,
    tense: "future",
    // "the agreement offered a real chance": what a deal offers is not an offer of a deal.
    guard: (sentence, start) =>
      /^offer/.test(sentence.slice(start)) && DEAL_BEFORE.test(sentence.slice(Math.max(0, start - 40), start)),
  },
];

// Other languages' verbs come last: an English cue of the sentence takes its span first.
EVENT_CUES.push(...OTHER_LANGUAGE_EVENT_CUES);
AGREEMENT_CUES.push(...OTHER_LANGUAGE_AGREEMENT_CUES);
for (const cue of [...EVENT_CUES, ...AGREEMENT_CUES]) cue.global = new RegExp(cue.pattern.source, "g");

export function cuesFor(kind: StorylineKind): Cue[] {
  return (kind === "agreement" ? AGREEMENT_CUES : kind === "event" ? EVENT_CUES : []) as Cue[];
}

const SIGNED_OTHER =
  /^\w+ (?:an? |the |his |her |its )?(?:[\w-]+ ){0,2}(?:order|law|bill|decree|letter|proclamation|memo|legislation)s?\b/;

const DEAL_BEFORE = new RegExp(`\\b${DEAL}s?\\b[^,.;]{0,30}$`);
/** A sentence whose subject is a deal ("The accord says …, orders a ceasefire"). */
const DEAL_AS_SUBJECT = new RegExp(`^(?:the |an? |this |its )?${DEAL}s?\\b[^.;]{0,80}$`);
/** A deal (or "it") named before a verb in the same sentence. */
const DEAL_NAMED_BEFORE = new RegExp(`(?:\\b${DEAL}s?\\b|\\bdeal\\b|\\bit\\b)[^.;]{0,60}$`);

export const DEAL_NOUN = new RegExp(`\\b${DEAL}s?\\b|\\bdeal\\b`);

/** Negators; a negator in the cue's clause, before the cue, turns it around. */
const NEGATOR =
  /\b(?:not|no(?![- ]confidence\b)|never|without|neither|nor|yet to|declined to|refused to|denied|denies|deny|unsigned|stopping short of|stopped short of|n't|none|rule[sd]? out|ruled out|dismissed|rather than|instead of|refus(?:al|ed|es|e|ing))\b|n't\b/;
/** A failure to do the cue's act: "failed to reach a deal" (not a later verb of the clause). */
const FAILED_TO = /\bfail(?:s|ed|ing)? to\s+(?:[\w']+\s+)?$/;

/** Hedges and speculation in the cue's clause. */
/**
 * "may" the modal, not the month: after a preposition ("pushed back to May") it is the month,
 * unless a verb follows ("in May be").
 */
const MODAL_MAY =
  "(?:(?<!\\b(?:to|in|until|till|from|by|since|of|early|mid|late|next|last|this|before|after|on|for) )(?<!\\d(?:st|nd|rd|th)? )may(?! \\d)|may(?= (?:be|have|not|also|still|well|yet|take|come|go|meet|sign|agree|seek|hold|need)\\b))";

const HEDGE = new RegExp(
  `\\b(?:could|${MODAL_MAY}|might|possibl[ey]|probably|likely|perhaps|reportedly|rumou?r(?:s|ed)?|speculat\\w*|i guess|had heard|has heard|thinking about|is thinking|considering|mulling|wants? (?:[\\w'-]+ ){0,4}to|want|hope[sd]? to|would like|ready to|prepared to|willing to|open to|suggest(?:ed|s)?|expect(?:s|ed)?(?! (?:in|on|at)\\b)|potential(?:ly)?|aims? to|seeks? to|should|would be willing|in talks to|not ruled out|idea|floated|in principle|urg(?:e|es|ed|ing)|recommend(?:s|ed|ing|ation|ations)?|tells? \\w+ to|told \\w+ to|call(?:s|ed)? on|press(?:es|ed)? \\w+ to|asks?|asked|demand(?:s|ed)?|accus(?:e|es|ed|ing|ation|ations)|alleg(?:e|es|ed|edly|ing|ation|ations)|blam(?:e|es|ed|ing))\\b`,
);

/** An accusation or allegation that attributes what came before it. */
// (Its own subject after a comma: "rejects the paper, accuses the envoy" is a second act, not an attribution.)
const ALLEGED_AFTER =
  /^[^.;]*(?:,\s+(?:[\w'-]+\s+){1,3}|\b(?:who|which|as)\s+(?:[\w'-]+\s+){0,2})(?:alleg(?:e|es|ed|ing)|accus(?:e|es|ed|ing)|claim(?:s|ed)?)\b/;

/** A condition anywhere in the sentence. */
const CONDITIONAL = /\b(?:if|unless|once|provided that|on condition that|as long as)\b/;

/** Reported without a named source. */
const REPORTED =
  /\b(?:sources? (?:say|said|says|told)|people familiar|person familiar|according to (?:people|sources|reports|media)|reports? (?:say|said|suggest)|a source|diplomatic sources|unnamed|anonymous|citing (?:sources|people)|reports that|media reports)\b/;

/** Recollection of something earlier: words that point back, or (before the cue) a past perfect. */
const BACKGROUND_WORDS =
  /\b(?:earlier (?:this|last|in)|previous(?:ly)?|last (?:week|month|year|time)(?! of)|the (?:last|previous|earlier) (?:round|meeting|summit|talks)|(?<!\b(?:won|wins|edged|edges|topped|tops|led|leads) )the first (?:round|meeting|summit|talks)\b(?![^.;]{0,60}\b(?:for|on|will|would|is set|is due|is scheduled)\b)|was never|were never|an earlier version|a year ago|months ago|weeks ago|in (?:(?:january|february|march|april|may|june|july|august|september|october|november|december) )?(?:19|20)\d\d|since (?:the|their)|recalling|recalled (?:the|that|how|an?))\b/;
const LAST_MONTH = /\blast (?:january|february|march|april|may|june|july|august|september|october|november|december)\b/;
/** "the first tie-up since the 2014 collapse": a cue named after "since" is an earlier event. */
const SINCE_BEFORE = /\bsince\s+(?:[\w'-]+\s+){0,3}$/;
const PLUPERFECT =
  /\bhad (?:been |already )?(?:agreed|signed|met|held|proposed|called|approved|collapsed|rejected|scheduled|planned|announced|expected|set|sought|travelled|come to)\b/;

/** Background that is only a past perfect: after "said" it is reported speech, not a recollection. */
const PLUPERFECT_ONLY = /^(?:(?!\b(?:earlier|previous|last|was never|were never|ago|since)\b).)*$/;

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
/** Where the clause holding position `at` ends ("proposed that they meet in X": the "that" clause belongs to the cue). */
export function clauseEnd(sentence: string, at: number): number {
  for (const m of sentence.matchAll(CLAUSE_BREAK)) if (m.index >= at && m[0] !== "that") return m.index;
  return sentence.length;
}

export function clauseStart(sentence: string, at: number): number {
  let start = 0;
  for (const m of sentence.matchAll(CLAUSE_BREAK)) {
    if (m.index >= at) break;
    start = m.index + m[0].length;
  }
  return start;
}

const OFF_THE_TABLE = /^(?:\s+[\w'-]+){0,2}\s+off the table\b/;

/** A hedge that governs the "that" clause after it: "an 80% chance that", "expect that". */
const HEDGED_THAT =
  /\b(?:chances?|odds|probability|likelihood|bets?|betting|expect(?:s|ed|ation|ations)?|likely|possib(?:le|ility)|risk|fears?|hopes?|speculation|predict(?:s|ed)?|forecasts?|recommend(?:s|ed|ing|ation|ations)?|urg(?:e|es|ed|ing)|propos(?:e|es|ed|al))\b[^.;]{0,40}\bthat\s*$/;

/** A cue in the present tense followed by a coming time: "cuts rates this week", "meets on Thursday" in a preview. */
const COMING_TIME = /^[^.;]{0,60}?\b(?:this (?:week|month|weekend)|tomorrow|next (?:week|month|year)|later this)\b/;

/**
 * `ownWords`: whether the cue's own words may hedge it ("agreed in principle"); talks are
 * under way even when they are talks "to" reach something.
 */
export function qualify(sentence: string, cueStart: number, cueEnd: number, ownWords = true): Qualifiers {
  const from = clauseStart(sentence, cueStart);
  const clause = sentence.slice(from, cueStart);
  const reportedSpeech = /\b(?:said|says|told|added|announced)\b/.test(sentence.slice(0, cueStart));
  return {
    // "took the June vote off the table": withdrawn, said after the thing withdrawn.
    negated:
      NEGATOR.test(clause) ||
      FAILED_TO.test(sentence.slice(Math.max(0, cueStart - 30), cueStart)) ||
      OFF_THE_TABLE.test(sentence.slice(cueEnd)),
    hedged:
      HEDGE.test(clause + (ownWords ? sentence.slice(cueStart, cueEnd) : "")) ||
      HEDGED_THAT.test(sentence.slice(0, from)) ||
      // "…; the deal collapsed, rebels allege": an accusation attributed after the fact.
      ALLEGED_AFTER.test(sentence.slice(cueEnd)) ||
      (HEDGE.test(sentence.slice(cueEnd, cueEnd + 12).replace(/^[^\s]*\s/, "")) &&
        !/^\s*(?:a|an|the)\s+(?:possible|potential)\b/.test(sentence.slice(cueEnd))),
    // "…if the talks fail", and "once the parent closes the buyout": a condition after the cue, or one it is part of.
    conditional:
      CONDITIONAL.test(sentence.slice(cueStart)) ||
      /\b(?:if|unless|once(?! again| more))\s+(?:[\w'$.,-]+\s+){0,4}$/.test(clause),
    reported: REPORTED.test(sentence),
    background:
      BACKGROUND_WORDS.test(sentence) ||
      // "met in the capital last October": a month gone by, in the cue's own clause.
      LAST_MONTH.test(sentence.slice(from, clauseEnd(sentence, cueEnd))) ||
      SINCE_BEFORE.test(clause) ||
      // "Weeks after he cancelled the summit, ...": a clause opened by "after" recalls what came
      // before ("after arguments", a bare noun, is no clause).
      (/\bafter$/.test(sentence.slice(0, from)) && /\w/.test(clause)) ||
      // "the cancelled letter": a participle naming a thing, not an act being reported.
      (/(?:\b(?:the|a|an|this|that|its|his|her|their|for|of)|'s)\s+$/.test(
        sentence.slice(Math.max(0, cueStart - 8), cueStart),
      ) &&
        /^[\w-]+ed$/.test(sentence.slice(cueStart, cueEnd))) ||
      (PLUPERFECT.test(sentence.slice(0, cueEnd)) && !(reportedSpeech && PLUPERFECT_ONLY.test(sentence))),
  };
}

/** "no date has been set", "gave no date", "did not say when": the sentence denies a date. */
export const DATE_DENIED =
  /\b(?:no\b[^.;]{0,40}\b(?:date|time|timing|when|day)|(?:date|time|timing)\b[^.;]{0,30}\b(?:not (?:yet )?(?:been )?(?:set|fixed|agreed|announced|confirmed|decided|given)|yet to be (?:set|fixed|agreed|decided|announced))|(?:gave|give|given) no (?:date|time)|without (?:a |setting a |giving a )?(?:date|time)|(?:not|declined to|did not|didn't) (?:say|said|saying|specify|specified|disclose|give) when)\b/;
/** "no venue has been chosen", "denied reports that a venue had been chosen", "did not say where". */
export const PLACE_DENIED =
  /\b(?:no\b[^.;]{0,40}\b(?:venue|place|location|where)|(?:venue|location)\b[^.;]{0,30}\b(?:not (?:yet )?(?:been )?(?:set|chosen|agreed|announced|confirmed|decided)|yet to be (?:set|chosen|agreed|decided))|denied (?:reports|claims)? ?(?:that )?(?:a |the )?(?:venue|location)|(?:not|declined to|did not|didn't) (?:say|said|saying|specify|specified|disclose) (?:when or )?where)\b/;
