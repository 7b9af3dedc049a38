/**
 * Feed dates → epoch milliseconds. RFC 822/1123/2822 as RSS uses them (with the variants
 * seen in the wild: no weekday, no seconds, two-digit years, odd offsets such as +0545 or
 * +05:30, US and military zone letters, "UT"/"GMT"/"Z"), and ISO 8601 / RFC 3339 as Atom,
 * JSON Feed and Dublin Core use them (a missing zone is read as UTC). Returns null when
 * unreadable: the caller then uses the first-seen time.
 */

const MONTHS: Record<string, number> = {
  jan: 0,
  feb: 1,
  mar: 2,
  apr: 3,
  may: 4,
  jun: 5,
  jul: 6,
  aug: 7,
  sep: 8,
  sept: 8,
  oct: 9,
  nov: 10,
  dec: 11,
};

/** RFC 822 §5.1 zones, in minutes east of UTC. */
const ZONES: Record<string, number> = {
  ut: 0,
  utc: 0,
  gmt: 0,
  z: 0,
  est: -300,
  edt: -240,
  cst: -360,
  cdt: -300,
  mst: -420,
  mdt: -360,
  pst: -480,
  pdt: -420,
  // Common non-RFC abbreviations seen in European and Asian feeds.
  bst: 60,
  cet: 60,
  cest: 120,
  eet: 120,
  eest: 180,
  msk: 180,
  ist: 330,
  jst: 540,
  aest: 600,
};

function zoneOffsetMinutes(zone: string | undefined): number | null {
  if (!zone) return 0;
  const numeric = /^([+-])(\d{1,2}):?(\d{2})?$/.exec(zone);
  if (numeric) {
    const hours = Number(numeric[2]);
    const minutes = Number(numeric[3] ?? 0);
    if (hours > 23 || minutes > 59) return null;
    return (numeric[1] === "-" ? -1 : 1) * (hours * 60 + minutes);
  }
  const named = ZONES[zone.toLowerCase()];
  if (named !== undefined) return named;
  // Military single letters (RFC 822 got their signs backwards; RFC 2822 says treat as UTC).
  if (/^[a-ik-z]$/i.test(zone)) return 0;
  return null;
}

const RFC822 =
  /^(?:[A-Za-z]{2,9},?\s*)?(\d{1,2})[\s-]+([A-Za-z]{3,9})\.?[\s-]+(\d{2,4})(?:[\sT]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*([A-Za-z]{1,5}|[+-]\d{1,2}:?\d{2})?\s*(?:\([^)]*\))?$/;

const ISO8601 =
  /^(\d{4})-?(\d{2})-?(\d{2})(?:[T\s]+(\d{2}):?(\d{2})(?::?(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?|UTC|GMT)?$/;

function build(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  ms: number,
  offset: number,
): number | null {
  if (month < 0 || month > 11 || day < 1 || day > 31 || hour > 24 || minute > 59 || second > 60) return null;
  const time = Date.UTC(year, month, day, hour, minute, Math.min(second, 59), ms) - offset * 60_000;
  return Number.isFinite(time) ? time : null;
}

/** Longer than any real date, comment included ("Tue, 12 Aug 2025 18:03:00 -0700 (Pacific Daylight Time)"). */
const MAX_DATE_LENGTH = 100;

export function parseFeedDate(raw: string | null | undefined): number | null {
  if (!raw) return null;
  const text = raw.trim();
  // Real dates are short; a hostile megabyte of spaces must not meet the regexes below.
  if (text === "" || text.length > MAX_DATE_LENGTH) return null;

  const iso = ISO8601.exec(text);
  if (iso) {
    const zone = iso[8];
    const offset = zone === undefined || /^(z|utc|gmt)$/i.test(zone) ? 0 : zoneOffsetMinutes(zone);
    if (offset === null) return null;
    const fraction = iso[7] ? Number(`0.${iso[7]}`) * 1000 : 0;
    return build(
      Number(iso[1]),
      Number(iso[2]) - 1,
      Number(iso[3]),
      Number(iso[4] ?? 0),
      Number(iso[5] ?? 0),
      Number(iso[6] ?? 0),
      Math.floor(fraction),
      offset,
    );
  }

  const rfc = RFC822.exec(text);
  if (rfc) {
    const month = MONTHS[(rfc[2] ?? "").toLowerCase().slice(0, rfc[2]?.toLowerCase().startsWith("sept") ? 4 : 3)];
    if (month === undefined) return null;
    let year = Number(rfc[3]);
    // RFC 2822 §4.3: two-digit years 00-49 are 2000-2049, 50-99 are 1950-1999.
    if ((rfc[3] ?? "").length <= 2) year += year < 50 ? 2000 : 1900;
    const offset = zoneOffsetMinutes(rfc[7]);
    if (offset === null) return null;
    return build(year, month, Number(rfc[1]), Number(rfc[4] ?? 0), Number(rfc[5] ?? 0), Number(rfc[6] ?? 0), 0, offset);
  }

  // Last resort: the engine's own parser (handles e.g. "Tue Feb 25 2025 10:00:00 GMT+0000").
  const fallback = Date.parse(text);
  return Number.isFinite(fallback) ? fallback : null;
}
