/**
 * The three readings the NLP benchmark compares (bench/nlp.bench.ts), behind one interface: the
 * project's hand-written reading (src/detect/text.ts and src/detect/extract: sentence split, cue
 * regexes, their qualifiers, dates.ts), compromise (with compromise-dates), and wink-nlp with
 * its English lite web model.
 *
 * Each answers, for one sentence and its trigger word (given by the gold set, so trigger finding
 * is not scored here): the trigger's lemma, tense, modality and whether it is negated; and the
 * dates the sentence names. Where a library has no answer of its own, the same small rule on its
 * tokens is used for both libraries (the governing "to"-verb of a modality, the lexical negators
 * "refuse", "decline", "deny", "fail", "yet to", "rather than"), so the figures compare the
 * libraries' tags and lemmas, not glue code.
 */
import * as chrono from "chrono-node";
import nlp from "compromise";
import datesPlugin from "compromise-dates";
import model from "wink-eng-lite-web-model";
import winkNLP from "wink-nlp";
import { clauseStart, cuesFor, qualify } from "../src/detect/extract/cues";
import { type Tense as DateTense, findDates } from "../src/detect/extract/dates";
import { fold, splitSentences } from "../src/detect/text";

/** Time to set each library up in a fresh isolate (plugin registration, model build). */
export const setupMs: Record<string, number> = {};
let setupStart = performance.now();
nlp.plugin(datesPlugin);
setupMs["compromise-dates plugin"] = performance.now() - setupStart;

export type Tense = "past" | "present" | "future" | "perfect";

export interface TriggerReading {
  lemma: string | null;
  tense: Tense | null;
  /** The modal or governing word: will, would, could, may, might, must, should, expect, ready, plan… */
  modality: string | null;
  negated: boolean;
}

export interface Candidate {
  name: string;
  /** Its entry in bench/nlp.sizes.ts. */
  bundle: string;
  /** Absent for a candidate that only reads dates. */
  sentences?(text: string): string[];
  trigger?(sentence: string, trigger: string, publishedAt: string): TriggerReading;
  /** Texts of the date expressions found. */
  dateTexts(sentence: string, publishedAt: string): string[];
  /**
   * Resolved days ("YYYY-MM-DD" or "a/b" ranges), or null when the candidate resolves no dates.
   * The trigger, when the sentence has one, lets a reading date a weekday by its tense.
   */
  dateValues(sentence: string, publishedAt: string, trigger: string | null): string[] | null;
  /** Everything the reader would ask of the candidate for one item's text (timed per item). */
  analyse(text: string, publishedAt: string): number;
}

const MODALS = new Set(["will", "shall", "would", "could", "may", "might", "must", "should", "can"]);
/** Words that govern "to <verb>" as a modality ("expected to meet", "ready to sign"). */
const CONTROL = new Set(["expect", "ready", "plan", "hope", "want", "aim", "intend", "prepare", "seek", "likely"]);
const LEXICAL_NEGATORS = new Set(["refuse", "decline", "deny", "fail"]);
const CLAUSE_BREAK = new Set([",", ";", ":", "that", "but", "while", "although", "which", "because", "as"]);

interface Tok {
  text: string;
  lower: string;
  lemma: string;
  pos: string;
}

/** The governing modality of "to <trigger>" and the lexical negators of the trigger's clause. */
function sharedRules(tokens: Tok[], at: number): { control: string | null; lexicalNegation: boolean } {
  let control: string | null = null;
  const prev = tokens[at - 1];
  if (prev?.lower === "to") {
    const gov = tokens[at - 2];
    if (gov && CONTROL.has(gov.lemma)) control = gov.lemma;
  }
  let start = 0;
  for (let i = 0; i < at; i++) if (CLAUSE_BREAK.has(tokens[i]?.lower ?? "")) start = i + 1;
  let lexicalNegation = false;
  for (let i = start; i < at; i++) {
    const t = tokens[i] as Tok;
    const next = tokens[i + 1]?.lower;
    if (
      LEXICAL_NEGATORS.has(t.lemma) ||
      (t.lower === "yet" && next === "to") ||
      (t.lower === "rather" && next === "than")
    )
      lexicalNegation = true;
  }
  return { control, lexicalNegation };
}

/** "Court to hear …": an infinitive with no finite verb before it in its clause is a headline's future. */
function headlineInfinitive(tokens: Tok[], at: number): boolean {
  if (tokens[at - 1]?.lower !== "to") return false;
  return !tokens.slice(0, at - 1).some((t) => t.pos === "VERB" || t.pos === "AUX");
}

const dayOf = (iso: string) => iso.slice(0, 10);

// ---------------------------------------------------------------------------------------------
// The hand-written reading: src/detect/text.ts and src/detect/extract as the reader uses them.

const HAND_CUES = [...cuesFor("event"), ...cuesFor("agreement")];
/** The modal words MODAL_BEFORE and HEDGE of cues.ts look for right before a cue, in their order. */
const HAND_MODAL =
  /\b(will|shall|would|could|may|might|must|should|expected to|ready to|plans? to|hopes? to|wants? to)\b(?:\s+(?:now|still|soon|probably|not))*(?:\s+be)?\s+$/;

function wordAt(folded: string, word: string): number {
  const m = new RegExp(`\\b${word.toLowerCase()}\\b`).exec(folded);
  return m ? m.index : -1;
}

function handTense(folded: string, start: number, end: number): { tense: Tense | null; modality: string | null } {
  const clause = folded.slice(clauseStart(folded, start), start);
  const modal = HAND_MODAL.exec(clause)?.[1] ?? null;
  const modality = modal ? (modal.split(" ")[0] as string).replace(/(?:ed|s)$/, "") : null;
  if (modality === "will" || modality === "shall") return { tense: "future", modality };
  const cue = HAND_CUES.find((c) =>
    [...folded.matchAll(c.global)].some((m) => m.index <= start && m.index + m[0].length >= end),
  );
  return { tense: cue && !modality ? cue.tense : null, modality };
}

export const handWritten: Candidate = {
  name: "hand-written (src/detect)",
  bundle: "hand-written",
  sentences: (text) => splitSentences(text),
  trigger(sentence, trigger) {
    const folded = fold(sentence);
    const start = wordAt(folded, trigger);
    if (start < 0) return { lemma: null, tense: null, modality: null, negated: false };
    const end = start + trigger.length;
    const { tense, modality } = handTense(folded, start, end);
    // No lemmatiser: the cue regexes list inflected forms.
    return { lemma: null, tense, modality, negated: qualify(folded, start, end).negated };
  },
  dateTexts: (sentence, at) => findDates(fold(sentence), at, "future").map((d) => d.text),
  dateValues(sentence, at, trigger) {
    const folded = fold(sentence);
    // The reader dates a mention by the direction of the cue it belongs to.
    const start = trigger ? wordAt(folded, trigger) : -1;
    const read = start >= 0 ? handTense(folded, start, start + (trigger as string).length).tense : null;
    const tense: DateTense = read === "future" ? "future" : read === "past" ? "past" : "present";
    return findDates(folded, at, tense).flatMap((d) => (d.value ? [d.value] : []));
  },
  analyse(text, at) {
    let n = 0;
    for (const sentence of splitSentences(text)) {
      const folded = fold(sentence);
      for (const cue of HAND_CUES)
        for (const m of folded.matchAll(cue.global))
          n += qualify(folded, m.index, m.index + m[0].length).negated ? 1 : 0;
      n += findDates(folded, at, "future").length;
    }
    return n;
  },
};

// ---------------------------------------------------------------------------------------------
// compromise (and compromise-dates for dates).

interface CompromiseTerm {
  text: string;
  normal: string;
  tags: string[];
}
interface CompromiseVerb {
  terms: CompromiseTerm[];
  verb: {
    infinitive: string;
    auxiliary: string;
    negative: boolean;
    grammar: { tense: string; form?: string | null; isInfinitive?: boolean };
  };
}

function compromisePos(tags: string[]): string {
  if (tags.includes("Auxiliary") || tags.includes("Modal")) return "AUX";
  if (tags.includes("Verb")) return "VERB";
  if (tags.includes("Negative")) return "PART";
  return tags[0] ?? "X";
}

function compromiseTokens(doc: ReturnType<typeof nlp>): Tok[] {
  const json = doc.json() as Array<{ terms: CompromiseTerm[] }>;
  return json.flatMap((s) =>
    s.terms.flatMap((t) => {
      const tok: Tok = { text: t.text, lower: t.normal, lemma: t.normal, pos: compromisePos(t.tags) };
      const punct = /[,;:]\s*$/.exec((t as unknown as { post: string }).post ?? "");
      return punct
        ? [tok, { text: punct[0].trim(), lower: punct[0].trim(), lemma: punct[0].trim(), pos: "PUNCT" }]
        : [tok];
    }),
  );
}

function compromiseTense(v: CompromiseVerb["verb"]): { tense: Tense | null; modality: string | null } {
  const aux = v.auxiliary.toLowerCase();
  const modal = aux.split(/\s+/).find((w) => MODALS.has(w)) ?? null;
  if (modal === "will" || modal === "shall") return { tense: "future", modality: modal };
  if (modal) return { tense: null, modality: modal };
  if (/\bgoing to\b/.test(aux)) return { tense: "future", modality: null };
  if (/\b(?:has|have|had)\b/.test(aux) || (v.grammar.form ?? "").includes("perfect"))
    return { tense: "perfect", modality: null };
  const t = v.grammar.tense;
  return {
    tense: t === "FutureTense" ? "future" : t === "PastTense" ? "past" : t === "PresentTense" ? "present" : null,
    modality: null,
  };
}

function compromiseDateValues(sentence: string, at: string): string[] {
  const doc = nlp(sentence) as ReturnType<typeof nlp> & {
    dates(o: object): { json(): Array<{ dates?: { start?: string; end?: string; unit?: string } }> };
  };
  return doc
    .dates({ today: dayOf(at), timezone: "UTC" })
    .json()
    .flatMap((d) => {
      const { start, end, unit } = d.dates ?? {};
      if (!start || !end || (unit && unit !== "day")) return [];
      return [dayOf(start) === dayOf(end) ? dayOf(start) : `${dayOf(start)}/${dayOf(end)}`];
    });
}

export const compromise: Candidate = {
  name: "compromise 14 (+ compromise-dates 3)",
  bundle: "compromise+dates",
  sentences: (text) => nlp(text).sentences().out("array") as string[],
  trigger(sentence, trigger) {
    const doc = nlp(sentence);
    const tokens = compromiseTokens(doc);
    const at = tokens.findIndex((t) => t.lower === trigger.toLowerCase());
    const verbs = doc.verbs().json() as CompromiseVerb[];
    const phrase = verbs.find((v) => v.terms.some((t) => t.normal === trigger.toLowerCase()));
    if (at < 0) return { lemma: null, tense: null, modality: null, negated: false };
    const { control, lexicalNegation } = sharedRules(tokens, at);
    if (!phrase) {
      // Not read as a verb at all ("set" in "No date has been set").
      return {
        lemma: null,
        tense: headlineInfinitive(tokens, at) ? "future" : null,
        modality: control,
        negated: lexicalNegation,
      };
    }
    let { tense, modality } = compromiseTense(phrase.verb);
    if (control) [tense, modality] = [null, control];
    else if (headlineInfinitive(tokens, at)) tense = "future";
    // Phrasal verbs come with their particle ("call off", "take part"): the head word is the lemma.
    const lemma = phrase.verb.infinitive.split(" ")[0] || null;
    return { lemma, tense, modality, negated: phrase.verb.negative || lexicalNegation };
  },
  dateTexts(sentence, at) {
    const doc = nlp(sentence) as ReturnType<typeof nlp> & { dates(o: object): { out(f: string): string[] } };
    return doc.dates({ today: dayOf(at), timezone: "UTC" }).out("array");
  },
  dateValues: compromiseDateValues,
  analyse(text, at) {
    const doc = nlp(text) as ReturnType<typeof nlp> & { dates(o: object): { json(): unknown[] } };
    return (
      doc.sentences().length +
      (doc.json() as unknown[]).length +
      (doc.verbs().json() as unknown[]).length +
      doc.dates({ today: dayOf(at), timezone: "UTC" }).json().length
    );
  },
};

/** compromise without its dates plugin's work (the plugin stays loaded): tokens, tags, verbs. */
export const compromiseNoDates: Candidate = {
  ...compromise,
  name: "compromise 14 (no dates)",
  bundle: "compromise",
  dateTexts: () => [],
  dateValues: () => null,
  analyse(text) {
    const doc = nlp(text);
    return doc.sentences().length + (doc.json() as unknown[]).length + (doc.verbs().json() as unknown[]).length;
  },
};

// ---------------------------------------------------------------------------------------------
// wink-nlp with wink-eng-lite-web-model.

setupStart = performance.now();
const wink = winkNLP(model);
const its = wink.its;
/** wink's typings give `its.lemma` a signature `out()` does not accept; it is an ordinary its function. */
const LEMMA = its.lemma as unknown as typeof its.pos;
setupMs["wink model build"] = performance.now() - setupStart;

function winkTokens(sentence: string): { tokens: Tok[]; negation: boolean[] } {
  const doc = wink.readDoc(sentence);
  const t = doc.tokens();
  const texts = t.out() as string[];
  const lemmas = t.out(LEMMA) as string[];
  const pos = t.out(its.pos) as string[];
  const negation = t.out(its.negationFlag) as unknown as boolean[];
  return {
    tokens: texts.map((text, i) => ({
      text,
      lower: text.toLowerCase(),
      lemma: lemmas[i] as string,
      pos: pos[i] as string,
    })),
    negation,
  };
}

/** Tense and modality from the auxiliaries before the trigger and the trigger's own form. */
function tokenTense(tokens: Tok[], at: number): { tense: Tense | null; modality: string | null } {
  const group: Tok[] = [];
  for (let i = at - 1; i >= 0; i--) {
    const t = tokens[i] as Tok;
    if (t.pos === "AUX" || t.pos === "PART" || t.pos === "ADV" || t.lower === "going" || t.lower === "to")
      group.unshift(t);
    else break;
  }
  const lemmas = group.map((t) => t.lemma);
  const modal = lemmas.find((l) => MODALS.has(l)) ?? null;
  if (modal === "will" || modal === "shall") return { tense: "future", modality: modal };
  if (modal) return { tense: null, modality: modal };
  if (group.some((t) => t.lower === "going") && group.some((t) => t.lower === "to"))
    return { tense: "future", modality: null };
  if (lemmas.includes("have")) return { tense: "perfect", modality: null };
  const be = group.find((t) => t.lemma === "be");
  if (be) return { tense: /^(?:was|were)$/.test(be.lower) ? "past" : "present", modality: null };
  if (headlineInfinitive(tokens, at)) return { tense: "future", modality: null };
  if (group.length > 0 && group[group.length - 1]?.lower === "to") return { tense: null, modality: null };
  const t = tokens[at] as Tok;
  if (t.pos !== "VERB" && t.pos !== "AUX") return { tense: null, modality: null };
  const present =
    t.lower === t.lemma ||
    t.lower === `${t.lemma}s` ||
    t.lower === `${t.lemma}es` ||
    (t.lemma.endsWith("y") && t.lower === `${t.lemma.slice(0, -1)}ies`) ||
    /^(?:is|are|am)$/.test(t.lower);
  return { tense: present ? "present" : "past", modality: null };
}

export const winkLite: Candidate = {
  name: "wink-nlp 2 + eng-lite-web-model",
  bundle: "wink",
  sentences: (text) => wink.readDoc(text).sentences().out() as string[],
  trigger(sentence, trigger) {
    const { tokens, negation } = winkTokens(sentence);
    const at = tokens.findIndex((t) => t.lower === trigger.toLowerCase());
    if (at < 0) return { lemma: null, tense: null, modality: null, negated: false };
    const { control, lexicalNegation } = sharedRules(tokens, at);
    let { tense, modality } = tokenTense(tokens, at);
    if (control) [tense, modality] = [null, control];
    return { lemma: (tokens[at] as Tok).lemma, tense, modality, negated: !!negation[at] || lexicalNegation };
  },
  dateTexts(sentence) {
    const details = wink.readDoc(sentence).entities().out(its.detail) as unknown as Array<{
      value: string;
      type: string;
    }>;
    return details.filter((e) => e.type === "DATE").map((e) => e.value);
  },
  // The model finds DATE entities but does not resolve them to days.
  dateValues: () => null,
  analyse(text) {
    const doc = wink.readDoc(text);
    const t = doc.tokens();
    return (
      (doc.sentences().out() as string[]).length +
      (t.out(LEMMA) as string[]).length +
      (t.out(its.pos) as string[]).length +
      (t.out(its.negationFlag) as unknown[]).length +
      (doc.entities().out(its.detail) as unknown[]).length
    );
  },
};

// ---------------------------------------------------------------------------------------------
// chrono-node, for dates only (the issue names it: used if it wins this benchmark, else dropped).

export const chronoDates: Candidate = {
  name: "chrono-node 2 (dates only)",
  bundle: "chrono",
  dateTexts: (sentence, at) => chrono.parse(sentence, { instant: new Date(at), timezone: "UTC" }).map((r) => r.text),
  dateValues(sentence, at) {
    return chrono.parse(sentence, { instant: new Date(at), timezone: "UTC" }).flatMap((r) => {
      // A month or a year alone names no day.
      if (!r.start.isCertain("day") && !r.start.isCertain("weekday")) return [];
      const start = dayOf(r.start.date().toISOString());
      const end = r.end ? dayOf(r.end.date().toISOString()) : start;
      return [start === end ? start : `${start}/${end}`];
    });
  },
  analyse: (text, at) => chrono.parse(text, { instant: new Date(at), timezone: "UTC" }).length,
};

export const CANDIDATES: Candidate[] = [handWritten, compromiseNoDates, compromise, winkLite, chronoDates];

/** Each library's cheapest call: the text read into a document, nothing asked of it. */
export const LIBRARY_FLOORS: Record<string, (text: string) => unknown> = {
  "compromise nlp(text)": (text) => nlp(text),
  "wink readDoc(text)": (text) => wink.readDoc(text),
};
