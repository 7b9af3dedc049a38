/**
 * Stage "decide status": which firm claim of an item moves the storyline's status and facts
 * (through the status machine in ../status.ts), which one says what is already known, and the
 * quote that stands for the item. At the end of a batch, a planned date that passed unreported
 * is voided.
 */
import type { StorylineKind } from "../../contracts";
import { type Claim, PRELIMINARY_NOUN } from "../extract";
import { within } from "../extract/gazetteer";
import { advance, isFirm, type Rounds, restates, type StoryState, voidPassedDate } from "../status";
import { fold } from "../text";
import type { ItemRead } from "./read";

export interface Decision {
  /** The claim that moves the state, and the state it moves to. */
  moved: { next: StoryState; claim: Claim } | null;
  /** A firm claim that says what is already known. */
  restating: Claim | null;
  /** The quote that stands for the item: the moving claim's, else the restating one's, else the first firm one's. */
  quote: string | null;
}

export interface DecideInput {
  kind: StorylineKind;
  story: StoryState;
  read: Pick<ItemRead, "reading" | "item" | "ms" | "dated">;
  rounds: Rounds;
  /** The storyline's own parties (title and declared participants). */
  participants: ReadonlySet<string>;
  /** Publication time (ms) of the item that last moved the state. */
  movedAt: number;
  /** First report (ms) of the current development, if any: a like step days later is another one. */
  currentSince?: number | null;
  /** The event is a sitting of an institution (a court, a central bank, an electorate), not a meeting. */
  institutional?: boolean;
}

/**
 * Same status, and only facts filled in: a date where there was none, a place inside the known
 * one, or the same later step in other words.
 */
export function refines(before: StoryState, after: StoryState): boolean {
  if (before.status !== after.status) return false;
  const d0 = before.facts.date ?? null;
  const d1 = after.facts.date ?? null;
  const p0 = before.facts.place ?? null;
  const p1 = after.facts.place ?? null;
  const dateOk = d0 === d1 || (d0 === null && d1 !== null);
  const placeOk = p0 === p1 || (p1 !== null && (p0 === null || within(p1, p0)));
  const n0 = before.facts.note ?? null;
  const n1 = after.facts.note ?? null;
  // The same later step told in other words ("ratified" by one outlet, "approved" by the next).
  if (d0 === d1 && p0 === p1 && n0 !== null && n1 !== null && n0 !== n1) return true;
  return dateOk && placeOk && (d0 !== d1 || p0 !== p1) && n0 === n1;
}

/** The parties: the storyline's own and the actors of every claim that moved it. */
function withParticipants(
  story: StoryState,
  next: StoryState,
  participants: ReadonlySet<string>,
  claim: Claim,
): StoryState {
  const all = new Set([...(story.facts.participants ?? []), ...participants, ...claim.actors]);
  if (all.size === 0) return next;
  return { ...next, facts: { ...next.facts, participants: [...all].sort() } };
}

/** Cues that, hedged or only reported, say an event is mooted. */
const MOOTED: ReadonlySet<Claim["cue"]> = new Set(["arranged", "agreed", "held", "proposed"]);

/** The fact a proposal made during the talks adds. */
const PROPOSAL_TABLED = "new proposal";

/** How long after a collapse a new offer or new talks revive a deal. */
const REVIVAL_MS = 3 * 86_400_000;

/** A like later step this long after the current development is another step (a second regulator's clearance). */
const STEP_REPEAT_MS = 3 * 86_400_000;

export function decideStatus({
  kind,
  story,
  read,
  rounds,
  participants,
  movedAt,
  currentSince,
  institutional = false,
}: DecideInput): Decision {
  const { reading, item } = read;
  let moved: Decision["moved"] = null;
  // Firm claims from the title and lede first, then the body.
  // While a deal is negotiated, a proposal put on the table is a new fact of the talks (a
  // counter-offer, a mediators' plan), not a step back to "proposed". (A draft or an outline
  // passed between the sides is the talks' own work, not a proposal.)
  const firm = reading.claims
    .filter((c) => isFirm(kind, c))
    .map((c) =>
      kind === "agreement" &&
      story.status === "negotiating" &&
      c.cue === "proposed" &&
      !PRELIMINARY_NOUN.test(fold(c.quote))
        ? { ...c, cue: "note" as const, note: PROPOSAL_TABLED, step: "any stage" as const }
        : c,
    );
  const lede = firm.filter((c) => c.sentence <= 3);
  // Feeds arrive one at a time and out of order: a report older than the one that last moved
  // the state may corroborate, never move it back (no flip-flop on stale news).
  const stale = read.dated && read.ms < movedAt;
  for (const claim of lede.length ? lede : firm) {
    // The first claim that either moves the state or says what is already known decides.
    const bringsNew =
      (!!claim.date && claim.date !== story.facts.date) ||
      (!!claim.place && (!story.facts.place || !within(story.facts.place, claim.place)));
    const anotherStep = claim.cue === "note" && read.ms - (currentSince ?? read.ms) > STEP_REPEAT_MS;
    if (restates(kind, story, claim) && !bringsNew && !anotherStep) break;
    let next = advance(kind, story, claim, item.publishedAt, rounds);
    // Stale news may still fill in a missing date or a narrower place, but not move the status.
    if (next && stale && !refines(story, next)) next = null;
    // A deal revives by its own parties' new offer or talks, and not in the collapse's own
    // coverage looking back; someone else's proposal is another deal.
    if (
      next &&
      story.status === "collapsed" &&
      next.status !== "agreed" &&
      // (A new fact on the collapsed deal, such as arbitration ordered, is no revival.)
      next.status !== "collapsed" &&
      (read.ms - movedAt < REVIVAL_MS || claim.actors.length === 0)
    )
      next = null;
    if (!next && restates(kind, story, claim) && !anotherStep) break;
    if (next) {
      moved = { next: withParticipants(story, next, participants, claim), claim };
      break;
    }
  }
  // Talk of a meeting that may happen ("X is expected to visit Y", "they could meet next month")
  // puts a storyline with no status yet at "proposed": it is on the table, nothing is set. (A
  // court's, a central bank's or an electorate's sitting is on a calendar, not proposed.)
  if (!moved && story.status === null && kind === "event" && !institutional && !stale) {
    const mooted = reading.claims.find(
      (c) => c.polarity === "positive" && !c.background && c.certainty < 0.8 && MOOTED.has(c.cue),
    );
    if (mooted) {
      const claim: Claim = { ...mooted, cue: "proposed", certainty: 1, date: null, place: null };
      const next = advance(kind, story, claim, item.publishedAt, rounds);
      if (next) moved = { next: withParticipants(story, next, participants, claim), claim };
    }
  }
  const restating = firm.find((c) => restates(kind, story, c)) ?? null;
  const quote = moved?.claim.quote ?? restating?.quote ?? firm[0]?.quote ?? null;
  return { moved, restating, quote };
}

/**
 * The state once a planned date has passed unreported, or null when nothing is voided. Story
 * time, not wall time: a replay or backfill runs long after its items were published, so the
 * clock is the latest dated item of the batch (never later than `now`). A batch of undated items
 * (dated when first seen) voids nothing, and neither does a date reported as already come.
 */
export function expirePassedDate(
  kind: StorylineKind,
  story: StoryState,
  happenedOn: string | null,
  latestDated: string | null,
  now: string,
): StoryState | null {
  if (latestDated === null || story.facts.date === happenedOn) return null;
  // ISO timestamps: the earlier of the two sorts first.
  const storyNow = [latestDated, now].sort()[0] as string;
  return voidPassedDate(kind, story, storyNow);
}
