/**
 * Date expressions in one folded sentence, resolved against the item's publication time:
 * absolute ("August 15", "15 Aug 2025", "Feb. 28"), ranges ("15-16 August", "August 15-16"),
 * weekdays ("on Friday", "next Thursday") and a few relative words ("today", "tomorrow").
 * Vague spans ("next week", "later this month") are reported as vague, never as a date.
 * Own parser rather than chrono-node: it must know which tense a weekday is read in, and it
 * costs microseconds per sentence.
 */

export interface DateMention {
  /** ISO date or range "YYYY-MM-DD/YYYY-MM-DD"; null for a vague span. */
  value: string | null;
  /** Character offsets in the folded sentence. */
  start: number;
  end: number;
  text: string;
  /** Resolved from a weekday or relative word (less certain than a written date). */
  relative: boolean;
}

/** Words of time that, with months, years and day numbers, make a calendar group ("June OR Thursday OR next week"). */
export const CALENDAR_WORDS = new Set([
  "monday",
  "tuesday",
  "wednesday",
  "thursday",
  "friday",
  "saturday",
  "sunday",
  "next",
  "this",
  "last",
  "week",
  "weekend",
  "month",
  "today",
  "tomorrow",
  "tonight",
]);

export const MONTHS: Record<string, number> = {
  january: 1,
  jan: 1,
  february: 2,
  feb: 2,
  march: 3,
  mar: 3,
  april: 4,
  apr: 4,
  may: 5,
  june: 6,
  jun: 6,
  july: 7,
  jul: 7,
  august: 8,
  aug: 8,
  september: 9,
  sept: 9,
  sep: 9,
  october: 10,
  oct: 10,
  november: 11,
  nov: 11,
  december: 12,
  dec: 12,
};
/**
 * Month names of news in four more languages (es, pt, de, fr), folded; read only after a day
 * number. (March in pt folds to a first name, so it is left out.)
 */
const OTHER_MONTHS: Record<string, number> = {
  enero: 1,
  janeiro: 1,
  januar: 1,
  janvier: 1,
  febrero: 2,
  fevereiro: 2,
  februar: 2,
  fevrier: 2,
  marzo: 3,
  marz: 3,
  mars: 3,
  abril: 4,
  avril: 4,
  mayo: 5,
  maio: 5,
  mai: 5,
  junio: 6,
  junho: 6,
  juni: 6,
  juin: 6,
  julio: 7,
  julho: 7,
  juli: 7,
  juillet: 7,
  agosto: 8,
  aout: 8,
  septiembre: 9,
  setiembre: 9,
  setembro: 9,
  septembre: 9,
  octubre: 10,
  outubro: 10,
  oktober: 10,
  octobre: 10,
  noviembre: 11,
  novembro: 11,
  novembre: 11,
  diciembre: 12,
  dezembro: 12,
  dezember: 12,
  decembre: 12,
};
/** "17 de agosto", "17. Juni 2025", "le 5 mai": a day number, then the month (and its year). */
const OTHER_DAY_MONTH = new RegExp(
  `\\b(\\d{1,2})(?:\\.|er)?\\s+(?:de\\s+)?(${Object.keys(OTHER_MONTHS).join("|")})(?:\\s+(?:de\\s+)?(\\d{4}))?\\b`,
  "g",
);
const WEEKDAYS: Record<string, number> = {
  sunday: 0,
  monday: 1,
  tuesday: 2,
  wednesday: 3,
  thursday: 4,
  friday: 5,
  saturday: 6,
};

const MONTH =
  "(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\\.?";
const DAY = "(\\d{1,2})(?:st|nd|rd|th)?";
const YEAR = "(?:,?\\s+(\\d{4}))?";
const WEEKDAY = "(sunday|monday|tuesday|wednesday|thursday|friday|saturday)";

const DAY_MONTH_RANGE = new RegExp(`\\b${DAY}\\s*(?:-|/|&|to|and)\\s*${DAY}\\s+${MONTH}${YEAR}`, "g");
const MONTH_DAY_RANGE = new RegExp(`\\b${MONTH}\\s+${DAY}\\s*(?:-|to|and)\\s*${DAY}\\b${YEAR}`, "g");
const DAY_MONTH = new RegExp(`\\b${DAY}\\s+(?:of\\s+)?${MONTH}${YEAR}\\b`, "g");
const MONTH_DAY = new RegExp(`\\b${MONTH}\\s+${DAY}\\b(?!\\s*(?:%|percent|billion|million))${YEAR}`, "g");
const ISO = /\b(\d{4})-(\d{2})-(\d{2})\b/g;
/** "the first week of November": the working week (Monday to Friday) that starts on that Monday. */
const WEEK_OF_MONTH = new RegExp(`\\b(first|second|third|fourth|last) week of ${MONTH}${YEAR}`, "g");
const ORDINAL_WEEK: Record<string, number> = { first: 0, second: 1, third: 2, fourth: 3 };
const WEEKDAY_RE = new RegExp(`\\b(?:(next|this|last|coming)\\s+)?${WEEKDAY}(?:'s)?\\b`, "g");
const RELATIVE = /\b(today|tonight|tomorrow|yesterday|this (?:morning|afternoon|evening))\b/g;
const VAGUE =
  /\b(?:(?:next|this|last|later this|early next|coming) (?:week|month|year|weekend)|in the coming (?:days|weeks)|(?:by|before) the end of (?:the )?(?:week|month|year|january|february|march|april|may|june|july|august|september|october|november|december))\b/g;

const DAY_MS = 86_400_000;
const WRITTEN_DATE_AFTER = new RegExp(`^,?\\s*(?:the\\s+)?(?:\\d|${MONTH}\\s+\\d)`);

function iso(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function utcDay(year: number, month: number, day: number): number | null {
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  const ms = Date.UTC(year, month - 1, day);
  return new Date(ms).getUTCDate() === day ? ms : null;
}

export type Tense = "past" | "future" | "present";

/** Both ends of a day range in one month, in one year: the one its last day takes. */
function rangeDays(
  month: number,
  first: number,
  last: number,
  year: number | null,
  refMs: number,
  tense: Tense,
): [number | null, number | null] {
  const b = withYear(month, last, year, refMs, tense);
  if (b === null) return [null, null];
  return [utcDay(new Date(b).getUTCFullYear(), month, first), b];
}

/**
 * How far a yearless date may lie on the wrong side of the report for its tense: a set day a
 * few weeks gone ("was set for 2 March", reported late), but what happened no later than the
 * next day where the clock runs ahead.
 */
const FUTURE_SLACK_MS = 30 * DAY_MS;
const PAST_SLACK_MS = DAY_MS;
const NEAR_MS = 60 * DAY_MS;

/**
 * Without a year, the year that puts the date closest to the publication time, on the side
 * the tense points to: "set for Sept. 23" in March is this September, not the last one.
 */
function withYear(month: number, day: number, year: number | null, refMs: number, tense: Tense): number | null {
  if (year) return utcDay(year, month, day);
  const refYear = new Date(refMs).getUTCFullYear();
  const nearestFirst = [refYear - 1, refYear, refYear + 1]
    .map((y) => utcDay(y, month, day))
    .filter((ms): ms is number => ms !== null)
    .sort((a, b) => Math.abs(a - refMs) - Math.abs(b - refMs));
  const nearest = nearestFirst[0] ?? null;
  // Near the report (two months either way) the nearer year holds: the tense decides only
  // between a date half a year back and half a year ahead.
  if (nearest === null || Math.abs(nearest - refMs) <= NEAR_MS) return nearest;
  const onItsSide = (ms: number) =>
    tense === "future" ? ms >= refMs - FUTURE_SLACK_MS : tense === "past" ? ms <= refMs + PAST_SLACK_MS : true;
  return nearestFirst.find(onItsSide) ?? nearest;
}

/**
 * The latest day a report can call today somewhere: past noon UTC, it is already the next day
 * where the clock runs ahead of UTC. Used wherever a day is checked
 * against the report's own.
 */
export function lastLocalDay(publishedAt: string): string {
  const ms = Date.parse(publishedAt);
  return new Date(new Date(ms).getUTCHours() >= 12 ? ms + DAY_MS : ms).toISOString().slice(0, 10);
}

/**
 * All date mentions of a folded sentence. `tense` decides which way a bare weekday points:
 * "met on Friday" is the last Friday, "will meet on Friday" the next one.
 */
export function findDates(sentence: string, publishedAt: string, tense: Tense): DateMention[] {
  const refMs = Date.parse(publishedAt);
  const refDay = Math.floor(refMs / DAY_MS) * DAY_MS;
  const found: DateMention[] = [];
  const taken: Array<[number, number]> = [];
  const free = (s: number, e: number) => taken.every(([a, b]) => e <= a || s >= b);
  const push = (m: RegExpExecArray, value: string | null, relative: boolean) => {
    const start = m.index;
    const end = m.index + m[0].length;
    if (!free(start, end)) return;
    taken.push([start, end]);
    found.push({ value, start, end, text: m[0], relative });
  };

  for (const m of sentence.matchAll(ISO)) {
    const ms = utcDay(Number(m[1]), Number(m[2]), Number(m[3]));
    if (ms !== null) push(m, iso(ms), false);
  }
  for (const m of sentence.matchAll(WEEK_OF_MONTH)) {
    const month = MONTHS[m[2] as string] as number;
    // (The month's year is chosen once, from its 28th: the week is read against the whole month.)
    const late = withYear(month, 28, m[3] ? Number(m[3]) : null, refMs, tense);
    if (late === null) continue;
    const year = new Date(late).getUTCFullYear();
    const first = Date.UTC(year, month - 1, 1);
    const firstMonday = first + ((8 - new Date(first).getUTCDay()) % 7) * DAY_MS;
    let monday = firstMonday + (ORDINAL_WEEK[m[1] as string] ?? 0) * 7 * DAY_MS;
    if (m[1] === "last") {
      const lastDay = Date.UTC(year, month, 0);
      monday = lastDay - ((new Date(lastDay).getUTCDay() + 6) % 7) * DAY_MS;
    }
    push(m, `${iso(monday)}/${iso(monday + 4 * DAY_MS)}`, false);
  }
  for (const m of sentence.matchAll(DAY_MONTH_RANGE)) {
    const month = MONTHS[m[3] as string] as number;
    const year = m[4] ? Number(m[4]) : null;
    const [a, b] = rangeDays(month, Number(m[1]), Number(m[2]), year, refMs, tense);
    if (a !== null && b !== null && b > a) push(m, `${iso(a)}/${iso(b)}`, false);
  }
  for (const m of sentence.matchAll(MONTH_DAY_RANGE)) {
    const month = MONTHS[m[1] as string] as number;
    const year = m[4] ? Number(m[4]) : null;
    const [a, b] = rangeDays(month, Number(m[2]), Number(m[3]), year, refMs, tense);
    if (a !== null && b !== null && b > a) push(m, `${iso(a)}/${iso(b)}`, false);
  }
  for (const m of sentence.matchAll(DAY_MONTH)) {
    const ms = withYear(MONTHS[m[2] as string] as number, Number(m[1]), m[3] ? Number(m[3]) : null, refMs, tense);
    if (ms !== null) push(m, iso(ms), false);
  }
  for (const m of sentence.matchAll(OTHER_DAY_MONTH)) {
    const ms = withYear(OTHER_MONTHS[m[2] as string] as number, Number(m[1]), m[3] ? Number(m[3]) : null, refMs, tense);
    if (ms !== null) push(m, iso(ms), false);
  }
  for (const m of sentence.matchAll(MONTH_DAY)) {
    // "may 15" is a date, but "may" alone is a modal: the regex needs the day number.
    const ms = withYear(MONTHS[m[1] as string] as number, Number(m[2]), m[3] ? Number(m[3]) : null, refMs, tense);
    if (ms !== null) push(m, iso(ms), false);
  }
  for (const m of sentence.matchAll(WEEKDAY_RE)) {
    const start = m.index;
    // "Friday, August 15": the written date already covers it.
    const after = sentence.slice(start + m[0].length, start + m[0].length + 16);
    if (WRITTEN_DATE_AFTER.test(after) || !free(start, start + m[0].length)) {
      taken.push([start, start + m[0].length]);
      continue;
    }
    const modifier = m[1];
    const target = WEEKDAYS[m[2] as string] as number;
    const today = new Date(refDay).getUTCDay();
    let delta: number;
    if (modifier === "next") {
      // "next Thursday": the Thursday of next week.
      const daysToNextMonday = (8 - today) % 7 || 7;
      delta = daysToNextMonday + ((target + 6) % 7);
    } else if (modifier === "last") delta = -((today - target + 7) % 7 || 7);
    else if (tense === "past" && !modifier) {
      // Reported in the second half of the UTC day, "landed early Wednesday" may name the next
      // UTC day: the early hours of Wednesday where the clock runs ahead of UTC.
      const early = /\b(?:early|early on|before dawn on|in the early hours of)\s+$/.test(
        sentence.slice(Math.max(0, start - 24), start),
      );
      const tomorrow = early && (target - today + 7) % 7 === 1 && lastLocalDay(publishedAt) > iso(refDay);
      delta = tomorrow ? 1 : -((today - target + 7) % 7);
    } else delta = (target - today + 7) % 7;
    push(m, iso(refDay + delta * DAY_MS), true);
  }
  for (const m of sentence.matchAll(RELATIVE)) {
    const word = m[1] as string;
    const delta = word === "tomorrow" ? 1 : word === "yesterday" ? -1 : 0;
    push(m, iso(refDay + delta * DAY_MS), true);
  }
  for (const m of sentence.matchAll(VAGUE)) push(m, null, true);
  return found.sort((a, b) => a.start - b.start);
}
