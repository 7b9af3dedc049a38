/**
 * The storyline's principals: whose own acts move its status (../shared/DESIGN.md,
 * Storylines). They come from the storyline alone, never from names in the code:
 *   - the participants it declares, each a name with aliases ("Xhall" for X);
 *   - the parties its title names: countries the gazetteer knows, and names, that is runs of
 *     capitalised title words that the query also writes capitalised ("X–Y summit"
 *     with the query `X AND Y AND summit`).
 * An envoy, minister, delegation or spokesperson of a principal is not the principal:
 * "X's envoy met Y" names X only as the envoy's master.
 */
import type { Participant } from "../../contracts";
import { fold } from "../text";
import { CALENDAR_WORDS, MONTHS } from "./dates";
import { DEMONYMS, PLACE_ALIASES, PLACES } from "./gazetteer";
import { findParticipants, findPlaces } from "./places";

export { namesPrincipal } from "./agents";

export interface Principals {
  /**
   * The title sets named principals against each other ("X–Y summit", "X and Y"):
   * a meeting of theirs is held only when each of them takes part.
   */
  paired: boolean;
  /** Every principal's canonical name: countries by their gazetteer name, others as named. */
  names: Set<string>;
  /** Principals that are not countries (people, parties, companies), with their folded aliases. */
  named: Array<{ name: string; aliases: string[] }>;
  /** Folded alias → principal name, for reading actors in a sentence. */
  aliases: Record<string, string>;
}

/** Words of a title that are capitalised by title case, not because they are names. */
const FUNCTION_WORDS = new Set([
  // what happens, not who: a query may capitalise these too
  "summit",
  "talks",
  "meeting",
  "visit",
  "state",
  "deal",
  "agreement",
  "accord",
  "treaty",
  "ceasefire",
  "truce",
  "election",
  "vote",
  "merger",
  "acquisition",
  "takeover",
  "coalition",
  "peace",
  "trade",
  "a",
  "an",
  "and",
  "as",
  "at",
  "by",
  "for",
  "from",
  "in",
  "into",
  "of",
  "on",
  "or",
  "the",
  "to",
  "with",
  "vs",
  "versus",
]);

/** Runs of capitalised title words the query writes capitalised: the names a title gives. */
export function titleNames(title: string, capitalised: ReadonlySet<string>): string[] {
  return titleNameRuns(title, capitalised).names;
}

const PAIRING = /^(?:[–—/&]|-|\s-\s|and|vs\.?|versus)$/iu;

function titleNameRuns(raw: string, capitalised: ReadonlySet<string>): { names: string[]; paired: boolean } {
  // Places are not names: blank every place the gazetteer finds (a country of two words, an acronym).
  let title = raw;
  for (const place of findPlaces(fold(raw), raw)) {
    title = title.slice(0, place.start) + " ".repeat(place.end - place.start) + title.slice(place.end);
  }
  const names: string[] = [];
  let paired = false;
  let joinerSinceName = false;
  let run: string[] = [];
  const close = () => {
    const name = run.join(" ");
    // A run of words can be a place as a whole (a country of two words).
    if (run.length && !PLACE_ALIASES.has(fold(name))) {
      if (joinerSinceName && names.length) paired = true;
      names.push(name);
      joinerSinceName = false;
    }
    run = [];
  };
  // Dashes and slashes separate parties ("X–Y", "X/Y"); spaces join a name's words.
  for (const part of title.split(/([\s]+|[–—/,:;()"“”&]|\s-\s|(?<=\p{L})-(?=\p{Lu}))/u)) {
    if (!part || /^\s+$/.test(part)) continue;
    if (PAIRING.test(part.trim())) {
      close();
      joinerSinceName = names.length > 0;
      continue;
    }
    const word = part.replace(/(?:'s|’s)$/u, "");
    const folded = fold(word);
    const isName =
      /^\p{Lu}/u.test(word) &&
      capitalised.has(folded) &&
      // Months and weekdays are capitalised too; they are dates, never names.
      !(folded in MONTHS) &&
      !CALENDAR_WORDS.has(folded) &&
      !FUNCTION_WORDS.has(folded) &&
      !PLACE_ALIASES.has(folded) &&
      !(folded in DEMONYMS);
    if (isName) {
      run.push(word);
      if (word !== part) close();
    } else close();
  }
  close();
  return { names, paired };
}

/** A name's folded aliases: the whole name and, for a name of several words, its last word (a surname). */
function nameAliases(name: string): string[] {
  const folded = fold(name).trim();
  const words = folded.split(/\s+/);
  const last = words[words.length - 1] as string;
  return words.length > 1 && last.length >= 3 ? [folded, last] : [folded];
}

export function storylinePrincipals(
  title: string,
  capitalised: ReadonlySet<string>,
  declared: Participant[] | null,
  aliasTable: Record<string, string[]> | null,
  /** The query's top-level OR groups as folded terms: a name's group lists its other names ("X OR Xhall"). */
  synonymGroups: string[][] = [],
): Principals {
  const names = new Set<string>();
  const named: Principals["named"] = [];
  const aliases: Record<string, string> = {};
  const addNamed = (name: string, list: string[]) => {
    const existing = named.find((p) => p.name === name || list.some((a) => p.aliases.includes(a)));
    if (existing) {
      for (const a of list) if (!existing.aliases.includes(a)) existing.aliases.push(a);
      for (const a of list) aliases[a] = existing.name;
      return;
    }
    names.add(name);
    named.push({ name, aliases: [...list] });
    for (const a of list) aliases[a] = name;
  };
  const countryOf = (text: string): string | null => {
    const canonical = PLACE_ALIASES.get(fold(text).trim());
    return canonical && PLACES.get(canonical)?.parent === null ? canonical : null;
  };
  for (const p of declared ?? []) {
    const list = [p.name, ...(p.aliases ?? [])].map((a) => fold(a).trim()).filter(Boolean);
    const country = countryOf(p.name);
    if (country) {
      names.add(country);
      for (const a of list) aliases[a] = country;
    } else addNamed(p.name, [...new Set([...list, ...nameAliases(p.name)])]);
  }
  const folded = fold(title);
  for (const country of findParticipants(folded, findPlaces(folded, title))) names.add(country);
  const runs = titleNameRuns(title, capitalised);
  for (const name of runs.names) {
    const own = nameAliases(name);
    // Other capitalised terms of the query group holding this name are its other names.
    const group = synonymGroups.find((terms) => terms.some((t) => own.includes(t)));
    const synonyms = (group ?? []).filter(
      (t) =>
        t.split(" ").every((w) => capitalised.has(w) && !(w in MONTHS) && !CALENDAR_WORDS.has(w)) &&
        !PLACE_ALIASES.has(t) &&
        !(t in DEMONYMS),
    );
    const list = [...new Set([...own, ...synonyms])];
    // A declared participant named by one of its aliases in the title is that participant.
    const known = own.map((a) => aliases[a]).find(Boolean);
    addNamed(known ?? name, list);
  }
  // Storyline aliases of a principal ({"Xavier Xu": ["Xhall"]}) name it too.
  for (const [name, list] of Object.entries(aliasTable ?? {})) {
    const key = fold(name).trim();
    const principal = aliases[key] ?? (names.has(name) ? name : null) ?? countryOf(name);
    if (!principal || (!names.has(principal) && !aliases[key])) continue;
    for (const alias of list) {
      const a = fold(alias).trim();
      if (a) aliases[a] = principal;
    }
    const entry = named.find((p) => p.name === principal);
    if (entry) for (const alias of list) entry.aliases.push(fold(alias).trim());
  }
  return { names, named, aliases, paired: runs.paired && named.length >= 2 };
}
