import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { StoredItem } from "../../src/contracts";
import { getStorylineRow } from "../../src/store/storylines";
import { dispatchItemBatch } from "../../src/storylines/dispatch";
import { compileMatcher, MATCH_WORK_BUDGET, preparePlainText } from "../../src/storylines/matcher";
import {
  compileQuery,
  MAX_QUERY_CHARS,
  MAX_QUERY_DEPTH,
  MAX_QUERY_TERMS,
  parseQuery,
  QueryLimitError,
} from "../../src/storylines/query";
import { compiledQueryCacheSize } from "../../src/storylines/query/compile";
import { api } from "../helpers/api";

/** `n` terms joined by NEAR/100. */
const nearChain = (term: string, n: number) => Array.from({ length: n }, () => term).join(" NEAR/100 ");

/** 20,000 characters of ordinary-looking prose, "the" in every sentence (the attack text). */
function proseOf(chars: number): string {
  const sentence = "the envoy said the talks on the summit in the capital would go on into the night. ";
  return sentence.repeat(Math.ceil(chars / sentence.length)).slice(0, chars);
}

function limitError(query: string): QueryLimitError {
  try {
    parseQuery(query);
  } catch (error) {
    if (error instanceof QueryLimitError) return error;
    throw error;
  }
  throw new Error(`accepted: ${query.slice(0, 80)}`);
}

describe("bounded query cost: NEAR", () => {
  it("answers the six-term NEAR/100 chain of 'the' on a 20,000-character text (the process stays up)", async () => {
    const res = await api("/v1/queries/test", {
      method: "POST",
      json: { query: nearChain("the", 6), texts: [proseOf(20_000)] },
    });
    expect([200, 400]).toContain(res.status);
    const body = await res.json<{ matches?: boolean[] }>();
    if (res.status === 200) expect(body.matches).toEqual([true]);
    // The Worker still answers afterwards.
    expect((await api("/v1/health")).status).toBe(200);
  });

  it("matches the analyst query on crafted items in linear work, never over budget", () => {
    const query = "(Putin OR Trump) NEAR/50 (summit OR talks) NEAR/50 (Alaska OR Budapest) NEAR/50 (date OR August)";
    const words = ["Putin", "Trump", "summit", "talks", "Alaska", "Budapest", "date", "August"];
    const crafted = Array.from({ length: 3_000 }, (_, i) => words[i % words.length]).join(" ");
    const matcher = compileMatcher([{ key: "analyst", query }]);
    const over: string[] = [];
    for (let i = 0; i < 10; i++) {
      expect(matcher.match(preparePlainText(crafted), undefined, (key) => over.push(key))).toEqual(["analyst"]);
    }
    expect(over).toEqual([]);
  });

  it("keeps NEAR's answers for two operands and short chains", () => {
    const cases: Array<[string, string, boolean]> = [
      ["a NEAR/1 b", "a x b", true],
      ["a NEAR/1 b", "a x x b", false],
      ["a NEAR/1 b", "b x x a x b", true],
      ["a NEAR/2 b NEAR/2 c", "c x x b x a", true],
      ["a NEAR/1 b NEAR/1 c", "a x b x x x c", false],
      ["(a OR b) NEAR/0 c", "b c", true],
      ['"a b" NEAR/1 c', "a b x c", true],
      ['"a b" NEAR/1 c', "a x b x c", false],
      ["a NEAR/5 a", "a", false],
      ["a NEAR/5 a", "a x a", true],
    ];
    for (const [query, text, match] of cases) {
      expect(compileMatcher([{ key: 1, query }]).match(preparePlainText(text)).length > 0, `${query} / ${text}`).toBe(
        match,
      );
    }
  });
});

describe("bounded query cost: limits before parsing", () => {
  it(`refuses a query over ${MAX_QUERY_CHARS} characters before parsing, naming the length`, () => {
    const error = limitError(`(${"x ".repeat(MAX_QUERY_CHARS)})`);
    expect(error.part).toBe("length");
    expect(error.message).toMatch(/characters long; the most is 2000/);
  });

  it("refuses 10,000 nested parentheses with a 400 (no stack overflow)", async () => {
    const query = `${"(".repeat(10_000)}Putin${")".repeat(10_000)}`;
    const res = await api("/v1/queries/test", { method: "POST", json: { query, texts: ["Putin"] } });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/query/);
  });

  it(`refuses parentheses nested deeper than ${MAX_QUERY_DEPTH}, naming the depth`, async () => {
    const query = `${"(".repeat(MAX_QUERY_DEPTH + 1)}Putin${")".repeat(MAX_QUERY_DEPTH + 1)}`;
    expect(limitError(query).part).toBe("depth");
    expect(() => parseQuery(`${"(".repeat(MAX_QUERY_DEPTH)}Putin${")".repeat(MAX_QUERY_DEPTH)}`)).not.toThrow();
    const res = await api("/v1/queries/test", { method: "POST", json: { query, texts: [] } });
    expect(res.status).toBe(400);
    const problem = await res.json<{ detail: string; errors: Array<{ field: string; message: string }> }>();
    expect(problem.errors[0]?.field).toBe("query");
    expect(problem.errors[0]?.message).toMatch(/nest more than 32 deep/);
  });

  it(`refuses more than ${MAX_QUERY_TERMS} terms, naming the terms`, async () => {
    const terms = Array.from({ length: MAX_QUERY_TERMS + 1 }, (_, i) => `w${i}`);
    const error = limitError(terms.join(" OR "));
    expect(error.part).toBe("terms");
    expect(() => parseQuery(terms.slice(0, MAX_QUERY_TERMS).join(" OR "))).not.toThrow();
    const res = await api("/v1/queries/test", { method: "POST", json: { query: terms.join(" OR "), texts: [] } });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/more than 200 terms/);
  });

  it("caches only valid queries: a refused one leaves the compile cache as it was", () => {
    compileQuery("Putin");
    const before = compiledQueryCacheSize();
    const long = Array.from({ length: 400 }, (_, i) => `word${i}`).join(" OR "); // valid syntax, too long
    expect(long.length).toBeGreaterThan(MAX_QUERY_CHARS);
    for (let i = 0; i < 5; i++) expect(() => compileQuery(`${long} OR x${i}`)).toThrow(QueryLimitError);
    expect(compiledQueryCacheSize()).toBe(before);
  });
});

describe("bounded query cost: the per-item work budget", () => {
  // The costliest valid query: as many NEAR/100 links as the limits allow, all on one common word.
  const worst = nearChain("the", Math.floor((MAX_QUERY_CHARS + " NEAR/100 ".length) / "the NEAR/100 ".length));
  const hostile = "the ".repeat(5_000);

  it("fails only the costly query's match on an item over the budget, and says why", () => {
    expect(() => parseQuery(worst)).not.toThrow();
    const matcher = compileMatcher([
      { key: "worst", query: worst },
      { key: "plain", query: "the" },
    ]);
    const over: Array<[string, string]> = [];
    expect(matcher.match(preparePlainText(hostile), undefined, (key, reason) => over.push([key, reason]))).toEqual([
      "plain",
    ]);
    expect(over).toEqual([["worst", expect.stringContaining(`more than ${MATCH_WORK_BUDGET} steps`)]]);
    // The matcher is intact for the next item.
    expect(matcher.match(preparePlainText("the end"))).toEqual(["plain"]);
    expect(compileMatcher([{ key: "two", query: "the NEAR/1 end" }]).match(preparePlainText("the end"))).toEqual([
      "two",
    ]);
  });

  it("records the failure in the storyline's health, never the feed's, and other storylines still match", async () => {
    const now = new Date().toISOString();
    const insert = (id: string, query: string) =>
      env.DB.prepare(
        `INSERT INTO storylines (id, title, kind, query, feed_key, created_at, updated_at)
         VALUES (?1, ?1, 'topic', ?2, 'key', ?3, ?3)`,
      ).bind(id, query, now);
    await env.DB.batch([insert("costly-chain", worst), insert("plain-word", "envoy")]);
    const item: StoredItem = {
      id: "itm_hostile",
      feedId: "feed_hostile",
      feedTitle: "Hostile",
      url: "https://hostile.example/1",
      title: "envoy",
      summary: hostile,
      content: "",
      author: null,
      publishedAt: now,
      firstSeenAt: now,
      baseline: false,
      updated: false,
    };
    await dispatchItemBatch(env, { runId: null, feedId: "feed_hostile", items: [item] });
    const costly = await getStorylineRow(env.DB, "costly-chain");
    expect(costly?.last_error).toMatch(/itm_hostile.*more than 1000000 steps/);
    expect(costly?.failing_since).not.toBeNull();
    expect((await getStorylineRow(env.DB, "plain-word"))?.last_error).toBeNull();
    const shown = await (await api("/v1/storylines/costly-chain")).json<{ last_error: string | null }>();
    expect(shown.last_error).toBe(costly?.last_error);
  });
});
