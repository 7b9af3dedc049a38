import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { loadCorpus } from "../../../scripts/replay/replay.mjs";
import { normaliseLink, placeMatches, score } from "../../../scripts/replay/score.mjs";

const corpus = loadCorpus(resolve(import.meta.dirname, "../../fixtures/corpora/corpus-dev.json"));

interface Item {
  id: string;
  link: string;
  title: string;
}
const items = new Map<string, Item>(corpus.ticks.flatMap((t: { items: Item[] }) => t.items.map((i) => [i.id, i])));

// A link index as the replay builds it: canonical links and titles.
const linkIndex = {
  byLink: new Map([...items.values()].map((i) => [normaliseLink(i.link), new Set([i.id])])),
  byTitle: new Map([...items.values()].map((i) => [i.title, new Set([i.id])])),
};

interface Expected {
  storyline: string;
  label: string;
  status?: string;
  facts?: Record<string, string>;
  evidence?: string[];
}

/** A delivery as the receiver records it, for a development reported by these items. */
function delivery(tick: number, storyline: string, id: string, fields: Record<string, unknown>, evidence: string[]) {
  return {
    tick,
    webhookId: `msg_${id}`,
    payload: {
      type: "development.created",
      data: {
        storyline: { id: storyline },
        development: {
          id,
          storyline_id: storyline,
          title: `dev ${id}`,
          status: null,
          facts: {},
          sources: evidence.map((e) => ({ url: `${items.get(e)?.link}?utm_source=x`, title: "other" })),
          ...fields,
        },
      },
    },
  };
}

/** A perfect run: one alert per labelled development, at its tick, and the expected states. */
function perfectObservation() {
  const alerts: ReturnType<typeof delivery>[] = [];
  const states = corpus.ticks.map((tick: { expect?: { developments?: Expected[]; status?: object } }, t: number) => {
    if (t > 0) {
      for (const e of tick.expect?.developments ?? []) {
        alerts.push(
          delivery(
            t,
            e.storyline,
            `${e.storyline}-${e.label}`,
            { status: e.status, facts: e.facts ?? {} },
            e.evidence ?? [],
          ),
        );
      }
    }
    const storylines = Object.fromEntries(
      Object.entries(tick.expect?.status ?? {}).map(([id, s]) => {
        const { status, ...facts } = s as { status: string | null };
        return [id, { status, facts }];
      }),
    );
    return { tick: t, storylines };
  });
  const developments = Object.fromEntries(
    corpus.storylines.map((s: { id: string }) => [
      s.id,
      (corpus.ticks[0].expect?.developments ?? [])
        .filter((e: Expected) => e.storyline === s.id)
        .map((e: Expected) => ({ baseline: true, status: e.status, facts: {}, sources: [] })),
    ]),
  );
  return { alerts, updates: [], states, developments, linkIndex };
}

describe("replay scoring", () => {
  it("scores a perfect run as perfect", () => {
    const result = score(corpus, perfectObservation());
    expect(result.overall.recall).toBe(1);
    expect(result.overall.precision).toBe(1);
    expect(result.overall.duplicates).toBe(0);
    expect(result.overall.status_accuracy).toBe(1);
    expect(result.overall.date_accuracy).toBe(1);
    expect(result.overall.place_accuracy).toBe(1);
    expect(result.overall.latency_max).toBe(0);
    expect(result.overall.baseline_found).toBe(result.overall.baseline_expected);
    expect(result.misses).toEqual([]);
  });

  it("counts misses, duplicates, false alerts, redeliveries and latency", () => {
    const observation = perfectObservation();
    const first = observation.alerts.findIndex((a) => a.payload.data.development.id.endsWith("-D4"));
    const d4 = observation.alerts[first];
    if (!d4) throw new Error("corpus changed: no D4");
    // D4 arrives one tick late; a second development about the same thing; a redelivery; noise.
    observation.alerts[first] = { ...d4, tick: d4.tick + 1 };
    observation.alerts.push({ ...d4, tick: d4.tick + 1, webhookId: "msg_again" });
    observation.alerts.push(
      delivery(
        d4.tick + 1,
        "us-ukraine-minerals-deal",
        "second-d4",
        { status: "agreed", facts: { date: "2025-02-28" } },
        [],
      ),
    );
    observation.alerts.push(
      delivery(2, "istanbul-peace-talks", "noise", { status: "held", facts: { place: "Riyadh" } }, []),
    );
    observation.alerts.push(delivery(0, "istanbul-peace-talks", "baseline-alert", { status: "proposed" }, []));
    // D9 (signed in Washington) is missed.
    observation.alerts = observation.alerts.filter((a) => !a.payload.data.development.id.endsWith("minerals-deal-D9"));

    const result = score(corpus, observation);
    expect(result.overall.redeliveries).toBe(1);
    expect(result.duplicates.map((d: { of: string }) => d.of)).toEqual(["us-ukraine-minerals-deal/D4"]);
    expect(result.false_alerts.map((f: { title: string }) => f.title).sort()).toEqual([
      "dev baseline-alert",
      "dev noise",
    ]);
    expect(result.misses.map((m: { label: string }) => m.label)).toEqual(["D9"]);
    expect(result.overall.latency_max).toBe(1);
    expect(result.storylines["us-ukraine-minerals-deal"].recall).toBeCloseTo(4 / 5);
  });

  it("matches places by equality or containment", () => {
    expect(placeMatches("Anchorage", "Alaska")).toBe(true);
    expect(placeMatches("Alaska", "Anchorage")).toBe(true);
    expect(placeMatches("Istanbul, Türkiye", "Istanbul")).toBe(true);
    expect(placeMatches("Turkey", "Türkiye")).toBe(true);
    expect(placeMatches("Riyadh", "Istanbul")).toBe(false);
    expect(placeMatches(null, "Istanbul")).toBe(false);
    expect(placeMatches(null, null)).toBe(true);
  });
});
