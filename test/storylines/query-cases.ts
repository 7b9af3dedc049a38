/**
 * Conformance cases for the query language (../shared/DESIGN.md, "Storylines"). A text is
 * either a bare string (title and summary at once) or an item with a title and summary.
 */
export type CaseText = string | { title: string; summary: string };

export interface MatchCase {
  query: string;
  text: CaseText;
  match: boolean;
  /** What the case shows. */
  why: string;
}

export interface ErrorCase {
  query: string;
  /** 1-based character position the error must name. */
  position: number;
  /** What the message must say. */
  message: RegExp;
}

const SUMMIT = "Putin and Trump agree to meet in Alaska next week";

export const MATCH_CASES: MatchCase[] = [
  // Terms, case and whole words
  { query: "Putin", text: SUMMIT, match: true, why: "a bare term" },
  { query: "putin", text: "PUTIN ARRIVES", match: true, why: "case-insensitive" },
  { query: "Kremlin", text: SUMMIT, match: false, why: "absent term" },
  { query: "talks", text: "Ministers resume talks in Geneva", match: true, why: "whole word" },
  { query: "talks", text: "A hunter stalks the forest", match: false, why: "talks is not stalks" },
  { query: "talk", text: "Ministers resume talks", match: false, why: "no implicit stemming" },
  { query: "meet", text: "They will meet on Friday", match: true, why: "word at sentence end" },
  { query: "meet", text: "a meeting is planned", match: false, why: "meet is not meeting without *" },
  { query: "2025", text: "The 2025 summit", match: true, why: "digits are words" },
  { query: "25", text: "The 2025 summit", match: false, why: "digits match whole numbers only" },
  // Implicit and explicit AND, OR, NOT, precedence
  { query: "Putin Trump", text: SUMMIT, match: true, why: "implicit AND, both present" },
  { query: "Putin Xi", text: SUMMIT, match: false, why: "implicit AND, one missing" },
  { query: "Putin AND Alaska", text: SUMMIT, match: true, why: "explicit AND" },
  { query: "Putin AND Beijing", text: SUMMIT, match: false, why: "explicit AND, one missing" },
  { query: "Xi OR Trump", text: SUMMIT, match: true, why: "OR, second present" },
  { query: "Xi OR Modi", text: SUMMIT, match: false, why: "OR, none present" },
  { query: "Putin NOT Xi", text: SUMMIT, match: true, why: "NOT absent word, implicit AND" },
  { query: "Putin NOT Trump", text: SUMMIT, match: false, why: "NOT present word" },
  { query: "Putin AND NOT Trump", text: SUMMIT, match: false, why: "AND NOT" },
  { query: "NOT Xi", text: SUMMIT, match: true, why: "a query may start with NOT" },
  { query: "NOT NOT Putin", text: SUMMIT, match: true, why: "double negation" },
  {
    query: "Xi OR Putin AND Trump",
    text: SUMMIT,
    match: true,
    why: "AND binds tighter than OR: Xi OR (Putin AND Trump)",
  },
  { query: "Xi OR Putin AND Beijing", text: SUMMIT, match: false, why: "AND binds tighter than OR" },
  { query: "Putin OR Xi Beijing", text: SUMMIT, match: true, why: "implicit AND binds tighter than OR" },
  { query: "NOT Xi OR Modi", text: SUMMIT, match: true, why: "NOT binds tighter than OR: (NOT Xi) OR Modi" },
  { query: "NOT Putin OR Modi", text: SUMMIT, match: false, why: "NOT binds tighter than OR: (NOT Putin) OR Modi" },
  { query: "NOT Putin AND Trump", text: SUMMIT, match: false, why: "NOT binds tighter than AND" },
  { query: "NOT (Putin AND Xi)", text: SUMMIT, match: true, why: "NOT over a group" },
  {
    query: '(Putin OR Kremlin) AND Trump AND (summit OR meet* OR "talks")',
    text: SUMMIT,
    match: true,
    why: "the design's example query",
  },
  {
    query: '(Putin OR Kremlin) AND Trump AND (summit OR meet* OR "talks")',
    text: "Trump and Xi to meet",
    match: false,
    why: "the design's example query, missing Putin/Kremlin",
  },
  { query: "((Putin))", text: SUMMIT, match: true, why: "nested parentheses" },
  { query: "(Xi OR Modi) OR (Putin AND (Alaska OR Anchorage))", text: SUMMIT, match: true, why: "nested groups" },
  // Phrases
  { query: '"agree to meet"', text: SUMMIT, match: true, why: "phrase, consecutive words" },
  { query: '"meet to agree"', text: SUMMIT, match: false, why: "phrase, wrong order" },
  {
    query: '"Putin Trump"',
    text: "Plans for a Putin-Trump summit",
    match: true,
    why: "hyphen splits: phrase matches Putin-Trump",
  },
  { query: "Trump", text: "Plans for a Putin-Trump summit", match: true, why: "hyphenated compound holds both words" },
  { query: "Putin-Trump", text: "Putin and Trump", match: false, why: "a hyphenated query term is a phrase" },
  {
    query: "Putin-Trump",
    text: "the Putin Trump meeting",
    match: true,
    why: "a hyphenated query term matches the spaced phrase",
  },
  { query: '"Putin and Trump"', text: "Putin, and Trump", match: true, why: "punctuation inside a phrase is ignored" },
  { query: "“no concrete date”", text: "No concrete date has been set", match: true, why: "typographic quotes" },
  {
    query: '"Seven & i" bid',
    text: "Couche-Tard raises its bid for Seven & i Holdings",
    match: true,
    why: "punctuation standing alone inside a phrase is ignored",
  },
  {
    query: '"Seven & i"',
    text: "Seven Eleven owner i-Holdings",
    match: false,
    why: "a phrase with inner punctuation still needs its words in order",
  },
  { query: '"rare earth*"', text: "a deal on rare earths", match: true, why: "wildcard inside a phrase" },
  { query: '"rare earth*"', text: "rare metals on earth", match: false, why: "wildcard phrase keeps word order" },
  {
    query: '"Verkhovna Rada"',
    text: { title: "The Verkhovna", summary: "Rada votes" },
    match: false,
    why: "phrases do not span title and summary",
  },
  // Wildcards
  { query: "Zelensk*", text: "Zelensky speaks", match: true, why: "wildcard: Zelensky" },
  { query: "Zelensk*", text: "Zelenskyy speaks", match: true, why: "wildcard: Zelenskyy" },
  { query: "Zelensk*", text: "Zelenskiy speaks", match: true, why: "wildcard: Zelenskiy" },
  { query: "Zelensk*", text: "President Zelensk", match: true, why: "wildcard matches the bare stem too" },
  { query: "Zelensk*", text: "Volodymyr speaks", match: false, why: "wildcard, absent" },
  { query: "meet*", text: "The meeting was cordial", match: true, why: "meet* matches meeting" },
  { query: "meet*", text: "Emmet spoke", match: false, why: "wildcards anchor at word start" },
  { query: "Ukrain*", text: "Ukraine’s president", match: true, why: "wildcard over a possessive" },
  {
    query: "escalat*",
    text: "calls for de-escalation",
    match: false,
    why: "wildcard does not reach into a bound prefix",
  },
  { query: "de-escalat*", text: "calls for de-escalation", match: true, why: "wildcard after a bound prefix" },
  // Accents and Unicode
  { query: "Turkiye", text: "talks in Türkiye", match: true, why: "accent-insensitive text" },
  { query: "Türkiye", text: "talks in TURKIYE", match: true, why: "accent-insensitive query" },
  { query: "Zelenskyy", text: "ZELENSKYY", match: true, why: "case-insensitive" },
  { query: "Dolmabahce", text: "at Dolmabahçe Palace", match: true, why: "cedilla stripped" },
  { query: "Lodz", text: "meeting in Łódź", match: true, why: "stroke letters fold" },
  { query: "Strasse", text: "Wilhelmstraße", match: false, why: "folding keeps whole words" },
  { query: "wilhelmstrasse", text: "Wilhelmstraße", match: true, why: "ß folds to ss" },
  { query: "Путин", text: "Путин и Трамп", match: true, why: "Cyrillic letters are words" },
  { query: "Трамп", text: "Путин встретится с ТРАМПОМ", match: false, why: "Cyrillic whole words" },
  { query: "café", text: "CAFE", match: true, why: "composed accents" },
  { query: "cafe", text: "cafe\u0301 talks", match: true, why: "decomposed accents" },
  { query: "ﬁnal", text: "the final round", match: true, why: "compatibility ligatures (NFKD)" },
  // Hyphens and bound prefixes
  {
    query: "escalation",
    text: "calls for de-escalation",
    match: false,
    why: "escalation does not match de-escalation",
  },
  { query: "escalation", text: "fears of escalation", match: true, why: "escalation alone" },
  { query: "de-escalation", text: "calls for de-escalation", match: true, why: "the compound matches itself" },
  {
    query: "deescalation",
    text: "calls for de-escalation",
    match: true,
    why: "a bound compound is one word, with or without hyphen",
  },
  { query: "aggression", text: "a non-aggression pact", match: false, why: "non- is bound" },
  { query: "war", text: "anti-war protests", match: false, why: "anti- is bound" },
  { query: "offensive", text: "a counter-offensive began", match: false, why: "counter- is bound" },
  { query: "counteroffensive", text: "a counter-offensive began", match: true, why: "counter-offensive is one word" },
  { query: "information", text: "dis-information campaign", match: false, why: "dis- is bound" },
  { query: "backed", text: "a UN-backed truce", match: true, why: "UN- in capitals is an acronym, not the un- prefix" },
  { query: "UN", text: "a UN-backed truce", match: true, why: "the acronym stays a word" },
  { query: "ceasefire", text: "a US-brokered ceasefire", match: true, why: "an ordinary hyphen splits" },
  { query: "brokered", text: "a US-brokered ceasefire", match: true, why: "both sides of an ordinary hyphen" },
  // Possessives and apostrophes
  { query: "Kyiv", text: "Kyiv’s position", match: true, why: "possessive ’s belongs to its word" },
  { query: "Kyiv", text: "Kyiv's position", match: true, why: "possessive 's belongs to its word" },
  { query: "Kyiv's", text: "Kyiv will answer", match: true, why: "a possessive query term matches the word" },
  { query: "Kyiv", text: "Kyivʼs position", match: true, why: "the modifier-letter apostrophe ʼ is an apostrophe" },
  { query: "s", text: "Kyiv’s position", match: false, why: "the possessive s is not a word" },
  { query: "Brien", text: "O'Brien said", match: true, why: "other apostrophes split" },
  // NEAR
  { query: "Putin NEAR/3 Alaska", text: "Putin will travel to Alaska", match: true, why: "NEAR, 3 words between" },
  { query: "Putin NEAR/2 Alaska", text: "Putin will travel to Alaska", match: false, why: "NEAR, 3 words between > 2" },
  { query: "Alaska NEAR/3 Putin", text: "Putin will travel to Alaska", match: true, why: "NEAR either order" },
  { query: "Putin NEAR/0 Trump", text: "Putin Trump summit", match: true, why: "NEAR/0: adjacent" },
  {
    query: "Putin near/3 Alaska",
    text: "Putin will travel to Alaska",
    match: true,
    why: "near/n in small letters is NEAR/n",
  },
  { query: "summit near Alaska", text: "a summit near Alaska", match: true, why: "bare near is a word" },
  { query: "Putin NEAR/0 Trump", text: "Putin and Trump", match: false, why: "NEAR/0 is adjacency" },
  {
    query: "summit NEAR/5 (postponed OR cancelled)",
    text: "The summit has been postponed indefinitely",
    match: true,
    why: "NEAR with an OR group",
  },
  {
    query: '"peace talks" NEAR/3 Istanbul',
    text: "peace talks resume today in Istanbul",
    match: true,
    why: "NEAR with a phrase: words after its end",
  },
  {
    query: '"peace talks" NEAR/1 Istanbul',
    text: "peace talks resume today in Istanbul",
    match: false,
    why: "NEAR counts from the phrase end",
  },
  { query: "meet* NEAR/2 Alaska", text: SUMMIT, match: true, why: "NEAR with a wildcard" },
  {
    query: "Putin NEAR/3 Trump",
    text: { title: "Putin speaks", summary: "Trump answers" },
    match: false,
    why: "NEAR does not span fields",
  },
  { query: "Putin NEAR/2 Trump NEAR/2 Alaska", text: "Putin and Trump in Alaska", match: true, why: "chained NEAR" },
  { query: "Putin NEAR/3 Putin", text: "Putin spoke", match: false, why: "NEAR needs two occurrences" },
  // Fields
  {
    query: "title:Alaska",
    text: { title: "Summit in Alaska", summary: "Leaders meet" },
    match: true,
    why: "title field",
  },
  {
    query: "title:Alaska",
    text: { title: "Leaders meet", summary: "Summit in Alaska" },
    match: false,
    why: "title field, word only in summary",
  },
  {
    query: "summary:Alaska",
    text: { title: "Leaders meet", summary: "Summit in Alaska" },
    match: true,
    why: "summary field",
  },
  {
    query: "summary:Alaska",
    text: { title: "Summit in Alaska", summary: "Leaders meet" },
    match: false,
    why: "summary field, word only in title",
  },
  {
    query: "Alaska",
    text: { title: "Leaders meet", summary: "Summit in Alaska" },
    match: true,
    why: "no field: anywhere",
  },
  {
    query: 'title:"summit in"',
    text: { title: "Summit in Alaska", summary: "x" },
    match: true,
    why: "field on a phrase",
  },
  {
    query: "title:(Xi OR Alaska)",
    text: { title: "Summit in Alaska", summary: "Xi" },
    match: true,
    why: "field on a group",
  },
  {
    query: "title:(Xi OR Beijing)",
    text: { title: "Summit in Alaska", summary: "Xi in Beijing" },
    match: false,
    why: "field on a group, words only in summary",
  },
  {
    query: "TITLE:alask*",
    text: { title: "Summit in Alaska", summary: "x" },
    match: true,
    why: "field names are case-insensitive, wildcard in field",
  },
  {
    query: "title:Putin NOT summary:Xi",
    text: { title: "Putin", summary: "Xi" },
    match: false,
    why: "fields with NOT",
  },
  // Lowercase operators are words
  { query: "Putin and Trump", text: "Putin met Trump", match: false, why: "lowercase and is the word and" },
  { query: "war or peace", text: "war or peace", match: true, why: "lowercase or is a word" },
];

export const ERROR_CASES: ErrorCase[] = [
  { query: "", position: 1, message: /Empty query/ },
  { query: "   ", position: 1, message: /Empty query/ },
  { query: "(Putin OR Trump", position: 1, message: /Unbalanced parentheses.*never closed/ },
  { query: "Putin OR Trump)", position: 15, message: /Unbalanced parentheses.*no matching \(/ },
  { query: "(a OR (b AND c)", position: 1, message: /never closed/ },
  { query: "a )(", position: 3, message: /no matching/ },
  { query: "()", position: 1, message: /Empty parentheses/ },
  { query: "Putin AND", position: 7, message: /Dangling operator: AND has nothing after it/ },
  { query: "OR Putin", position: 1, message: /Dangling operator: OR has nothing before it/ },
  { query: "Putin AND OR Trump", position: 11, message: /OR follows AND/ },
  { query: "(Putin OR) Trump", position: 8, message: /Dangling operator: OR has nothing after it/ },
  { query: "Putin NOT", position: 7, message: /Dangling operator: NOT/ },
  { query: '""', position: 1, message: /Empty phrase/ },
  { query: 'Putin "  "', position: 7, message: /Empty phrase/ },
  { query: 'Putin " & "', position: 7, message: /Empty phrase/ },
  { query: 'Putin "summit', position: 7, message: /Unclosed quote/ },
  { query: "Putin NEAR/x Trump", position: 7, message: /Bad NEAR\/x/ },
  { query: "Putin near/ Trump", position: 7, message: /Bad near\// },
  { query: "Putin NEAR Trump", position: 7, message: /Bad NEAR/ },
  { query: "Putin NEAR/1000 Trump", position: 7, message: /from 0 to 100/ },
  { query: "Putin NEAR/3", position: 7, message: /Dangling operator: NEAR\/3/ },
  { query: "(a AND b) NEAR/3 c", position: 11, message: /NEAR\/3 joins words/ },
  { query: "Putin AND *", position: 11, message: /Lone \*/ },
  { query: "Zel*sky", position: 4, message: /Misplaced \*/ },
  { query: '"rare * earth"', position: 7, message: /Lone \*/ },
  { query: "body:Putin", position: 1, message: /Unknown field "body:"/ },
  { query: "title: Putin", position: 1, message: /followed directly/ },
  { query: "title:summary:Putin", position: 7, message: /inside another field/ },
  { query: "Putin -Trump", position: 7, message: /NOT Trump/ },
  { query: "title:NOT Putin", position: 7, message: /NOT cannot stand here: title: needs a word/ },
  { query: "Putin NEAR/2 NOT Trump", position: 14, message: /NOT cannot stand here: NEAR\/2 needs a word/ },
  { query: "Putin ...", position: 7, message: /no letters or digits/ },
];
