/**
 * The status machine per storyline kind (vocabularies of ../shared/fixtures/FORMAT.md).
 * A firm claim moves the state only along allowed transitions; `scheduled` needs a date;
 * postponed/cancelled void the date; a signing called off sends an agreement back to
 * negotiating with date and place voided; a new round after `held` starts over.
 */
import type { Facts, StorylineKind, StorylineStatus } from "../contracts";
import type { Claim } from "./extract";
import { lastLocalDay } from "./extract/dates";
import { within } from "./extract/gazetteer";

export interface StoryState {
  status: StorylineStatus | null;
  facts: Facts;
}

const DAY_MS = 86_400_000;
/** How long after a set day a report of the event held without a day of its own still means that day. */
const STALE_SET_DAY_MS = 3 * DAY_MS;

function dayOf(iso: string): string {
  return new Date(Date.parse(iso)).toISOString().slice(0, 10);
}

/** The note of a date set by a delay ("postponed from 2027-03-10"), and whether facts carry one. */
const DELAY_NOTE = "postponed";
function setByDelay(facts: Facts): boolean {
  return facts.note?.startsWith(DELAY_NOTE) ?? false;
}

/** Is a date (or range) inside another date or range? */
function within_(inner: string, outer: string): boolean {
  const [a0, a1 = a0] = inner.split("/") as [string, string?];
  const [b0, b1 = b0] = outer.split("/") as [string, string?];
  return a0 >= b0 && (a1 as string) <= (b1 as string);
}

function firstDay(date: string): string {
  return date.slice(0, 10);
}

/** A place update: a more specific place inside the known one, or a different venue; never a vaguer one. */
function mergePlace(current: string | null | undefined, next: string | null): string | null {
  if (!next) return current ?? null;
  if (!current) return next;
  if (within(current, next)) return current;
  return next;
}

const OPEN_EVENT: ReadonlyArray<StorylineStatus | null> = [null, "proposed", "agreed", "scheduled", "postponed"];

function event(state: StoryState, claim: Claim, publishedAt: string, rounds: Rounds): StoryState | null {
  const { status, facts } = state;
  const pubDay = dayOf(publishedAt);
  const elsewhere =
    !!claim.place && !!facts.place && !within(claim.place, facts.place) && !within(facts.place, claim.place);
  // A storyline follows one event. After it was held, a later one (the coverage says "a new
  // summit", or names a later date or another venue) starts it over, never for an event the
  // title numbers ("third informal summit": the fourth is another storyline).
  const laterRound =
    status === "held" &&
    rounds !== "one" &&
    (claim.newRound ||
      elsewhere ||
      (claim.date !== null && !!facts.date && firstDay(claim.date) > firstDay(facts.date)));
  const base: Facts = laterRound ? { date: null, place: null, note: null } : facts;
  switch (claim.cue) {
    case "proposed": {
      if (claim.date && firstDay(claim.date) < pubDay) return null;
      if (status === null || status === "cancelled" || laterRound) {
        return { status: "proposed", facts: { ...base, date: claim.date, place: mergePlace(base.place, claim.place) } };
      }
      // A proposal that names the day or the place of an event only mooted so far fills them in.
      if (status === "proposed" && ((claim.date && !facts.date) || (claim.place && !facts.place))) {
        return {
          status,
          facts: { ...facts, date: facts.date ?? claim.date, place: mergePlace(facts.place, claim.place) },
        };
      }
      return null;
    }
    case "agreed": {
      if (status === null || status === "proposed" || status === "postponed" || status === "cancelled" || laterRound) {
        // "agreed to meet in Z on June 5": agreed with a date is scheduled.
        if (claim.date && firstDay(claim.date) >= pubDay)
          return {
            status: "scheduled",
            facts: { ...base, date: claim.date, place: mergePlace(base.place, claim.place) },
          };
        const date = laterRound || status === "postponed" ? null : (base.date ?? null);
        return { status: "agreed", facts: { ...base, date, place: mergePlace(base.place, claim.place) } };
      }
      return null;
    }
    case "arranged": {
      if (claim.date && firstDay(claim.date) < pubDay) return null;
      if (status === "held" && !laterRound) return null;
      const date = claim.date ?? (status === "postponed" || laterRound ? null : (base.date ?? null));
      const target: StorylineStatus = date ? "scheduled" : "agreed";
      // After a postponement only a new date moves it on ("due in Z" alone does not).
      if (status === "postponed" && !date) return null;
      const place = mergePlace(base.place, claim.place);
      if (status === "scheduled" && target === "agreed") return null;
      // A set date changes only by an explicit postponement, a narrowing inside it, or the full
      // days of a programme around it (a parade on the 9th, then a visit from the 7th to the
      // 10th), never by a passing mention.
      if (
        status === "scheduled" &&
        facts.date &&
        date &&
        !within_(date, facts.date) &&
        !programmeAround(date, facts.date)
      )
        return null;
      if (status === target && date === (facts.date ?? null) && place === (facts.place ?? null)) return null;
      if (status === "scheduled" || status === target) return { status: target, facts: { ...base, date, place } };
      return { status: target, facts: { ...base, date, place } };
    }
    case "postponed": {
      if (status === null || status === "held" || status === "cancelled") return null;
      // Put off to a day that is named: the event is scheduled again, for that day ("verdict
      // deferred again, now due 13 January"). Without one it waits, postponed.
      const newDay = claim.date && firstDay(claim.date) >= pubDay && claim.date !== facts.date ? claim.date : null;
      if (newDay)
        return {
          status: "scheduled",
          facts: { ...facts, date: newDay, note: facts.date ? `${DELAY_NOTE} from ${facts.date}` : DELAY_NOTE },
        };
      // The same delay told again without its new day: already known.
      if (status === "postponed" || (status === "scheduled" && setByDelay(facts))) return null;
      return { status: "postponed", facts: { ...facts, date: null } };
    }
    case "cancelled": {
      if (!OPEN_EVENT.includes(status) || status === null) return null;
      return { status: "cancelled", facts: { ...facts, date: null } };
    }
    case "venue_off":
      return facts.place && status !== "held" ? { status, facts: { ...facts, place: null } } : null;
    case "held": {
      // Held on the set day, once it has come, when no day is stated (a report may come a day
      // later). Over set days ("ended on Friday" a two-day summit): the whole range once its
      // last day is reached, else the day it began or was reported.
      // (A set day long gone by is not the day: a report weeks later is of a later sitting.)
      const setDays =
        status === "scheduled" &&
        facts.date &&
        firstDay(facts.date) <= pubDay &&
        Date.parse(pubDay) - Date.parse(facts.date.split("/").pop() as string) <= STALE_SET_DAY_MS
          ? facts.date
          : null;
      const lastSetDay = setDays?.split("/").pop() ?? "";
      let date = claim.date ?? pubDay;
      if (setDays && !setDays.includes("/") && !claim.date) date = setDays;
      if (setDays?.includes("/")) {
        const reached = claim.date
          ? within_(claim.date, setDays) && claim.date.endsWith(lastSetDay)
          : pubDay >= lastSetDay;
        if (reached) date = setDays;
      }
      if (firstDay(date) > lastLocalDay(publishedAt)) return null;
      // A ruling or a result after the sitting: the event's last step. It keeps the sitting's
      // day when reported within two days of it (results come the morning after), else its own.
      if (status === "held" && claim.note && facts.note !== claim.note) {
        const lastSat = facts.date ? Date.parse(facts.date.split("/").pop() as string) : null;
        const close = lastSat !== null && Date.parse(pubDay) - lastSat <= 2 * DAY_MS;
        // (A result declared "early on Sunday" after Saturday's polls keeps the polls' day.)
        const sittingDay =
          close && (!claim.date || Date.parse(firstDay(claim.date)) - (lastSat as number) <= 2 * DAY_MS);
        return {
          status: "held",
          facts: { ...facts, date: sittingDay ? facts.date : (claim.date ?? pubDay), note: claim.note },
        };
      }
      // A meeting well before the set date is another meeting, not this event. A visitor landing
      // somewhere, a prisoner freed there or a court's ruling (its place or its note said) is this
      // event, come before the day that was read (a set day misread, or the event brought forward).
      if (
        (status === "scheduled" || status === "agreed") &&
        facts.date &&
        Date.parse(firstDay(date)) < Date.parse(firstDay(facts.date)) - DAY_MS &&
        !(claim.outcome && (claim.place || claim.note))
      )
        return null;
      if (status === "held" && facts.date && Date.parse(firstDay(date)) - Date.parse(firstDay(facts.date)) < 2 * DAY_MS)
        return null;
      return {
        status: "held",
        facts: {
          // A delay's note ends with the event held.
          ...(setByDelay(base) ? { ...base, note: undefined } : base),
          date,
          place: mergePlace(base.place, claim.place),
          ...(claim.note ? { note: claim.note } : {}),
        },
      };
    }
    default:
      return null;
  }
}

const BEFORE_AGREED: ReadonlyArray<StorylineStatus | null> = [
  null,
  "proposed",
  "negotiating",
  "suspended",
  "collapsed",
];
const BEFORE_SIGNED: ReadonlyArray<StorylineStatus | null> = [null, "proposed", "negotiating", "agreed", "suspended"];

const AFTER_SIGNING: ReadonlyArray<StorylineStatus | null> = ["signed", "in_force", "suspended"];

function agreement(state: StoryState, claim: Claim, publishedAt: string): StoryState | null {
  const { status, facts } = state;
  const pubDay = dayOf(publishedAt);
  switch (claim.cue) {
    // After a collapse, a new offer or new talks revive the deal (the stage holds them off
    // until the collapse is some days old: see REVIVAL_MS).
    case "proposed":
      if (status === "collapsed") return { status: "proposed", facts: { ...facts, note: null } };
      return status === null ? { status: "proposed", facts } : null;
    case "negotiating":
      if (status === "collapsed") return { status: "negotiating", facts: { ...facts, note: null } };
      return status === null || status === "proposed" ? { status: "negotiating", facts } : null;
    case "agreed":
    case "signing_set": {
      const date = claim.date && firstDay(claim.date) >= pubDay ? claim.date : null;
      if (BEFORE_AGREED.includes(status)) {
        return { status: "agreed", facts: { ...facts, date, place: claim.place ?? null } };
      }
      if (status === "agreed") {
        const next = { ...facts, date: date ?? facts.date ?? null, place: mergePlace(facts.place, claim.place) };
        if (next.date === (facts.date ?? null) && next.place === (facts.place ?? null)) return null;
        return { status: "agreed", facts: next };
      }
      return null;
    }
    case "signing_off":
      return status === "agreed" ? { status: "negotiating", facts: { ...facts, date: null, place: null } } : null;
    case "signing_delayed":
      return status === "agreed" && facts.date ? { status: "agreed", facts: { ...facts, date: null } } : null;
    case "signed": {
      const date = claim.date ?? pubDay;
      if (firstDay(date) > pubDay) return null;
      if (
        (status === "signed" || status === "in_force") &&
        facts.date &&
        Date.parse(firstDay(date)) - Date.parse(firstDay(facts.date)) > 7 * DAY_MS
      ) {
        // A later signing (an expanded accord, a protocol): a new fact, the status stays.
        const note = `signed on ${firstDay(date)}`;
        return facts.note === note ? null : { status, facts: { ...facts, note } };
      }
      if (!BEFORE_SIGNED.includes(status)) return null;
      return { status: "signed", facts: { ...facts, date, place: claim.place ?? facts.place ?? null } };
    }
    case "in_force": {
      // "took effect on January 16": the day it came into force; without one, the known date stands.
      const day = claim.date && firstDay(claim.date) <= pubDay ? claim.date : null;
      // A later report may give the day a first one left out.
      if (status === "in_force") return day && !facts.date ? { status, facts: { ...facts, date: day } } : null;
      if (status === "collapsed") return null;
      return { status: "in_force", facts: { ...facts, date: day ?? facts.date ?? null } };
    }
    case "suspended":
      return status === "agreed" || status === "signed" || status === "in_force"
        ? { status: "suspended", facts }
        : null;
    case "collapsed":
      return status === null || status === "collapsed" ? null : { status: "collapsed", facts };
    case "note": {
      if (!claim.note) return null;
      // The step and its day: a second regulator clearing the deal weeks later is news again.
      const note = `${claim.note} on ${firstDay(claim.date ?? pubDay)}`;
      // A later step taken on the deal (ratified, cleared, challenged) says there is a signed deal.
      // (A memorandum is a step towards one.)
      const step = claim.step ?? "after signing";
      if (status === null)
        return { status: step.startsWith("opening") ? "negotiating" : "signed", facts: { ...facts, note } };
      if (facts.note === note) return null;
      // Before the signing, a government or a party approving the text is part of agreeing it;
      // a regulator or a court taking the deal on is news at any stage.
      // A ratification says a deal was struck even when its signing went unreported (members
      // ratifying a tentative contract): agreed, the signing still to come.
      if (claim.note === "ratified" && (status === "proposed" || status === "negotiating" || status === "agreed"))
        return { status: "agreed", facts: { ...facts, note } };
      if (!AFTER_SIGNING.includes(status) && !step.endsWith("any stage")) return null;
      return { status, facts: { ...facts, note } };
    }
    default:
      return null;
  }
}

/** A range of at most a week that holds a set day: the programme of which the day is part. */
function programmeAround(range: string, set: string): boolean {
  const [from, to = from] = range.split("/") as [string, string?];
  return within_(set, range) && Date.parse(to as string) - Date.parse(from) <= 7 * DAY_MS;
}

/**
 * What a storyline's title says of repeats: "one" event it numbers ("third informal summit"),
 * "talks" held in rounds ("peace talks"), or "any" other (a summit that may have a sequel).
 */
export type Rounds = "one" | "talks" | "any";

export function roundsOf(title: string): Rounds {
  if (/\b(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|next|\d+(?:st|nd|rd|th))\b/i.test(title))
    return "one";
  return /\b(?:talks|rounds?|negotiations|consultations)\b/i.test(title) ? "talks" : "any";
}

/**
 * A claim that may move the state: positive, not a recollection, and sure (a plain or attributed
 * statement). Talks come to light through people familiar with them, so a report of talks by
 * unnamed sources, not hedged, is firm enough to open them.
 */
export function isFirm(kind: StorylineKind, claim: Claim): boolean {
  if (claim.polarity !== "positive" || claim.background) return false;
  if (claim.certainty >= 0.8) return true;
  return kind === "agreement" && claim.cue === "negotiating" && claim.certainty >= 0.6;
}

/** The next state if a firm, positive claim moves it; null when it does not. */
export function advance(
  kind: StorylineKind,
  state: StoryState,
  claim: Claim,
  publishedAt: string,
  rounds: Rounds = "talks",
): StoryState | null {
  if (!isFirm(kind, claim)) return null;
  if (kind === "event") return event(state, claim, publishedAt, rounds);
  if (kind === "agreement") return agreement(state, claim, publishedAt);
  return null;
}

/** Does a claim say what the state already says (a report of the same development)? */
export function restates(kind: StorylineKind, state: StoryState, claim: Claim): boolean {
  if (claim.polarity !== "positive" || claim.background) return false;
  const s = state.status;
  const map: Partial<Record<string, StorylineStatus[]>> =
    kind === "event"
      ? {
          proposed: ["proposed"],
          agreed: ["agreed", "scheduled"],
          arranged: ["agreed", "scheduled"],
          postponed: ["postponed"],
          cancelled: ["cancelled"],
          held: ["held"],
          venue_off: [],
        }
      : {
          proposed: ["proposed"],
          negotiating: ["negotiating"],
          agreed: ["agreed"],
          signing_set: ["agreed"],
          signing_off: ["negotiating"],
          signed: ["signed"],
          in_force: ["in_force"],
          suspended: ["suspended"],
          collapsed: ["collapsed"],
          note: s ? [s] : [],
        };
  // A delay that already set the new day.
  if (kind === "event" && claim.cue === "postponed" && s === "scheduled" && setByDelay(state.facts)) return true;
  // A ruling or a result after the sitting is news once.
  if (kind === "event" && claim.cue === "held" && claim.note && state.facts.note !== claim.note) return false;
  // A later step (a ratification, an approval, a lawsuit) restates only the same step.
  if (claim.cue === "note" && claim.note && !state.facts.note?.startsWith(`${claim.note} on `)) return false;
  return s !== null && (map[claim.cue] ?? []).includes(s);
}

const VOID_AFTER_MS = 3 * DAY_MS;

/**
 * A date that passed without the event: three days after it, with no report that it was held
 * (or signed), the date is voided; a scheduled event goes back to agreed, since scheduled
 * needs a date. Returns null when nothing is voided.
 */
export function voidPassedDate(kind: StorylineKind, state: StoryState, now: string): StoryState | null {
  const date = state.facts.date;
  if (!date) return null;
  const last = date.split("/").pop() as string;
  if (Date.parse(last) + VOID_AFTER_MS > Date.parse(now)) return null;
  if (kind === "event" && (state.status === "scheduled" || state.status === "agreed" || state.status === "proposed"))
    return { status: state.status === "scheduled" ? "agreed" : state.status, facts: { ...state.facts, date: null } };
  if (kind === "agreement" && state.status === "agreed")
    return { status: "agreed", facts: { ...state.facts, date: null } };
  return null;
}
