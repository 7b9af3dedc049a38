/**
 * Who acts in a clause. An envoy, minister, delegation or spokesperson of a principal is not
 * the principal (../shared/DESIGN.md, Storylines): "X's envoy met Y" names X only
 * as the one the envoy acts for.
 */

/** Roles that act for a principal without being it. */
const ROLES =
  "envoys?|emissar(?:y|ies)|ministers?|delegations?|delegates?|negotiators?|teams?|spokes(?:person|man|woman|people)|aides?|advis[eo]rs?|representatives?|officials?|ambassadors?|secretar(?:y|ies)|staff|counsel|lawyers?|allies|administration|government|camp";
const AGENT_ROLE = new RegExp(
  `^(?:'s|’s)?(?:\\s+and\\s+[\\p{L}-]+(?:'s|’s)?)?\\s+(?:(?:special|chief|top|senior|personal|foreign|deputy|prime|national)\\s+)*(?:${ROLES})\\b`,
  "u",
);
/** Any of those roles named. */
export const AGENT_NOUN = new RegExp(`\\b(?:${ROLES})\\b`, "u");
const AGENT_OF =
  /\b(?:envoys?|emissar(?:y|ies)|ministers?|delegations?|negotiators?|aides?|advis[eo]rs?|representatives?|officials?|spokes(?:person|man|woman))\s+(?:of|for|to)\s+(?:the\s+)?$/u;

/**
 * Is the principal named in its own right in this folded text: by one of its aliases, and not
 * only as the one an envoy or a minister acts for ("X's envoy", "an aide to Y")?
 */
export function namesPrincipal(folded: string, aliases: readonly string[]): boolean {
  for (const alias of aliases) {
    const re = new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(alias)}(?![\\p{L}\\p{N}])`, "gu");
    for (const m of folded.matchAll(re)) {
      const after = folded.slice(m.index + m[0].length, m.index + m[0].length + 60);
      const before = folded.slice(Math.max(0, m.index - 40), m.index);
      if (AGENT_ROLE.test(after) || AGENT_OF.test(before)) continue;
      return true;
    }
  }
  return false;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Is the party named at [start, end) of a folded text acting for itself, not as the one an envoy or minister serves? */
export function actsInOwnRight(folded: string, start: number, end: number): boolean {
  return !AGENT_ROLE.test(folded.slice(end, end + 60)) && !AGENT_OF.test(folded.slice(Math.max(0, start - 40), start));
}
