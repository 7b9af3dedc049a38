import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import {
  choiceLines,
  costLines,
  figuresTable,
  ITEMS_PER_FEED,
  measureAlternative,
  runLoad,
  STORYLINES,
  statementLines,
} from "./load-run";

// In `npm test` a small size (the suite must stay quick on a small machine); `npm run load`
// runs the same file at 2,000 feeds, with the workerd CPU and memory probe (bench/load.vitest.config.ts).
const FEEDS = Number((env as unknown as Record<string, unknown>).LOAD_FEEDS ?? 100);

describe(`load: ${FEEDS} feeds of ${ITEMS_PER_FEED} items, ${STORYLINES} storylines, through the queues`, () => {
  it("stores every item once, fetches every feed once per run, and prints the figures", {
    timeout: 60 * 60_000,
  }, async () => {
    const phases = await runLoad(FEEDS);
    expect(phases.map((p) => p.name)).toEqual(["all new", "nothing changed", "5 new per feed"]);
    const alternative = await measureAlternative(FEEDS);
    console.log(
      `\nload figures (${FEEDS} feeds × ${ITEMS_PER_FEED} items, ${STORYLINES} storylines)\n${figuresTable(phases)}\n\n${costLines(phases)}\n\n${choiceLines(phases, alternative)}\n\n${statementLines(phases)}\n`,
    );
  });
});
