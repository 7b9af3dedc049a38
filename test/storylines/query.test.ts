import { describe, expect, it } from "vitest";
import { compileMatcher, type PreparedText, prepareItem, preparePlainText } from "../../src/storylines/matcher";
import { compileQuery, foldText, parseQuery, QuerySyntaxError, splitWords } from "../../src/storylines/query";
import { compiledQueryCacheSize } from "../../src/storylines/query/compile";
import { type CaseText, ERROR_CASES, MATCH_CASES } from "./query-cases";

function prepare(text: CaseText): PreparedText {
  return typeof text === "string" ? preparePlainText(text) : prepareItem(text);
}

describe("query conformance", () => {
  it("has at least 80 cases", () => {
    expect(MATCH_CASES.length + ERROR_CASES.length).toBeGreaterThanOrEqual(80);
  });

  it.each(MATCH_CASES)("$query on $text → $match ($why)", ({ query, text, match }) => {
    const matcher = compileMatcher([{ key: "q", query }]);
    expect(matcher.match(prepare(text))).toEqual(match ? ["q"] : []);
  });

  it.each(ERROR_CASES)("rejects $query at position $position", ({ query, position, message }) => {
    let error: unknown;
    try {
      parseQuery(query);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(QuerySyntaxError);
    const syntax = error as QuerySyntaxError;
    expect(syntax.message).toMatch(message);
    expect(syntax.position).toBe(position);
    expect(syntax.message).toContain(`at position ${position}`);
  });
});

describe("words", () => {
  it("split the way DESIGN.md says", () => {
    expect(splitWords("Putin-Trump summit: Kyiv’s de-escalation, UN-backed; Zelenskyy's 2025 plan")).toEqual([
      "putin",
      "trump",
      "summit",
      "kyiv",
      "deescalation",
      "un",
      "backed",
      "zelenskyy",
      "2025",
      "plan",
    ]);
  });
});

describe("folding", () => {
  it("folds Latin text by table exactly as the full NFKD path does", () => {
    // A Greek letter after the character sends the text down the full path.
    for (let code = 0xa0; code <= 0x17f; code++) {
      const ch = String.fromCharCode(code);
      for (const around of ["", "A", "é"]) {
        expect(foldText(`${around}${ch}x`), ch).toBe(foldText(`${around}${ch}x\u0370`).slice(0, -1));
      }
    }
    expect(foldText("İSTANBUL Łódź Straße Æsir ½")).toBe("istanbul lodz strasse aesir 1⁄2");
  });
});

describe("invisible characters", () => {
  it("removes zero-width and bidi characters before matching: a zero-width space inside Putin still matches", () => {
    const matcher = compileMatcher([{ key: "q", query: "Putin NEAR/2 Alaska" }]);
    for (const hidden of ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u202e", "\u2066", "\u200f"]) {
      expect(matcher.match(preparePlainText(`Pu${hidden}tin flies to Ala${hidden}ska`)), hidden).toEqual(["q"]);
    }
    expect(splitWords("Pu\u200btin\u200b \u202eKyiv")).toEqual(["putin", "kyiv"]);
    expect(compileMatcher([{ key: "q", query: "Pu\u200btin" }]).match(preparePlainText("Putin"))).toEqual(["q"]);
  });

  it("refuses a query made only of invisible characters", () => {
    expect(() => parseQuery("\u200b\u200b \ufeff")).toThrow(/Empty query.*invisible/);
  });
});

describe("one matcher for many queries", () => {
  it("gives each text the queries it matches, the same as one query at a time", () => {
    const queries = [...new Set(MATCH_CASES.map((c) => c.query))];
    const matcher = compileMatcher(queries.map((query) => ({ key: query, query })));
    for (const { text } of MATCH_CASES) {
      const doc = prepare(text);
      const expected = queries.filter((query) => compileMatcher([{ key: query, query }]).match(doc).length > 0);
      expect(matcher.match(doc)).toEqual(expected);
    }
  });

  it("skips entries the accept filter rules out", () => {
    const matcher = compileMatcher([
      { key: "a", query: "Putin" },
      { key: "b", query: "Putin OR Xi" },
    ]);
    expect(matcher.match(preparePlainText("Putin"), (key) => key !== "a")).toEqual(["b"]);
  });

  it("keeps at most 1,000 compiled queries, dropping the least recently used", () => {
    const kept = compileQuery("Putin AND Alaska");
    const evicted = compileQuery("word0");
    for (let i = 1; i < 1200; i++) {
      compileQuery(`word${i}`);
      if (i % 100 === 0) compileQuery("Putin AND Alaska"); // recently used: stays
    }
    expect(compiledQueryCacheSize()).toBe(1000);
    expect(compileQuery("Putin AND Alaska")).toBe(kept);
    expect(compileQuery("word0")).not.toBe(evicted);
    expect(compileQuery("word0")).toEqual(evicted);
  });

  it("compiles a query text once (LRU cache)", () => {
    expect(compileQuery("Putin AND (Trump OR Xi)")).toBe(compileQuery("Putin AND (Trump OR Xi)"));
    expect(compileQuery("Putin AND (Trump OR Xi)").triggers).toEqual([["=putin"], ["=trump", "=xi"]]);
    expect(compileQuery("NOT Xi").triggers).toEqual([]);
    expect(compileQuery("(Putin OR Kremlin*) AND Trump NOT Xi").triggers).toEqual([["=trump"], ["*kremlin", "=putin"]]);
    expect(compileQuery('"peace talks" NEAR/3 Istanbul').triggers).toEqual([["=istanbul"], ["=peace"], ["=talks"]]);
    // Short words (the, of) occur everywhere: the prefilter keys on the longer, rarer ones.
    expect(compileQuery('"the summit" OR "of Alaska"').triggers).toEqual([["=alaska", "=summit"]]);
  });
});
