// Scores what a replay observed against the corpus labels (../shared/fixtures/FORMAT.md).
//
// Matching rule (an alert is a verified `development.created` delivery; redeliveries of the
// same webhook-id count once):
//   An alert that arrived during tick T matches an expected development E of the same
//   storyline labelled at tick E.t with 1 <= E.t <= T and T - E.t <= maxLatency (default 2)
//   when at least one holds:
//     - evidence: one of the alert's sources is one of E's evidence items (by link, tracking
//       parameters dropped and relative links resolved, or by title);
//     - facts: E names a (non-null) date and/or place and every one matches the alert's facts
//       (date equal; place equal, or one contains the other in the small gazetteer below, or
//       one name contains the other as words: "Anchorage" matches "Alaska");
//     - status: E has a status (not a topic) and the alert's status equals it.
//   Unmatched candidates are preferred to already-matched ones; then more criteria
//   (evidence > facts > status), then the later tick. An alert whose only candidates were
//   already matched is a DUPLICATE; with no candidate at all it is a FALSE alert. Alerts
//   during tick 0 (the baseline) are always false. Latency = T - E.t in ticks.
// Recall counts `required: true` developments after tick 0; tick-0 labels are checked
// against the baseline developments (baseline: true) instead. Precision = matched alerts /
// all alerts. Status, date and place accuracy compare GET /v1/storylines/:id after each
// tick with the tick's `expect.status`.

// place -> the places that contain it (transitively resolved below).
const CONTAINED_IN = {
  anchorage: ["alaska"],
  juneau: ["alaska"],
  alaska: ["united states"],
  washington: ["united states"],
  "washington dc": ["united states"],
  "new york": ["united states"],
  "white house": ["washington"],
  "oval office": ["white house"],
  "camp david": ["united states"],
  istanbul: ["turkiye"],
  ankara: ["turkiye"],
  antalya: ["turkiye"],
  dolmabahce: ["istanbul"],
  "dolmabahce palace": ["istanbul"],
  "ciragan palace": ["istanbul"],
  kyiv: ["ukraine"],
  kiev: ["ukraine"],
  moscow: ["russia"],
  "st petersburg": ["russia"],
  riyadh: ["saudi arabia"],
  jeddah: ["saudi arabia"],
  geneva: ["switzerland"],
  "vatican city": ["rome"],
  vatican: ["rome"],
  rome: ["italy"],
  minsk: ["belarus"],
  budapest: ["hungary"],
  helsinki: ["finland"],
  doha: ["qatar"],
  "abu dhabi": ["united arab emirates"],
  beijing: ["china"],
  brussels: ["belgium"],
  london: ["united kingdom"],
  paris: ["france"],
  berlin: ["germany"],
};
const ALIASES = {
  turkey: "turkiye",
  türkiye: "turkiye",
  us: "united states",
  usa: "united states",
  "u s": "united states",
  "united states of america": "united states",
  "washington d c": "washington dc",
  uk: "united kingdom",
  uae: "united arab emirates",
  "saint petersburg": "st petersburg",
};

const normalisePlace = (place) => {
  const text = String(place)
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim()
    .replace(/^the /, "");
  return ALIASES[text] ?? text;
};

function containers(place) {
  const out = new Set();
  const stack = [place];
  while (stack.length > 0) {
    const next = CONTAINED_IN[stack.pop()] ?? [];
    for (const p of next) {
      if (out.has(p)) continue;
      out.add(p);
      stack.push(p);
    }
  }
  return out;
}

export function placeMatches(actual, expected) {
  if (expected == null) return actual == null;
  if (actual == null) return false;
  const a = normalisePlace(actual);
  const e = normalisePlace(expected);
  if (a === e) return true;
  if (containers(a).has(e) || containers(e).has(a)) return true;
  const words = (s) => ` ${s} `;
  return words(a).includes(words(e)) || words(e).includes(words(a));
}

export const dateMatches = (actual, expected) => (actual ?? null) === (expected ?? null);

/** Drops tracking parameters and fragments so served and canonical links compare equal. */
export function normaliseLink(link, base) {
  try {
    const url = new URL(link, base);
    for (const key of [...url.searchParams.keys()]) if (/^utm_/i.test(key)) url.searchParams.delete(key);
    url.hash = "";
    url.hostname = url.hostname.toLowerCase();
    return url.toString().replace(/\?$/, "");
  } catch {
    return null;
  }
}

function sourceItemIds(development, index) {
  const ids = new Set();
  for (const source of development?.sources ?? []) {
    const byLink = source.url ? index.byLink.get(normaliseLink(source.url)) : null;
    for (const id of byLink ?? []) ids.add(id);
    for (const id of index.byTitle.get(source.title?.trim()) ?? []) ids.add(id);
  }
  return ids;
}

function criteria(alert, expected) {
  const dev = alert.development;
  const facts = dev?.facts ?? {};
  const evidence = (expected.evidence ?? []).some((id) => alert.itemIds.has(id));
  const keys = ["date", "place"].filter((k) => expected.facts?.[k] != null);
  const factMatch =
    keys.length > 0 &&
    keys.every((k) =>
      k === "date" ? dateMatches(facts.date, expected.facts.date) : placeMatches(facts.place, expected.facts.place),
    );
  // Topic storylines have no status: there, status says nothing about which development it is.
  const status = expected.status != null && (dev?.status ?? null) === expected.status;
  return { evidence, facts: factMatch, status, score: (evidence ? 4 : 0) + (factMatch ? 2 : 0) + (status ? 1 : 0) };
}

const ratio = (num, den) => (den === 0 ? null : num / den);

/**
 * observation: { alerts: [{ tick, webhookId, payload }], updates: [...], states: [{ tick,
 * storylines: { id: { status, facts } } }], developments: { storylineId: DevelopmentJson[] },
 * linkIndex: { byLink: Map, byTitle: Map } }.
 */
export function score(corpus, observation, { maxLatency = 2 } = {}) {
  const index = observation.linkIndex;
  const storylineIds = corpus.storylines.map((s) => s.id);
  const expected = [];
  corpus.ticks.forEach((tick, t) => {
    for (const dev of tick.expect?.developments ?? []) {
      expected.push({
        ...dev,
        tick: t,
        required: dev.required !== false,
        matchedBy: [],
        key: `${dev.storyline}/${dev.label}`,
      });
    }
  });

  // One alert per development id: several deliveries of one event are one alert.
  const seenDeliveries = new Set();
  const alerts = [];
  let redeliveries = 0;
  for (const delivery of observation.alerts) {
    if (delivery.payload?.type !== "development.created") continue;
    const dev = delivery.payload.data?.development;
    const key = dev?.id ?? delivery.webhookId;
    if (seenDeliveries.has(key)) {
      redeliveries++;
      continue;
    }
    seenDeliveries.add(key);
    const storyline = delivery.payload.data?.storyline?.id ?? dev?.storyline_id ?? null;
    alerts.push({
      tick: delivery.tick,
      webhookId: delivery.webhookId,
      storyline,
      development: dev,
      title: dev?.title ?? "(untitled)",
      itemIds: sourceItemIds(dev, index),
      verdict: null,
      expected: null,
      latency: null,
    });
  }

  for (const alert of alerts) {
    if (alert.tick === 0) {
      alert.verdict = "false";
      alert.reason = "alert during the baseline (tick 0)";
      continue;
    }
    const candidates = expected
      .filter(
        (e) =>
          e.storyline === alert.storyline && e.tick >= 1 && e.tick <= alert.tick && alert.tick - e.tick <= maxLatency,
      )
      .map((e) => ({ e, c: criteria(alert, e) }))
      .filter(({ c }) => c.score > 0)
      .sort(
        (x, y) =>
          Number(x.e.matchedBy.length > 0) - Number(y.e.matchedBy.length > 0) ||
          y.c.score - x.c.score ||
          y.e.tick - x.e.tick,
      );
    const best = candidates[0];
    if (!best) {
      alert.verdict = "false";
      alert.reason = "matches no labelled development";
      continue;
    }
    alert.expected = best.e.key;
    alert.criteria = Object.entries(best.c)
      .filter(([k, v]) => k !== "score" && v)
      .map(([k]) => k);
    if (best.e.matchedBy.length > 0) {
      alert.verdict = "duplicate";
      alert.reason = `${best.e.key} was already alerted`;
    } else {
      alert.verdict = "match";
      alert.latency = alert.tick - best.e.tick;
    }
    best.e.matchedBy.push(alert);
  }

  // Baseline: tick-0 labels should be among the baseline developments, found without alerts.
  const baseline =
    corpus.ticks[0]?.expect?.developments?.map((e) => {
      const devs = (observation.developments[e.storyline] ?? []).filter((d) => d.baseline);
      const found = devs.some((d) => criteria({ development: d, itemIds: sourceItemIds(d, index) }, e).score > 0);
      return { key: `${e.storyline}/${e.label}`, found };
    }) ?? [];

  // Status, date and place after each tick.
  const stateChecks = [];
  observation.states.forEach(({ tick, storylines }) => {
    const want = corpus.ticks[tick]?.expect?.status ?? {};
    for (const [id, exp] of Object.entries(want)) {
      const got = storylines[id] ?? { status: null, facts: {} };
      stateChecks.push({
        tick,
        storyline: id,
        expected: exp,
        actual: { status: got.status ?? null, date: got.facts?.date ?? null, place: got.facts?.place ?? null },
        status: (got.status ?? null) === (exp.status ?? null),
        date: dateMatches(got.facts?.date, exp.date),
        place: placeMatches(got.facts?.place ?? null, exp.place ?? null),
      });
    }
  });

  const summarise = (storyline) => {
    const inScope = (x) => storyline === undefined || x.storyline === storyline;
    const req = expected.filter((e) => e.tick >= 1 && e.required && inScope(e));
    const found = req.filter((e) => e.matchedBy.some((a) => a.verdict === "match"));
    const mine = alerts.filter(inScope);
    const matched = mine.filter((a) => a.verdict === "match");
    const latencies = matched.map((a) => a.latency);
    const checks = stateChecks.filter(inScope);
    return {
      required: req.length,
      recalled: found.length,
      recall: ratio(found.length, req.length),
      alerts: mine.length,
      matched_alerts: matched.length,
      precision: ratio(matched.length, mine.length),
      duplicates: mine.filter((a) => a.verdict === "duplicate").length,
      false_alerts: mine.filter((a) => a.verdict === "false").length,
      status_accuracy: ratio(checks.filter((c) => c.status).length, checks.length),
      date_accuracy: ratio(checks.filter((c) => c.date).length, checks.length),
      place_accuracy: ratio(checks.filter((c) => c.place).length, checks.length),
      latency_mean: latencies.length ? latencies.reduce((a, b) => a + b, 0) / latencies.length : null,
      latency_max: latencies.length ? Math.max(...latencies) : null,
    };
  };

  const titleOf = (e) => e.note ?? e.label;
  return {
    rule: { maxLatency },
    overall: {
      ...summarise(),
      redeliveries,
      updates: observation.updates?.length ?? 0,
      baseline_found: baseline.filter((b) => b.found).length,
      baseline_expected: baseline.length,
    },
    storylines: Object.fromEntries(storylineIds.map((id) => [id, summarise(id)])),
    misses: expected
      .filter((e) => e.tick >= 1 && e.required && !e.matchedBy.some((a) => a.verdict === "match"))
      .map((e) => ({
        storyline: e.storyline,
        label: e.label,
        tick: e.tick,
        status: e.status,
        facts: e.facts,
        title: titleOf(e),
      })),
    false_alerts: alerts
      .filter((a) => a.verdict === "false")
      .map((a) => ({
        storyline: a.storyline,
        tick: a.tick,
        title: a.title,
        status: a.development?.status ?? null,
        facts: a.development?.facts ?? {},
        reason: a.reason,
      })),
    duplicates: alerts
      .filter((a) => a.verdict === "duplicate")
      .map((a) => ({ storyline: a.storyline, tick: a.tick, title: a.title, of: a.expected })),
    alerts: alerts.map((a) => ({
      tick: a.tick,
      storyline: a.storyline,
      id: a.development?.id ?? null,
      title: a.title,
      status: a.development?.status ?? null,
      facts: a.development?.facts ?? {},
      verdict: a.verdict,
      expected: a.expected,
      criteria: a.criteria ?? [],
      latency: a.latency,
    })),
    baseline,
    state_checks: stateChecks,
  };
}
