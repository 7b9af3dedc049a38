/**
 * Sentence-level extraction: for each sentence of an item's title, summary and content,
 * the status cues it carries for the storyline's kind, each with the date and place it
 * names, its polarity, certainty and whether it is background; plus the dates and places
 * the item mentions at all (for clustering by shared facts).
 */
import type { StorylineKind, StorylineRecord } from "../../contracts";
import { type Anchors, compileAnchors, groupsHitBy, groupTerms, type Node } from "../anchors";
import { fold, splitSentences } from "../text";
import { AGENT_NOUN, actsInOwnRight } from "./agents";
import {
  type Cue,
  type CueKind,
  clauseEnd,
  clauseStart,
  cuesFor,
  DATE_DENIED,
  DEAL_NOUN,
  INSTITUTIONAL_FRAMES,
  type NoteStep,
  PLACE_DENIED,
  qualify,
  RATE_FRAME,
  RELEASE_FRAME,
  RULING_NOTE,
} from "./cues";
import { CALENDAR_WORDS, findDates, lastLocalDay, MONTHS } from "./dates";
import { DEMONYMS, PLACE_ALIASES, PLACES, within } from "./gazetteer";
import { findParticipants, findPlaces, mostSpecific, type PlaceMention } from "./places";
import { namesPrincipal, type Principals, storylinePrincipals } from "./principals";

export interface ExtractContext {
  kind: StorylineKind;
  anchors: Anchors;
  /** The storyline's principals (declared, and the parties its title names): countries and named parties. */
  participants: Set<string>;
  /** Folded alias → principal, for principals named other than as countries. */
  participantAliases?: Record<string, string>;
  /** Places named in the storyline's title. */
  titlePlaces?: Set<string>;
  /** Storyline aliases of places, folded alias → place name. */
  placeAliases?: ReadonlyMap<string, string>;
  /** Named principals (people, parties, companies) with their folded aliases: a meeting held is theirs. */
  people?: Principals["named"];
  /** Every named principal that is not a country (the one a trial or a deal is about). */
  named?: Principals["named"];
  /** The storyline's title, folded: which frames of cues apply (a court's, a vote's, a visit's). */
  frameText?: string;
  /**
   * Query groups made only of calendar words ("September OR Sept*"), as the months and years they
   * name: news published then speaks of that time without saying so ("Fed cuts rates").
   */
  calendarGroups?: Array<{ index: number; months: Set<number>; years: Set<number> }>;
  /** The time the title pins the event to ("January 2025 policy meeting"), as [first, last] ISO days. */
  titleWindow?: [string, string] | null;
  /** What the title says of the event, read once per storyline rather than per item. */
  frame: TitleFrame;
  /**
   * The query groups that say what the storyline is about (neither names nor calendar words):
   * an arrangement must name them in its own clause.
   */
  topicalGroups: readonly number[];
}

/** Readings of a storyline's title that every item's reading consults. */
export interface TitleFrame {
  /** The cues of the storyline's kind whose frame the title matches. */
  cues: Cue[];
  /** A court, a central bank or an electorate acts: its sitting may be named by its noun. */
  institutional: boolean;
  /** …and the title is not about a meeting: someone meeting someone is not the sitting. */
  institutionalOnly: boolean;
  /** A national vote's country (named or by demonym), its place unless a report names a narrower one. */
  voteCountry: string | null;
  /** A visit's destination, when the title names one country: a place outside it is not the visit's. */
  visitCountry: string | null;
  /** Words that name the storyline's event because of what its title follows (a trial's steps, a release's verbs). */
  eventWords: readonly RegExp[];
}

function titleFrameOf(kind: StorylineKind, folded: string, places: Set<string>): TitleFrame {
  const institutional = INSTITUTIONAL_FRAMES.some((f) => f.test(folded));
  return {
    cues: cuesFor(kind).filter((cue) => (!cue.frame || cue.frame.test(folded)) && !cue.notFrame?.test(folded)),
    institutional,
    institutionalOnly: institutional && !MEETING_WORDS.test(folded),
    voteCountry: kind === "event" && VOTE_TITLE.test(folded) ? titleCountry(folded, places) : null,
    visitCountry: kind === "event" && VISIT_TITLE.test(folded) ? titleDestination(places) : null,
    eventWords: FRAME_NAMED.filter(([title]) => title.test(folded)).map(([, named]) => named),
  };
}

/** Query groups made only of months, years, day numbers and words of time. */
function calendarGroupsOf(anchors: Anchors): NonNullable<ExtractContext["calendarGroups"]> {
  const out: NonNullable<ExtractContext["calendarGroups"]> = [];
  anchors.groups.forEach((group, index) => {
    const words = groupTerms(group).flat();
    if (words.length === 0) return;
    const months = new Set<number>();
    const years = new Set<number>();
    for (const word of words) {
      if (word in MONTHS) months.add(MONTHS[word] as number);
      else if (/^(?:19|20)\d\d$/.test(word)) years.add(Number(word));
      else if (!/^\d{1,2}(?:st|nd|rd|th)?$/.test(word) && !CALENDAR_WORDS.has(word)) return;
    }
    if (months.size > 0 || years.size > 0) out.push({ index, months, years });
  });
  return out;
}

/** The whole of the months from `from` to `to` (1–12) of a year. */
function monthsWindow(year: number, from: number, to: number): [string, string] {
  const last = new Date(Date.UTC(year, to, 0)).getUTCDate();
  const mm = (m: number) => String(m).padStart(2, "0");
  return [`${year}-${mm(from)}-01`, `${year}-${mm(to)}-${String(last).padStart(2, "0")}`];
}

/** "January 2025 policy meeting" → the whole of January 2025; "summit 2018" → 2018; else null. */
export function titleWindow(title: string): [string, string] | null {
  const folded = fold(title);
  const year = /\b((?:19|20)\d\d)\b/.exec(folded)?.[1];
  if (!year) return null;
  // "May–June 2025", "30 June and 7 July 2024": from the first month named to the end of the last;
  // "January 2025 policy meeting": that month.
  const named = [...folded.matchAll(/\b([a-z]+)\b/g)]
    .map((m) => MONTHS[m[1] as string])
    .filter((m): m is number => m !== undefined);
  if (named.length > 0) return monthsWindow(Number(year), Math.min(...named), Math.max(...named));
  return [`${year}-01-01`, `${year}-12-31`];
}

/** How a storyline is read: its query's anchors, principals, places and aliases. */
export function readingContext(
  storyline: Pick<StorylineRecord, "title" | "kind" | "query" | "aliases"> &
    Partial<Pick<StorylineRecord, "participants">>,
): ExtractContext {
  const anchors = compileAnchors(storyline.query);
  const principals = storylinePrincipals(
    storyline.title,
    anchors.capitalised,
    storyline.participants ?? null,
    storyline.aliases,
    anchors.groups.map((g) => groupTerms(g).map((t) => t.join(" "))),
  );
  const frameText = fold(storyline.title);
  const places = titlePlaces(storyline.title);
  const calendarGroups = calendarGroupsOf(anchors);
  return {
    kind: storyline.kind,
    anchors,
    participants: principals.names,
    participantAliases: principals.aliases,
    titlePlaces: places,
    placeAliases: storylinePlaceAliases(storyline.aliases, principals),
    people: principals.paired ? principals.named : [],
    named: principals.named,
    frameText,
    calendarGroups,
    titleWindow: storyline.kind === "event" ? titleWindow(storyline.title) : null,
    frame: titleFrameOf(storyline.kind, frameText, places),
    topicalGroups: topicalGroupsOf(anchors, calendarGroups, principals.aliases),
  };
}

export interface Claim {
  cue: CueKind;
  note: string | null;
  /** For a `note` claim, when the step is news (absent: after signing). */
  step?: NoteStep;
  date: string | null;
  place: string | null;
  polarity: "positive" | "negative";
  /** 1 firm (plain or attributed statement), 0.6 reported by unnamed sources, 0.3 hedged or conditional. */
  certainty: number;
  background: boolean;
  /** Speaks of a new, next or later round. */
  newRound: boolean;
  /** Read by a verb that is the event itself (a visitor landing, a prisoner freed, a court's ruling), not a step or a bare meeting. */
  outcome?: boolean;
  /** Parties named as the cue's actors, in its clause before it ("X and Y met"). */
  actors: string[];
  /** The sentence denies a date or place ("no date has been set"). */
  dateDenied: boolean;
  placeDenied: boolean;
  quote: string;
  sentence: number;
}

export interface Reading {
  claims: Claim[];
  /** Places and dates named anywhere in relevant sentences. */
  places: string[];
  dates: string[];
  relevantSentences: number;
}

export interface ReadableItem {
  title: string;
  summary: string;
  content: string;
  publishedAt: string;
}

const NEW_ROUND =
  /\b(?:new|next|another|fresh|second|third|fourth|fifth|further|later) (?:[\w'-]+ ){0,2}(?:round|meeting|summit)\b|\bround (?:two|three|four)\b|\b(?:runoff|run-off)\b/;
const REPORT_BEFORE_DATE =
  /\b(?:said|says|told reporters|told|announced|proposed|proposes|confirmed|indicated|added|stated|declared|wrote|posted|urged|decided|statement|spoke|speaking)\b[^,.;]{0,14}$/;
/** "said the June 12 summit ...": a date naming the event is not the day of the report. */
const EVENT_AFTER_DATE =
  /^[^,.;]{0,12}?\b(?:summit|meeting|talks|visit|ceremony|signing|vote|election|deadline|round)\b/;
/** A lesser text than the deal: a framework, an outline, a roadmap, a draft. */
export const PRELIMINARY_NOUN = /\b(?:framework|outline|roadmap|draft)\b/;
const PRELIMINARY =
  /\b(?:framework|outline|roadmap|draft)\b[^.;]{0,20}\bfor (?:a|an|the) (?:[\w-]+ ){0,2}(?:deal|agreement|accord|treaty|settlement)\b/;
const PLUPERFECT_BEFORE = /\bhad (?:been |already |just )?$/;
const DAY_MS = 86_400_000;

/** News puts what happened first: the title, the summary and the body's opening sentences. */
const MAX_BODY_SENTENCES = 12;
const MAX_BODY_CHARS = 4000;
/** The title and the sentences after it that make up a lede. */
const LEDE_SENTENCES = 3;

function sentencesOf(item: ReadableItem): string[] {
  const out = [item.title.trim()];
  if (item.summary) out.push(...splitSentences(item.summary.slice(0, MAX_BODY_CHARS)));
  if (item.content) out.push(...splitSentences(item.content.slice(0, MAX_BODY_CHARS)).slice(0, MAX_BODY_SENTENCES));
  return out.filter(Boolean);
}

export function extract(item: ReadableItem, ctx: ExtractContext): Reading {
  const reading: Reading = { claims: [], places: [], dates: [], relevantSentences: 0 };
  const { frame } = ctx;
  const cues = frame.cues;
  const pubMs = Date.parse(item.publishedAt);
  const need = ctx.anchors.groups.length;
  /** Venues where something was said, announced or talked about ("announced in Z"). */
  const spokenAt: string[] = [];
  let titleRelevant = false;
  const sentences = sentencesOf(item);
  // News puts what happened first: when the headline and the sentence after it are together
  // about the storyline, each of the two that touches the query speaks of it ("Fed cuts rates a
  // quarter point", then a sentence naming the September meeting).
  const published = new Date(item.publishedAt);
  const timely = new Set(
    (ctx.calendarGroups ?? [])
      .filter((g) => g.months.has(published.getUTCMonth() + 1) || g.years.has(published.getUTCFullYear()))
      .map((g) => g.index),
  );
  const hitsOf = (text: string) => new Set([...groupsHitBy(ctx.anchors, text), ...timely]).size;
  const ledeRelevant = need > 0 && hitsOf(sentences.slice(0, 2).join(" ")) >= need;
  sentences.forEach((original, index) => {
    const sentence = fold(original);
    const hits = hitsOf(sentence);
    const places = findPlaces(sentence, original, ctx.placeAliases);
    const actors = findParticipants(sentence, places, ctx.participantAliases);
    let shared = 0;
    for (const p of ctx.participants) if (actors.has(p)) shared++;
    // A headline naming the storyline's party, whose lede completes the query, is on it ("X
    // cleared of racketeering" over a sentence naming the trial), and its clauses need not repeat it.
    const headlineOfLede = index === 0 && ledeRelevant && shared >= 1;
    // Missing one part of the query, a sentence still counts when it names the storyline's parties,
    // or when it is in the lede of an item whose title is on the storyline (the title set the subject).
    // Parties the storyline does not know cannot vouch for a sentence ("a choir contest" sharing one word with a song contest).
    const relevant =
      hits >= need ||
      (need >= 2 && hits >= need - 1 && ctx.participants.size > 0 && shared >= Math.min(2, ctx.participants.size)) ||
      // A lede sentence of an item whose headline is on the storyline may leave one part of the
      // query to the headline ("Five justices ruled unanimously on Wednesday" under a headline naming the court and the case).
      (titleRelevant && index > 0 && index <= LEDE_SENTENCES && hits >= need - 1) ||
      // The sentence right under an on-topic headline continues it, whatever words it uses.
      (titleRelevant && index === 1) ||
      (ledeRelevant && index <= 1 && hits >= 1) ||
      headlineOfLede;
    if (index === 0) titleRelevant = relevant;
    if (!relevant) return;
    reading.relevantSentences++;
    for (const p of places) {
      if (!p.venue) continue;
      if (!reading.places.includes(p.name)) reading.places.push(p.name);
      if (SPOKEN_AT.test(sentence.slice(Math.max(0, p.start - 50), p.start)) && !spokenAt.includes(p.name))
        spokenAt.push(p.name);
    }
    const dateDenied = DATE_DENIED.test(sentence);
    const placeDenied = PLACE_DENIED.test(sentence);
    const newRound = NEW_ROUND.test(sentence);
    const hasDeal = DEAL_NOUN.test(sentence) || (need > 0 && hits >= need);
    // Dates named anywhere in a relevant sentence, for clustering by shared facts.
    for (const d of findDates(sentence, item.publishedAt, "future")) {
      if (d.value && !reading.dates.includes(d.value)) reading.dates.push(d.value);
    }
    const spans: Array<[number, number]> = [];
    for (const cue of cues) {
      if (cue.needsDeal && !hasDeal) continue;
      // The first occurrence that is not negated, else the first; a span already taken by a stronger cue is skipped.
      let pick: { start: number; end: number; q: ReturnType<typeof qualify> } | null = null;
      for (const m of sentence.matchAll(cue.global)) {
        const start = m.index;
        const end = start + m[0].length;
        if (spans.some(([a, b]) => start < b && end > a)) continue;
        if (cue.guard?.(sentence, start, index)) continue;
        const q = qualify(sentence, start, end, !cue.firmSpan);
        if (!pick) pick = { start, end, q };
        if (!q.negated) {
          pick = { start, end, q };
          break;
        }
      }
      if (!pick) continue;
      const { start, end } = pick;
      const q = pick.q;
      // "still needs a treaty ratified", "subject to approval by": a step yet to come is not done.
      if (cue.tense === "past" && NOT_YET_BEFORE.test(sentence.slice(Math.max(0, start - 40), start))) continue;
      // "would not sign": a negation inside the cue itself (postponement cues carry their own "not").
      if (
        cue.kind !== "postponed" &&
        cue.kind !== "cancelled" &&
        !cue.firmSpan &&
        // ("not guilty" is a verdict, not a denial of one.)
        /\bnot\b|\bnever\b|n't/.test(sentence.slice(start, end).replace(/\bnot guilty\b/g, ""))
      )
        q.negated = true;
      // The actor must be named before the verb, except where the event noun is the subject of
      // an institution's sitting ("in arguments lasting two hours").
      const nominalSitting = cue.kind === "held" && NOMINAL_CUE.test(sentence.slice(start, end)) && frame.institutional;
      // "After talks in Z, X said…": the talks' parties are the sentence's.
      const afterTalks =
        cue.kind === "held" &&
        /\b(?:after|following)\s+(?:[\w-]+\s+){0,2}$/.test(sentence.slice(Math.max(0, start - 30), start));
      if (
        cue.kind === "held" &&
        !nominalSitting &&
        !cue.anyActor &&
        !(afterTalks
          ? namesParty(sentence, original, ctx)
          : actorBefore(sentence, original, start, ctx) ||
            // "the meeting between X and Y went ahead": the parties stand between the noun and its verb.
            (EVENT_NOUN_FIRST.test(sentence.slice(start, end)) &&
              !AGENT_NOUN.test(sentence.slice(start, end)) &&
              actorBefore(sentence, original, end, ctx)))
      )
        continue;
      // A court, a central bank or an electorate sits by its own verbs: someone meeting someone
      // is not the ruling, the rate decision or the vote (unless the title is about a meeting).
      if (
        cue.kind === "held" &&
        !cue.frame &&
        MEETING_VERBS.test(sentence.slice(start, end)) &&
        frame.institutionalOnly
      )
        continue;
      // "X meets Y in Z": a principal meeting someone the storyline does not name is
      // another meeting, whoever else the sentence names.
      if (
        cue.kind === "held" &&
        MEETING_VERBS.test(sentence.slice(start, end)) &&
        metSomeoneElse(sentence, original, end, ctx)
      )
        continue;
      // "X–Y summit": their ministers meeting, or X meeting a minister, is not it.
      if (cue.kind === "held" && !namesTitlePeople(sentence, ctx.people)) continue;
      // "Jury finds landlord guilty": a headline's verdict is of the one it names. Over a trial of a
      // named person, it must name that person (its lede may name the trial: another trial).
      if (
        index === 0 &&
        cue.kind === "held" &&
        cue.note === RULING_NOTE &&
        ctx.named?.length &&
        !ctx.named.some((p) => namesPrincipal(sentence, p.aliases))
      )
        continue;
      // "X will visit his golf courses": an arrangement must name what the storyline is about
      // (its topical query words, not only its people and places) in the cue's own clause.
      if (cue.kind === "arranged" && !topicalInClause(sentence, start, end, ctx)) continue;
      // "X met Y": the clause itself must be about the storyline (an envoy meeting one side is not the summit).
      if (cue.kind === "held" && need > 0) {
        // An institution's sitting named by its noun ("after arguments") speaks of the whole sentence's case.
        // So does a vote's step that needs no actor ("as the mayor edges the first round").
        const clause =
          nominalSitting || cue.anyActor
            ? sentence
            : sentence.slice(clauseStart(sentence, start), clauseEnd(sentence, end));
        // (In the lede of an item whose headline is on the storyline, the headline names it.)
        // (Nor the headline itself, naming the party, when its lede completes the query.)
        const ledeOfRelevant = (titleRelevant && index > 0 && index <= LEDE_SENTENCES) || headlineOfLede;
        if (!ledeOfRelevant && hitsOf(clause) < Math.max(1, need - 1)) continue;
      }
      const before = sentence.slice(Math.max(0, start - 20), start);
      let background = q.background || PLUPERFECT_BEFORE.test(before);
      const dates = findDates(sentence, item.publishedAt, cue.tense).filter(
        (d) =>
          !REPORT_BEFORE_DATE.test(sentence.slice(Math.max(0, d.start - 40), d.start)) ||
          EVENT_AFTER_DATE.test(sentence.slice(d.end)),
      );
      // (Not past a semicolon: "appears at the hearing; trial set for Sept. 23" dates the trial.
      // An entity left in the text, "27&ndash;30", is no semicolon.)
      const sameSegment = dates.filter(
        (d) => !crossesSemicolon(sentence, Math.min(d.end, start), Math.max(d.start, start)),
      );
      const after = sameSegment.find((d) => d.start >= start) ?? null;
      const clauseFrom = clauseStart(sentence, start);
      const nearBefore = dates.filter((d) => d.end <= start && d.start >= clauseFrom && start - d.end <= 40);
      const chosen =
        after ??
        (cue.tense === "future"
          ? (nearBefore[nearBefore.length - 1] ?? null)
          : (sameSegment[sameSegment.length - 1] ?? null));
      // "accepted on Thursday": a bare weekday that is the publication day dates the report, not a future meeting.
      const reportDay =
        ctx.kind === "event" &&
        cue.tense === "future" &&
        chosen?.relative &&
        chosen.value === item.publishedAt.slice(0, 10) &&
        /^(?:sun|mon|tues|wednes|thurs|fri|satur)day$/.test(chosen.text) &&
        !/\b(?:later|today|tonight|due|set|scheduled)\b[^,.;]{0,12}$/.test(
          sentence.slice(Math.max(0, chosen.start - 20), chosen.start),
        );
      // Something that happened is not dated after the report ("cut rates, effective 11 June").
      // (A weekday read as the next UTC day's early hours is the local day of a late report.)
      const lastReportDay = chosen?.relative ? lastLocalDay(item.publishedAt) : item.publishedAt.slice(0, 10);
      const afterReport = cue.tense === "past" && !!chosen?.value && chosen.value.slice(0, 10) > lastReportDay;
      const date = dateDenied || reportDay || afterReport ? null : (chosen?.value ?? null);
      if (date && cue.tense === "past") {
        const first = Date.parse(date.slice(0, 10));
        if (first < pubMs - 3 * DAY_MS) background = true;
      }
      // "kept rates at its December meeting" under a January storyline: another occurrence.
      if (date && outsideWindow(date, ctx.titleWindow)) background = true;
      // Undated, what happened happened about when it was reported: a report of a sitting
      // before the title's month (or well after it) is of another sitting.
      // A vote's result may be counted, confirmed or certified weeks after the polls.
      const grace = cue.note === RESULT_NOTE ? RESULT_GRACE_MS : WINDOW_GRACE_MS;
      if (!date && cue.tense === "past" && reportedOutside(item.publishedAt, ctx.titleWindow, grace)) background = true;
      for (const d of dates)
        if (d.value && !reading.dates.includes(d.value) && !background) reading.dates.push(d.value);
      // A participant country as venue ("a visit to the host country") says nothing new.
      const venues = venueCandidates(places, sentence, ctx);
      const place = placeDenied
        ? null
        : venueFor(venues, start, clauseStart(sentence, start), clauseEnd(sentence, end), sentence);
      const actorClauseFrom = clauseStart(sentence, start);
      const actors = [
        ...findParticipants(
          sentence.slice(actorClauseFrom, start),
          findPlaces(
            sentence.slice(actorClauseFrom, start),
            original.slice(actorClauseFrom, start),
            ctx.placeAliases,
          ).filter((p) => !p.venue),
          ctx.participantAliases,
        ),
      ];
      let certainty = 1;
      if (q.reported) certainty = 0.6;
      if (q.hedged || q.conditional) certainty = 0.3;
      // The words are this claim's now; a cue rejected above leaves them to a later cue ("polls
      // closed" is a meeting verb without its actor, but a vote's step that needs none).
      spans.push([start, end]);
      reading.claims.push({
        cue: cue.kind,
        note: cue.note ?? null,
        ...(cue.step ? { step: cue.step } : {}),
        ...(cue.outcome ? { outcome: true } : {}),
        date,
        place,
        polarity: q.negated ? "negative" : "positive",
        certainty,
        background,
        newRound,
        actors,
        dateDenied,
        placeDenied,
        quote: original,
        sentence: index,
      });
    }
    // "the Sept. 16-17 meeting", "a vote on 6 May": an event noun with its coming date is a
    // schedule, when no cue of the sentence already speaks of it.
    if (
      ctx.kind === "event" &&
      !dateDenied &&
      !reading.claims.some((c) => c.sentence === index && c.certainty >= 0.8 && c.polarity === "positive")
    ) {
      const claim = datedEventNoun(sentence, original, item.publishedAt, ctx, places, placeDenied, newRound, index);
      if (claim) reading.claims.push(claim);
    }
    if (dateDenied || placeDenied) {
      // A denial with no cue of its own still tells the state machine the fact is not set.
      if (!reading.claims.some((c) => c.sentence === index)) {
        reading.claims.push({
          cue: "note",
          note: null,
          date: null,
          place: null,
          polarity: "negative",
          certainty: 1,
          background: false,
          newRound,
          actors: [],
          dateDenied,
          placeDenied,
          quote: original,
          sentence: index,
        });
      }
    }
  });
  // Headlines overstate; the body says what happened. A headline's claim that the body denies,
  // or reports as a lesser step (a memorandum, a text initialled), is not taken as firm: "X and Y
  // sign peace deal" over "negotiators initialled the text". (A body that only hedges the timing,
  // "could take place within two weeks", leaves the headline standing.)
  const body = reading.claims.filter((c) => c.sentence > 0);
  for (const claim of reading.claims) {
    if (claim.sentence !== 0 || claim.polarity !== "positive" || body.length === 0) continue;
    const same = body.filter((c) => c.cue === claim.cue);
    const firmInBody = same.some((c) => c.polarity === "positive" && c.certainty >= 0.8);
    const doubted = same.some((c) => c.polarity === "negative" && c.certainty >= 0.8);
    const lesser =
      claim.cue === "signed" &&
      body.some((c) => (c.cue === "note" && c.note === "memorandum signed") || c.cue === "agreed");
    if (!firmInBody && (doubted || lesser)) claim.certainty = Math.min(claim.certainty, 0.3);
  }
  // A headline claim without date or place borrows them from the lede's claim of the same kind.
  for (const claim of reading.claims) {
    if (claim.polarity !== "positive" || claim.background) continue;
    const fuller = reading.claims.find(
      (c) =>
        c !== claim && c.cue === claim.cue && c.polarity === "positive" && !c.background && c.sentence > claim.sentence,
    );
    if (!fuller) continue;
    if (!claim.date && !claim.dateDenied && fuller.date) claim.date = fuller.date;
    if (!claim.place && !claim.placeDenied && fuller.place) claim.place = fuller.place;
  }
  // An agreement reached or signed where the item's only venue is: "announced in Z", "talks at the seat of government".
  if (ctx.kind === "agreement") {
    const venues = spokenAt.filter(
      (p) => !(ctx.participants.has(p) && PLACES.get(p)?.parent === null) && !ctx.titlePlaces?.has(p),
    );
    const only = mostSpecific(venues);
    const nested = only !== null && venues.every((v) => within(only, v));
    for (const claim of reading.claims) {
      if (nested && !claim.place && !claim.placeDenied && (claim.cue === "agreed" || claim.cue === "signed"))
        claim.place = only;
    }
  }
  // "agreed a framework for a final deal": a step in the negotiation, not the deal itself.
  if (ctx.kind === "agreement" && sentencesOf(item).some((text) => PRELIMINARY.test(fold(text)))) {
    for (const claim of reading.claims) {
      if (claim.cue === "agreed" && PRELIMINARY_NOUN.test(fold(claim.quote))) claim.cue = "negotiating";
    }
  }
  // A national vote is held in the country the title names: its place, unless a report names a narrower one.
  const country = frame.voteCountry;
  if (country) {
    for (const claim of reading.claims) {
      if (
        !claim.place &&
        !claim.placeDenied &&
        (claim.cue === "held" || claim.cue === "arranged" || claim.cue === "agreed")
      )
        claim.place = country;
    }
  }
  // "signed a declaration of principles", "sounding talks ended in agreement": a lesser document
  // or a preliminary round, a step in the negotiation, unless the storyline follows that document.
  if (ctx.kind === "agreement") {
    for (const claim of reading.claims) {
      if (claim.cue !== "signed" && claim.cue !== "agreed") continue;
      const lesser = LESSER_STEP.exec(fold(claim.quote))?.[0];
      if (lesser && !(ctx.frameText ?? "").includes(lesser.split(" ").pop() as string)) claim.cue = "negotiating";
    }
  }
  return reading;
}

/** The one country a title names, by name or by its demonym ("the X-ish presidential election"). */
function titleCountry(folded: string, places: Set<string>): string | null {
  const named = new Set(places);
  for (const word of folded.match(/[\p{L}-]+/gu) ?? []) {
    const country = DEMONYMS[word];
    if (country) named.add(country);
  }
  return named.size === 1 ? ([...named][0] as string) : null;
}

/** A title about a visit or a trip to somewhere. */
const VISIT_TITLE = /\b(?:visit|visits|trip|tour)\b/;

/** The one country a visit's title names as a place (people and demonyms are the visitors). */
function titleDestination(places: Set<string>): string | null {
  if (places.size !== 1) return null;
  const only = [...places][0] as string;
  return PLACES.get(only)?.parent === null ? only : null;
}

/** A title about an election or a referendum (a country's own vote, held across the country). */
const VOTE_TITLE = /\b(?:election|elections|referendum|runoff|presidential vote|general vote)\b/;

/** Documents and rounds that come before a deal: signing or agreeing them is a step towards it. */
const LESSER_STEP =
  /\b(?:declaration of principles|joint declaration|declaration of intent|letter of intent|memorandum of understanding|exploratory (?:talks|paper)|sounding talks|preliminary talks|roadmap|terms of reference)\b/;

/** A definite determiner right before an event noun, with at most one plain modifier ("its next", "the Fed's"). */
const DEFINITE_BEFORE =
  /(?:\b(?:the|its|their|his|her|this)|'s)\s+(?:(?!possible|potential|proposed|planned|mooted|hoped-for)[\w-]+\s+)?$/;

const EVENT_NOUN =
  /\b(?:meetings?|summits?|talks|votes?|ballot|hearings?|sessions?|sitting|conference|visit|elections?|ruling|opinion|decision|verdict|judg(?:e)?ment|sentencing|conclave|round|runoff|run-off)\b/g;

/** Words that break a noun phrase: a date before them does not modify the noun after them. */
const NOT_A_MODIFIER =
  "(?:and|or|but|when|after|before|as|while|until|if|since|the|a|an|for|to|of|in|on|at|by|with|from|is|was|will|would)\\s";
/** One or two modifiers between a date and the event noun it dates ("regional", "leaders'"). */
const DATE_MODIFIER_GAP = new RegExp(`^\\s+(?!${NOT_A_MODIFIER})[\\w'-]+\\s+(?:(?!${NOT_A_MODIFIER})[\\w'-]+\\s+)?$`);

/** Places that may be where the event is. */
function venueCandidates(places: PlaceMention[], sentence: string, ctx: ExtractContext): PlaceMention[] {
  return places.filter(
    (p) =>
      // A participant country as venue: "a visit to the host country" says nothing new,
      // "a summit in X's country" says which side hosts.
      !(
        ctx.participants.has(p.name) &&
        PLACES.get(p.name)?.parent === null &&
        !/\bin\s+(?:the\s+)?$/.test(sentence.slice(Math.max(0, p.start - 8), p.start))
      ) &&
      // An agreement's own subject area ("ceasefire in the north") is not where it was agreed.
      !(ctx.kind === "agreement" && ctx.titlePlaces?.has(p.name)) &&
      // A visit to one country happens in it: the visitor's capital or a stop elsewhere is not its place.
      // (A place the storyline itself declares, unknown to the gazetteer, is the storyline's word.)
      !(ctx.frame.visitCountry && PLACES.has(p.name) && !within(p.name, ctx.frame.visitCountry)) &&
      // Where someone spoke of an event ("told reporters in Z") is not where the event is.
      !(ctx.kind === "event" && SPOKEN_IN.test(sentence.slice(Math.max(0, p.start - 40), p.start))),
  );
}

/**
 * The one met, right after a meeting verb: a capitalised name (or a demonym and a name) that is
 * none of the storyline's parties. Lower-case words ("the two leaders", "in the capital") say nothing.
 */
function metSomeoneElse(sentence: string, original: string, cueEnd: number, ctx: ExtractContext): boolean {
  if (ctx.participants.size === 0) return false;
  const after = original.slice(cueEnd, cueEnd + 60);
  const object = /^\s+(?:with\s+)?((?:\p{Lu}[\p{L}'’.-]*\s+){0,3}\p{Lu}[\p{L}'’.-]*)/u.exec(after);
  if (!object) return false;
  const text = object[1] as string;
  const folded = sentence.slice(cueEnd, cueEnd + object[0].length);
  const places = findPlaces(folded, text, ctx.placeAliases);
  const named = findParticipants(folded, places, ctx.participantAliases);
  for (const p of ctx.participants) if (named.has(p)) return false;
  // A place right after the verb is where, not whom.
  return places.every((p) => !p.venue && PLACES.get(p.name)?.parent === null);
}

/** A requirement still open before a past-tense cue: "still needs a treaty (ratified)", "yet to be". */
const NOT_YET_BEFORE =
  /\b(?:still needs?|needs? to be|must (?:still )?be|has to be|have to be|(?:is|are) yet to be|yet to be|awaiting|subject to|pending)\b(?:\s+[\w'-]+){0,3}\s+$/;

/** A place right after a speech act: "told reporters in", "said in", "speaking at". */
const SPOKEN_IN =
  /\b(?:told|tells|said|says|speaking|spoke|speaks|briefed|briefing|interview|reporters|news conference|press conference)\b(?:\s+[\w'-]+){0,3}\s+(?:in|at)\s+(?:the\s+)?$/;

/** Days after the title's window in which a report may still be of the event (results, recaps). */
const WINDOW_GRACE_MS = 7 * DAY_MS;
/** Days after the window in which a vote's result may still be declared or certified. */
const RESULT_GRACE_MS = 45 * DAY_MS;
const RESULT_NOTE = "result declared";

function reportedOutside(publishedAt: string, window: [string, string] | null | undefined, graceMs: number): boolean {
  if (!window) return false;
  const day = publishedAt.slice(0, 10);
  return day < window[0] || Date.parse(day) > Date.parse(window[1]) + graceMs;
}

function outsideWindow(date: string, window: [string, string] | null | undefined): boolean {
  if (!window) return false;
  const [first, last = first] = date.split("/") as [string, string?];
  return (last as string) < window[0] || first > window[1];
}

/** An event noun next to a coming date ("the Sept. 16-17 meeting", "the vote on 6 May"): a schedule claim. */
function datedEventNoun(
  sentence: string,
  original: string,
  publishedAt: string,
  ctx: ExtractContext,
  places: PlaceMention[],
  placeDenied: boolean,
  newRound: boolean,
  index: number,
): Claim | null {
  const pubDay = publishedAt.slice(0, 10);
  // A weekday in the possessive ("Thursday's talks") names the coming day of a known event.
  const possessive = (d: { text: string }) => /'s$/.test(d.text);
  const dates = findDates(sentence, publishedAt, "future").filter((d) => d.value && (!d.relative || possessive(d)));
  if (dates.length === 0) return null;
  for (const m of sentence.matchAll(EVENT_NOUN)) {
    const start = m.index;
    const end = start + m[0].length;
    const date = dates.find(
      (d) =>
        (d.end <= start && /^(?:'s)?\s*$/.test(sentence.slice(d.end, start))) ||
        // "the April 14 regional vote", "the 3-4 June leaders' summit": a date that modifies the
        // noun phrase, a word or two before its head.
        (d.end <= start && !d.relative && DATE_MODIFIER_GAP.test(sentence.slice(d.end, start))) ||
        // "Thursday's White House talks": a possessive day may stand a name away from its noun,
        // a name of the storyline's own ("Tuesday's cabinet meeting" is another body's sitting).
        (d.end <= start &&
          possessive(d) &&
          /^\s+(?:[\w'-]+\s+){1,2}$/.test(sentence.slice(d.end, start)) &&
          sentence
            .slice(d.end, start)
            .trim()
            .split(/\s+/)
            .every((w) => ` ${ctx.frameText ?? ""} `.includes(` ${w} `))) ||
        // "the visit to X on May 7", "a state visit to X May 7-10", "the summit in Y from 24 June".
        (d.start >= end &&
          /^\s+(?:(?:to|in|at)\s+[\w'-]+(?:\s+[\w'-]+)?\s+)?(?:(?:on|for|of|from|set for|due on|scheduled for)\s+)?(?:the\s+)?$/.test(
            sentence.slice(end, d.start),
          )),
    );
    if (!date?.value || date.value.slice(0, 10) < pubDay || outsideWindow(date.value, ctx.titleWindow)) continue;
    if (!topicalInClause(sentence, start, end, ctx)) continue;
    const q = qualify(sentence, start, end);
    // "expect it to cut rates at its next meeting on 7 August": a definite noun phrase presupposes
    // the sitting; the hedge is about what happens at it ("a possible meeting" stays hedged).
    const presupposed =
      DEFINITE_BEFORE.test(sentence.slice(Math.max(0, start - 24), start)) && !q.negated && !q.conditional;
    let certainty = 1;
    if (q.reported) certainty = 0.6;
    if ((q.hedged || q.conditional) && !presupposed) certainty = 0.3;
    const venues = venueCandidates(places, sentence, ctx);
    return {
      cue: "arranged",
      note: null,
      date: date.value,
      place: placeDenied
        ? null
        : venueFor(venues, start, clauseStart(sentence, start), clauseEnd(sentence, end), sentence),
      polarity: q.negated ? "negative" : "positive",
      certainty,
      background: q.background,
      newRound,
      actors: [],
      dateDenied: false,
      placeDenied,
      quote: original,
      sentence: index,
    };
  }
  return null;
}

/**
 * A group made only of names (people, countries, places, or words the query capitalises, such
 * as "X") says who or where, not what; ("state visit" OR palace) says what. A name tied to a
 * word that tells it from a namesake (X NEAR/5 (producer OR mogul)) is still a name.
 */
function isNameGroup(group: Node, capitalised: Set<string>, principalAliases: Record<string, string>): boolean {
  const isName = (t: string[]) => {
    const phrase = t.join(" ");
    return (
      t.every((word) => capitalised.has(word)) ||
      PLACE_ALIASES.has(phrase) ||
      phrase in principalAliases ||
      phrase in DEMONYMS ||
      [...PLACE_ALIASES.keys()].some((a) => a.startsWith(phrase) && phrase.length >= 4) ||
      Object.keys(DEMONYMS).some((d) => d.startsWith(phrase) && phrase.length >= 4)
    );
  };
  const names = (node: Node): boolean => {
    switch (node.type) {
      case "near":
      case "and":
        return (node.type === "near" ? [node.left, node.right] : node.children).some(
          (child) => child.type !== "not" && names(child),
        );
      case "or":
        return node.children.length > 0 && node.children.every(names);
      default: {
        const terms = groupTerms(node);
        return terms.length > 0 && terms.every(isName);
      }
    }
  };
  return names(group);
}

/** Nouns that name an event: an arrangement about one of them, in a relevant sentence, is the storyline's. */
const EVENT_NAMED =
  /\b(?:summit|meeting|talks|election|vote|ballot|runoff|referendum|hearing|case|ruling|opinion|judgment|judgement|decision|conference|round|session|sitting|conclave|signing|ceremony|state visit|negotiations|arguments)\b/;
/** A trial's own steps. */
const TRIAL_STEPS = /\b(?:trial|retrial|sentencing|verdict)\b/;
/**
 * Words that name the event only for a storyline that follows that kind of event, as its title
 * says: a trial's steps (not for a prisoner's release), a release's own verbs.
 */
const FRAME_NAMED: ReadonlyArray<[title: RegExp, clause: RegExp]> = [
  // (A jury or a judge acting in a trial's storyline acts in that trial.)
  [TRIAL_STEPS, new RegExp(`${TRIAL_STEPS.source}|\\b(?:jury|jurors|judge)\\b`)],
  [RELEASE_FRAME, /\b(?:free|freed|release|released|hand over|handover|handed over)\b/],
  // A central bank's next sitting: "next review set for 13 August", "the board meets again on".
  [RATE_FRAME, /\b(?:review|reviews|meet|meets|meeting|decision|rate|rates)\b/],
];

/** The query groups that say what, not who, where or when: read once per storyline (the gazetteer scan is costly). */
function topicalGroupsOf(
  anchors: Anchors,
  calendarGroups: ExtractContext["calendarGroups"],
  principalAliases: Record<string, string>,
): number[] {
  const calendar = new Set((calendarGroups ?? []).map((g) => g.index));
  return anchors.groups
    .map((g, index) => (calendar.has(index) || isNameGroup(g, anchors.capitalised, principalAliases) ? -1 : index))
    .filter((index) => index >= 0);
}

function topicalInClause(sentence: string, start: number, end: number, ctx: ExtractContext): boolean {
  const clause = sentence.slice(clauseStart(sentence, start), clauseEnd(sentence, end));
  if (EVENT_NAMED.test(clause) || ctx.frame.eventWords.some((named) => named.test(clause))) return true;
  const topical = ctx.topicalGroups;
  if (topical.length === 0) return true;
  const hit = new Set(groupsHitBy(ctx.anchors, clause));
  return topical.every((index) => hit.has(index));
}

const LEADERS_TOGETHER = /\b(?:the two|both|the) (?:leaders|presidents|heads of state|men)\b/;

/** Does a sentence name every named principal in its own right (or the leaders together)? */
function namesTitlePeople(sentence: string, people: ExtractContext["people"]): boolean {
  if (!people || people.length === 0) return true;
  if (LEADERS_TOGETHER.test(sentence)) return true;
  return people.every((p) => namesPrincipal(sentence, p.aliases));
}

/** Is there a semicolon between two positions ("27&ndash;30", an entity left in the text, is none)? */
function crossesSemicolon(sentence: string, from: number, to: number): boolean {
  return /;/.test(sentence.slice(from, to).replace(/&#?\w+;/g, ""));
}

/** A cue whose match opens with the event's noun, its subject ("talks between X and Y ended"). */
const EVENT_NOUN_FIRST = /^(?:talks|meetings?|summits?|rounds?|negotiations|visits?|conference)\b/;
const NOMINAL_CUE =
  /^(?:mistrial|arguments|hearings?|sessions?|sitting|trial|ballot|balloting|vote|voting|conclave|count)\b/;
const MEETING_VERBS = /\b(?:meet|meets|met|shake|shakes|shook|talks|meeting|meetings|summits?|welcomed|visits?)\b/;
const MEETING_WORDS = /\b(?:meeting|meetings|summit|talks|visit|conference|session|sitting)\b/;

const GROUP_ACTORS =
  /\b(?:delegations?|negotiators|sides|leaders|presidents|teams|both|the two|parties|officials from|envoys|court|justices|judges?|jury|juries|jurors|bench|tribunal|board|members|lawmakers|legislators|mps|deputies|parliament|assembly|chamber|congress|voters|electors|cardinals|delegates|shareholders|regulators?|central bank|policymakers|committee)\b/;

/** "X and Y met": the clause before a "held" cue must name a party of the storyline (not "alliance ministers met"). */
/** Does the sentence name one of the storyline's parties anywhere? */
function namesParty(sentence: string, original: string, ctx: ExtractContext): boolean {
  const actors = findParticipants(sentence, findPlaces(sentence, original), ctx.participantAliases);
  for (const p of ctx.participants) if (actors.has(p)) return true;
  return ctx.participants.size === 0;
}

function actorBefore(sentence: string, original: string, cueStart: number, ctx: ExtractContext): boolean {
  const from = clauseStart(sentence, cueStart);
  const clause = sentence.slice(from, cueStart);
  if (GROUP_ACTORS.test(clause)) return true;
  const actors = findParticipants(clause, findPlaces(clause, original.slice(from, cueStart)), ctx.participantAliases);
  for (const p of ctx.participants) if (actors.has(p)) return true;
  // People the query names ("X OR Y") act in the storyline too (for a principal whose
  // own presence is required, the title's pairing rule still asks for it by name).
  for (const m of clause.matchAll(/[\p{L}]+/gu))
    if (
      ctx.anchors.capitalised.has(m[0]) &&
      !PLACE_ALIASES.has(m[0]) &&
      actsInOwnRight(clause, m.index, m.index + m[0].length)
    )
      return true;
  return ctx.participants.size === 0;
}

const SPOKEN_AT =
  /\b(?:announc\w*|said|says|told|talks|meeting|negotiations|summit|ceremony|hosted|hosting|signed|agreed)\b[^,.;]{0,45}$/;
const MEETING_BEFORE = /\b(?:talks|meeting|summit|ceremony|hosting|hosted|negotiations)\b[^,.;]{0,45}$/;

/**
 * The venue a cue speaks of: venue-marked places in the cue's clause (or, past it, one that
 * follows a meeting word), the first after the cue, narrowed to the most specific nested one.
 */
function venueFor(
  places: PlaceMention[],
  cueStart: number,
  clauseStartAt: number,
  clauseEndAt: number,
  sentence: string,
): string | null {
  const venues = places.filter(
    (p) =>
      p.venue &&
      ((p.start >= clauseStartAt && p.start < clauseEndAt) ||
        MEETING_BEFORE.test(sentence.slice(Math.max(0, p.start - 60), p.start))),
  );
  if (venues.length === 0) return null;
  // The cue's own clause speaks first ("After meeting an envoy in the capital, X said the summit in Z is back on").
  const inClause = venues.filter((p) => p.start >= clauseStartAt && p.start < clauseEndAt);
  const pool = inClause.length ? inClause : venues;
  const anchor = pool.find((p) => p.start >= cueStart) ?? (pool[0] as PlaceMention);
  const related = venues.filter((p) => within(p.name, anchor.name) || within(anchor.name, p.name)).map((p) => p.name);
  return mostSpecific(related);
}

/**
 * A storyline's aliases of places ({"Z": ["Xhall"]}), folded
 * alias → canonical place: facts say the canonical name. Aliases of principals are not places.
 */
function storylinePlaceAliases(aliases: Record<string, string[]> | null, principals: Principals): Map<string, string> {
  const placeAliases = new Map<string, string>();
  for (const [name, list] of Object.entries(aliases ?? {})) {
    const canonical = PLACE_ALIASES.get(fold(name)) ?? name;
    if (PLACES.get(canonical)?.parent === null || fold(name).trim() in principals.aliases) continue;
    for (const alias of list) {
      const folded = fold(alias).trim();
      if (folded) placeAliases.set(folded, canonical);
    }
  }
  return placeAliases;
}

/** Places named in a storyline's title. */
export function titlePlaces(title: string): Set<string> {
  const folded = fold(title);
  return new Set(findPlaces(folded, title).map((p) => p.name));
}
