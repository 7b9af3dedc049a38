/// <reference types="vite/client" />
/**
 * Detection knows language and the storyline, never names: no proper name from any corpus (fit
 * or check) appears in src/detect, code or comments, outside the generated gazetteer (places
 * included: they are data, in scripts/gazetteer/). A name is a word the corpora never write in
 * small letters and either capitalise in a storyline's title or query, or capitalise
 * mid-sentence in an item and is no English word ("wall" of Wall Street is a word).
 */
import englishWords from "an-array-of-english-words";
import { describe, expect, it } from "vitest";
import { fold } from "../../src/detect/text";

const corpora = import.meta.glob<{ default: Corpus }>("../fixtures/corpora/**/*.json", { eager: true });
const sources = import.meta.glob<string>("../../src/detect/**/*.ts", { eager: true, query: "?raw", import: "default" });

interface Corpus {
  storylines: Array<{ title: string; query: string }>;
  ticks: Array<{ items: Array<{ title: string; summary: string; content?: string }> }>;
}

/** The gazetteer's generated data: place names live there (and in scripts/gazetteer/), by design. */
const GAZETTEER_DATA = /\/extract\/gazetteer\.generated\.ts$/;
const CALENDAR = new Set(
  "january february march april may june july august september sept october november december monday tuesday wednesday thursday friday saturday sunday".split(
    " ",
  ),
);

/**
 * Words of the language, not names: abbreviated legal forms of companies ("Corp.", "Ltd"), and
 * the kinds of court a title capitalises as part of a court's name ("Ninth Circuit").
 */
const WORDS_NOT_NAMES = new Set([
  "corp",
  "ltd",
  "plc",
  "llc",
  "gmbh",
  "circuit",
  // German capitalises every noun: the common nouns its status verbs are read with, and its
  // months, are words.
  "januar",
  "juni",
  "juli",
  "dezember",
  "abkommen",
  "leitzins",
  "treffen",
  "verhandlungen",
  "vertrag",
  "wahl",
  "zins",
  "zinsen",
]);

function corpusNames(): Set<string> {
  const lower = new Set<string>();
  const capitalised = new Set<string>();
  // A capitalised word counts mid-sentence only: "Every" opening a quote is not a name.
  const add = (text: string) => {
    for (const m of text.matchAll(/[\p{L}][\p{L}'’]*/gu)) {
      const word = m[0].replace(/(?:'s|’s)$/u, "");
      if (/^\p{Ll}/u.test(word)) lower.add(fold(word));
      else if (/[\p{L}\p{N},]\s+$/u.test(text.slice(Math.max(0, m.index - 3), m.index))) capitalised.add(fold(word));
    }
  };
  const forced = new Set<string>();
  for (const { default: corpus } of Object.values(corpora)) {
    if (!corpus.storylines) continue;
    for (const s of corpus.storylines) {
      for (const m of `${s.title} ${s.query}`.matchAll(/\p{Lu}[\p{L}'’]*/gu)) {
        const word = fold(m[0].replace(/(?:'s|’s)$/u, ""));
        if (!["and", "or", "not", "near"].includes(word)) forced.add(word);
      }
    }
    for (const t of corpus.ticks)
      for (const i of t.items) for (const text of [i.title, i.summary, i.content ?? ""]) add(text);
  }
  const dictionary = new Set(englishWords);
  const names = new Set<string>();
  const candidates = [...forced, ...[...capitalised].filter((w) => !dictionary.has(w))];
  for (const word of candidates) {
    if (lower.has(word) || word.length < 4 || CALENDAR.has(word) || WORDS_NOT_NAMES.has(word)) continue;
    names.add(word);
  }
  return names;
}

describe("no names in detection", () => {
  const names = corpusNames();

  it("collects the corpora's names (the check is not empty)", () => {
    expect(names.size).toBeGreaterThan(100);
    expect(names.has("putin")).toBe(true);
  });

  it("finds none of them in src/detect outside the gazetteer's data", () => {
    const found: string[] = [];
    for (const [path, text] of Object.entries(sources)) {
      if (GAZETTEER_DATA.test(path)) continue;
      // Module specifiers ("cloudflare:workers") name the platform, not what detection knows.
      const code = text.replace(/\bfrom\s+"[^"]*"/g, "");
      const words = new Set((fold(code).match(/\p{L}[\p{L}'’]*/gu) ?? []).map((w) => w.replace(/(?:'s|’s)$/u, "")));
      for (const name of names) if (words.has(name)) found.push(`${path.replace(/^.*\/src\//, "src/")}: ${name}`);
    }
    expect(found).toEqual([]);
  });
});
