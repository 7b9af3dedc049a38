/**
 * The gazetteer: places with their parents, so containment can be checked (a city within its
 * region within its country), and the demonyms that name a country as an actor. Its data is
 * generated (gazetteer.generated.ts, by `npm run gazetteer` from the hand-written lists in
 * scripts/gazetteer/ and the world's larger cities from GeoNames): this file holds no place.
 * Aliases are matched case- and accent-insensitively; all-capital aliases ("US") as written.
 */
import { fold } from "../text";
import { DEMONYM_LINES, PLACE_LINES } from "./gazetteer.generated";

export interface Place {
  name: string;
  parent: string | null;
  /** Countries have no parent. */
  depth: number;
}

export const PLACES = new Map<string, Place>();
/** Folded alias → canonical name. */
export const PLACE_ALIASES = new Map<string, string>();
/** Upper-case aliases as written ("US", "UAE"): matched case-sensitively, so "us" is not a place. */
export const ACRONYM_ALIASES = new Map<string, string>();

/** Aliases fold as the text they are looked up in does. */
const foldAlias = fold;

for (const line of PLACE_LINES.split("\n")) {
  if (!line.trim()) continue;
  const [names, parent] = line.split(">") as [string, string | undefined];
  const aliases = names.split("|");
  const name = aliases[0] as string;
  // The hand-written lines come first and win any clash with the generated ones, by name or alias.
  if (PLACES.has(name) || PLACE_ALIASES.has(foldAlias(name))) continue;
  PLACES.set(name, { name, parent: parent ?? null, depth: 0 });
  for (const alias of aliases) {
    if (/^[A-Z.]+$/.test(alias)) {
      if (!ACRONYM_ALIASES.has(alias)) ACRONYM_ALIASES.set(alias, name);
    } else if (!PLACE_ALIASES.has(foldAlias(alias))) PLACE_ALIASES.set(foldAlias(alias), name);
  }
}
for (const place of PLACES.values()) {
  let depth = 0;
  for (let p = place.parent; p; p = PLACES.get(p)?.parent ?? null) depth++;
  place.depth = depth;
}

/** Adjectives and metonyms that name a country as an actor, not as a venue (folded word → country). */
export const DEMONYMS: Record<string, string> = Object.fromEntries(
  DEMONYM_LINES.split("\n")
    .filter((line) => line.trim())
    .map((line) => line.split(">") as [string, string]),
);

/** Is `inner` the same place as `outer` or inside it? */
export function within(inner: string, outer: string): boolean {
  for (let p: string | null = inner; p; p = PLACES.get(p)?.parent ?? null) if (p === outer) return true;
  return false;
}
