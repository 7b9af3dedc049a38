import { env } from "cloudflare:test";
import { expect, it } from "vitest";
import { parseFeed } from "../src/feeds/parse";

interface ConformanceCase {
  file: string;
  description: string;
  expect: { title?: string; summary?: string; url?: string };
  body_base64: string;
}

/** The pass rate the parser must keep on the outside cases. */
const REQUIRED_PASS_RATE = 0.95;
// feedparser's tests fetch each document from this local server; relative links resolve against it.
const DOCUMENT_BASE = "http://127.0.0.1:8097/";

function bytesOf(base64: string): Uint8Array {
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

it("parses the conformance cases", () => {
  const { cases } = JSON.parse((env as unknown as { CONFORMANCE_CASES: string }).CONFORMANCE_CASES) as {
    cases: ConformanceCase[];
  };
  const failures: string[] = [];
  for (const testCase of cases) {
    let got: Record<string, string | null> = {};
    try {
      const feed = parseFeed(bytesOf(testCase.body_base64), { url: `${DOCUMENT_BASE}${testCase.file}` });
      const first = feed.items[0];
      got = { title: first?.title ?? null, summary: first?.summary ?? null, url: first?.url ?? null };
    } catch (error) {
      failures.push(`${testCase.file}: threw ${(error as Error).message}`);
      continue;
    }
    for (const [field, want] of Object.entries(testCase.expect)) {
      if (got[field] !== want) {
        failures.push(
          `${testCase.file} (${testCase.description}): ${field} ${JSON.stringify(got[field])}, want ${JSON.stringify(want)}`,
        );
        break;
      }
    }
  }
  const passed = cases.length - failures.length;
  const rate = passed / cases.length;
  for (const failure of failures) console.log(`FAIL ${failure}`);
  console.log(`conformance: ${passed}/${cases.length} passed (${(rate * 100).toFixed(1)} %)`);
  expect(rate).toBeGreaterThanOrEqual(REQUIRED_PASS_RATE);
});
