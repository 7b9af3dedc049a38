#!/usr/bin/env node
// npm run eval -- <corpus.json> [more.json ...] [--max-latency N] [--report out.json] [--quiet] [--summary]
//
// --summary prints only the score rows (per storyline, per corpus and the total), never an
// item, a title, a miss or an alert: that is how check corpora are scored
// (test/fixtures/corpora/LEDGER.md), so whoever changes the detector never reads them.
// Replays a labelled corpus through the real Worker (scripts/replay/replay.mjs: wrangler dev,
// a local feed server, a local webhook receiver, the public HTTP API only) and scores it
// (scripts/replay/score.mjs, whose header states the matching rule): required-development
// recall, alert precision, duplicate alerts, status/date/place accuracy per tick and alert
// latency in ticks, per storyline and overall (and over all corpora when given several).
// Lists every miss and false alert, and writes a JSON report per corpus to reports/.
import { mkdirSync, writeFileSync } from "node:fs";
import { basename, resolve } from "node:path";
import { parseArgs } from "node:util";
import { loadCorpus, replay } from "./replay/replay.mjs";
import { score } from "./replay/score.mjs";

const pct = (x) => (x === null || x === undefined ? "  n/a" : `${(x * 100).toFixed(1).padStart(5)}%`);
const num = (x) => (x === null || x === undefined ? "n/a" : Number.isInteger(x) ? String(x) : x.toFixed(2));

const row = (name, s) =>
  `${name.padEnd(28)} recall ${pct(s.recall)} (${s.recalled}/${s.required})  precision ${pct(s.precision)} (${s.matched_alerts}/${s.alerts})  dup ${s.duplicates}  false ${s.false_alerts}  status ${pct(s.status_accuracy)}  date ${pct(s.date_accuracy)}  place ${pct(s.place_accuracy)}  latency ${num(s.latency_mean)} (max ${num(s.latency_max)})`;

/** The score rows alone: storyline ids and figures, nothing read from the corpus's items. */
export function formatSummary(corpus, result) {
  const lines = [`corpus ${corpus.name}`];
  for (const [id, s] of Object.entries(result.storylines)) lines.push(row(id, s));
  lines.push(row("OVERALL", result.overall));
  return lines.join("\n");
}

export function formatReport(corpus, result) {
  const lines = [];
  lines.push(
    `corpus ${corpus.name}: ${corpus.storylines.length} storylines, ${corpus.feeds.length} feeds, ${corpus.ticks.length} ticks`,
  );
  for (const [id, s] of Object.entries(result.storylines)) lines.push(row(id, s));
  lines.push(row("OVERALL", result.overall));
  lines.push(
    `baseline developments found ${result.overall.baseline_found}/${result.overall.baseline_expected}; development.updated events ${result.overall.updates}; redeliveries ${result.overall.redeliveries}`,
  );
  lines.push("", "Per tick (status/date/place after the tick; x = wrong):");
  const byTick = new Map();
  for (const c of result.state_checks) {
    if (!byTick.has(c.tick)) byTick.set(c.tick, []);
    byTick.get(c.tick).push(c);
  }
  for (const [tick, checks] of byTick) {
    const cells = checks.map((c) => {
      const mark = (ok) => (ok ? "." : "x");
      const detail =
        c.status && c.date && c.place ? "" : ` got ${JSON.stringify(c.actual)} want ${JSON.stringify(c.expected)}`;
      return `${c.storyline} ${mark(c.status)}${mark(c.date)}${mark(c.place)}${detail}`;
    });
    lines.push(`  tick ${String(tick).padStart(2)}: ${cells.join(" | ")}`);
  }
  lines.push("", `Misses (${result.misses.length}):`);
  for (const m of result.misses)
    lines.push(`  tick ${m.tick} ${m.storyline}/${m.label} [${m.status}] ${m.title} ${JSON.stringify(m.facts ?? {})}`);
  lines.push("", `False alerts (${result.false_alerts.length}):`);
  for (const f of result.false_alerts)
    lines.push(`  tick ${f.tick} ${f.storyline} [${f.status}] ${f.title} (${f.reason})`);
  lines.push("", `Duplicate alerts (${result.duplicates.length}):`);
  for (const d of result.duplicates) lines.push(`  tick ${d.tick} ${d.storyline} ${d.title} (duplicate of ${d.of})`);
  lines.push("", "Alerts:");
  for (const a of result.alerts) {
    lines.push(
      `  tick ${a.tick} ${a.storyline} [${a.status}] ${a.title} -> ${a.verdict}${a.expected ? ` ${a.expected} by ${a.criteria.join("+")}` : ""}`,
    );
  }
  return lines.join("\n");
}

/** Replays and scores one corpus; returns { result, observation, reportPath }. */
export async function evaluate(corpusPath, { maxLatency = 2, reportPath, onEvent } = {}) {
  const corpus = loadCorpus(corpusPath);
  const observation = await replay(corpus, { onEvent });
  const result = score(corpus, observation, { maxLatency });
  const path =
    reportPath ??
    resolve("reports", `eval-${basename(corpusPath, ".json")}-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  mkdirSync(resolve(path, ".."), { recursive: true });
  writeFileSync(
    path,
    `${JSON.stringify(
      {
        corpus: corpus.name,
        corpus_path: corpusPath,
        finished_at: new Date().toISOString(),
        ...result,
        runs: observation.runs,
        rejected_deliveries: observation.rejected.length,
        // Everything the Worker recorded, to explain a miss or a false alert.
        developments: observation.developments,
        updates: observation.updates.map((d) => ({
          tick: d.tick,
          webhook_id: d.webhookId,
          development: d.payload?.data?.development,
        })),
      },
      null,
      2,
    )}\n`,
  );
  return { corpus, result, observation, reportPath: path };
}

/** One row over several corpora: counts summed, accuracies over every (tick, storyline) check. */
export function aggregate(results) {
  const sum = (key) => results.reduce((n, r) => n + (r.overall[key] ?? 0), 0);
  const checks = results.flatMap((r) => r.state_checks);
  const latencies = results.flatMap((r) => r.alerts.filter((a) => a.verdict === "match").map((a) => a.latency));
  const ratio = (num, den) => (den === 0 ? null : num / den);
  return {
    required: sum("required"),
    recalled: sum("recalled"),
    recall: ratio(sum("recalled"), sum("required")),
    alerts: sum("alerts"),
    matched_alerts: sum("matched_alerts"),
    precision: ratio(sum("matched_alerts"), sum("alerts")),
    duplicates: sum("duplicates"),
    false_alerts: sum("false_alerts"),
    status_accuracy: ratio(checks.filter((c) => c.status).length, checks.length),
    date_accuracy: ratio(checks.filter((c) => c.date).length, checks.length),
    place_accuracy: ratio(checks.filter((c) => c.place).length, checks.length),
    latency_mean: latencies.length ? latencies.reduce((a, b) => a + b, 0) / latencies.length : null,
    latency_max: latencies.length ? Math.max(...latencies) : null,
  };
}

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      "max-latency": { type: "string" },
      report: { type: "string" },
      quiet: { type: "boolean" },
      summary: { type: "boolean" },
    },
  });
  if (positionals.length === 0) {
    console.error(
      "usage: npm run eval -- <corpus.json> [more.json ...] [--max-latency N] [--report out.json] [--quiet] [--summary]",
    );
    process.exit(2);
  }
  if (values.report && positionals.length > 1) {
    console.error("--report names one file: use it with one corpus (several corpora each get one in reports/)");
    process.exit(2);
  }
  const onEvent =
    values.quiet || values.summary
      ? undefined
      : (event) => {
          if (event.kind === "tick") {
            const r = event.run;
            process.stderr.write(
              `tick ${event.index} ${event.tick.at}: run ${r.status}, ${r.feeds_checked ?? "?"} feeds, ${r.items_new ?? "?"} new items, ${r.developments ?? "?"} developments, ${event.newDeliveries.length} deliveries\n`,
            );
          } else if (event.kind === "log") process.stderr.write(`${event.message}\n`);
        };
  const results = [];
  for (const corpusPath of positionals) {
    const { corpus, result, observation, reportPath } = await evaluate(resolve(corpusPath), {
      maxLatency: values["max-latency"] ? Number(values["max-latency"]) : 2,
      reportPath: values.report ? resolve(values.report) : undefined,
      onEvent,
    });
    results.push(result);
    console.log(values.summary ? formatSummary(corpus, result) : formatReport(corpus, result));
    if (observation.rejected.length > 0)
      console.log(`\n${observation.rejected.length} deliveries failed signature verification`);
    if (!values.summary) console.log(`\nreport: ${reportPath}\n`);
  }
  if (results.length > 1) {
    const s = aggregate(results);
    console.log(
      `ALL ${results.length} CORPORA: recall ${pct(s.recall)} (${s.recalled}/${s.required})  precision ${pct(s.precision)} (${s.matched_alerts}/${s.alerts})  dup ${s.duplicates}  false ${s.false_alerts}  status ${pct(s.status_accuracy)}  date ${pct(s.date_accuracy)}  place ${pct(s.place_accuracy)}  latency ${num(s.latency_mean)} (max ${num(s.latency_max)})`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error) => {
    console.error(error);
    if (error.workerLogs) console.error(`--- worker log (tail) ---\n${error.workerLogs}`);
    process.exit(1);
  });
}
