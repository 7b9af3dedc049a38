import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { evaluate } from "../../../scripts/eval.mjs";

interface Summary {
  required: number;
  recall: number | null;
  precision: number | null;
  duplicates: number;
  alerts: number;
  status_accuracy: number | null;
  date_accuracy: number | null;
  place_accuracy: number | null;
  baseline_found: number;
  baseline_expected: number;
}

const CORPUS = resolve(import.meta.dirname, "../../fixtures/corpora/corpus-dev.json");

describe("replay evaluation on the dev corpus (real Worker under wrangler dev)", () => {
  it("meets the quality bar: recall, precision, no duplicates, status, date and place accuracy", async () => {
    const { result, observation } = await evaluate(CORPUS, {
      reportPath: resolve(import.meta.dirname, "../../../reports/eval-ci-corpus-dev.json"),
    });
    const overall = result.overall as Summary;
    // Every delivery reached the receiver with a valid Standard Webhooks signature.
    expect(observation.rejected).toHaveLength(0);
    expect(overall.required).toBeGreaterThan(0);
    // The baseline tick is silent.
    expect(result.alerts.filter((a: { tick: number }) => a.tick === 0)).toEqual([]);
    expect(overall.duplicates, JSON.stringify(result.duplicates)).toBe(0);
    expect(overall.recall, JSON.stringify(result.misses)).toBeGreaterThanOrEqual(0.95);
    // The quality bar of the status-and-facts issue.
    expect(overall.precision, JSON.stringify(result.false_alerts)).toBeGreaterThanOrEqual(0.9);
    const wrong = (field: string) =>
      JSON.stringify(result.state_checks.filter((c: Record<string, unknown>) => !c[field]));
    expect(overall.status_accuracy, wrong("status")).toBeGreaterThanOrEqual(0.9);
    expect(overall.date_accuracy, wrong("date")).toBeGreaterThanOrEqual(0.9);
    expect(overall.place_accuracy, wrong("place")).toBeGreaterThanOrEqual(0.9);
    expect(overall.baseline_found).toBe(overall.baseline_expected);
  });
});
