/**
 * Places and participants named in a sentence. A place preceded by "in", "at", "to" or
 * "for" is a venue candidate; a capital used as an actor ("the capital dropped a demand") is
 * not. Participants are countries named directly or by adjective, and the storyline's own
 * principals by their aliases.
 */
import { actsInOwnRight, namesPrincipal } from "./agents";
import { ACRONYM_ALIASES, DEMONYMS, PLACE_ALIASES, PLACES } from "./gazetteer";

export interface PlaceMention {
  name: string;
  start: number;
  end: number;
  venue: boolean;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

const wordAliases = [...PLACE_ALIASES.keys()].sort((a, b) => b.length - a.length);
const acronymAliases = [...ACRONYM_ALIASES.keys()].sort((a, b) => b.length - a.length);
const PLACE_RE = new RegExp(
  `(?<![\\p{L}\\p{N}])(${wordAliases.map(escapeRegExp).join("|")})(?:'s)?(?![\\p{L}\\p{N}])`,
  "gu",
);
const ACRONYM_RE = new RegExp(`(?<![A-Za-z.])(${acronymAliases.map(escapeRegExp).join("|")})(?![A-Za-z])`, "g");

const VENUE_BEFORE =
  /\b(?:(?:city|capital|resort|port|town|village|island|region|state|province|palace|base) of|hosted by|venue(?: of| is| was| will be)?)\s+(?:the\s+)?$/u;
const VENUE_BEFORE_NEAR = /\b(?:in|at|to|for|into)\s+(?:the\s+)?$/u;

/** Places in a sentence; `folded` and `original` must be the same sentence (fold keeps offsets). */
export function findPlaces(folded: string, original: string, extra?: ReadonlyMap<string, string>): PlaceMention[] {
  const out: PlaceMention[] = [];
  // Storyline aliases ({"Z": ["Xhall"]}), folded alias → place.
  if (extra) {
    for (const [alias, name] of extra) {
      for (let at = folded.indexOf(alias); at !== -1; at = folded.indexOf(alias, at + alias.length)) {
        const before = folded[at - 1];
        const after = folded[at + alias.length];
        if ((before && /[\p{L}\p{N}]/u.test(before)) || (after && /[\p{L}\p{N}]/u.test(after))) continue;
        const context = folded.slice(Math.max(0, at - 30), at);
        out.push({
          name,
          start: at,
          end: at + alias.length,
          // A place the storyline declares is a venue after "on" too ("on the island").
          venue: VENUE_BEFORE_NEAR.test(context) || VENUE_BEFORE.test(context) || /\bon\s+(?:the\s+)?$/.test(context),
        });
      }
    }
  }
  for (const m of folded.matchAll(PLACE_RE)) {
    const name = PLACE_ALIASES.get(m[1] as string);
    if (!name) continue;
    const before = folded.slice(Math.max(0, m.index - 30), m.index);
    const venue =
      VENUE_BEFORE_NEAR.test(before) ||
      (VENUE_BEFORE.test(before) && !/\b(?:said|says|told)\b/.test(before)) ||
      // "on X island": "on" marks a place only before an island ("talks on the island" is a subject).
      (/\bon\s+(?:the\s+)?$/.test(before) && /^\p{L}[\p{L}\s-]* island\b/u.test(folded.slice(m.index)));
    out.push({ name, start: m.index, end: m.index + m[0].length, venue });
  }
  if (original.length === folded.length) {
    for (const m of original.matchAll(ACRONYM_RE)) {
      const name = ACRONYM_ALIASES.get(m[1] as string);
      if (!name) continue;
      const before = folded.slice(Math.max(0, m.index - 30), m.index);
      out.push({ name, start: m.index, end: m.index + m[0].length, venue: VENUE_BEFORE_NEAR.test(before) });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/** The most specific of several places (deepest in the gazetteer; first on ties). */
export function mostSpecific(names: string[]): string | null {
  let best: string | null = null;
  for (const name of names) {
    if (best === null || (PLACES.get(name)?.depth ?? 0) > (PLACES.get(best)?.depth ?? 0)) best = name;
  }
  return best;
}

const DEMONYM_RE = new RegExp(
  `(?<![\\p{L}])(${Object.keys(DEMONYMS)
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp)
    .join("|")})s?(?:'s)?(?![\\p{L}])`,
  "gu",
);

/**
 * Parties acting in a sentence: countries named, by adjective or by capital, and the
 * storyline's principals by their aliases (`extra`, folded alias → principal), unless named only
 * as the one an envoy or minister acts for.
 */
export function findParticipants(folded: string, places: PlaceMention[], extra?: Record<string, string>): Set<string> {
  const out = new Set<string>();
  for (const p of places) {
    const place = PLACES.get(p.name);
    if (!place) continue;
    // A country, or a capital used as its government.
    // "X's foreign minister", "X and Y delegations": they act for X, they are not X.
    if (!actsInOwnRight(folded, p.start, p.end)) continue;
    if (place.parent === null) out.add(p.name);
    else if (DEMONYMS[p.name.toLowerCase()]) out.add(DEMONYMS[p.name.toLowerCase()] as string);
  }
  for (const m of folded.matchAll(DEMONYM_RE)) {
    const start = m.index + m[0].indexOf(m[1] as string);
    if (actsInOwnRight(folded, start, start + (m[1] as string).length)) out.add(DEMONYMS[m[1] as string] as string);
  }
  if (extra) {
    for (const [alias, principal] of Object.entries(extra))
      if (!out.has(principal) && folded.includes(alias) && namesPrincipal(folded, [alias])) out.add(principal);
  }
  return out;
}
