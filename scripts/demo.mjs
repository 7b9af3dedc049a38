#!/usr/bin/env node
// npm run demo [-- <corpus.json>]
//
// The evaluation replay as a show for a newcomer, offline and from the repository alone:
// the real Worker under wrangler dev, a local feed server playing months of news tick by
// tick, and a local webhook receiver printing each alert as it arrives (signature checked).
// At the end, each storyline's status with the evidence behind it.
import { resolve } from "node:path";
import { loadCorpus, replay } from "./replay/replay.mjs";

const DEFAULT_CORPUS = "test/fixtures/corpora/corpus-dev.json";
const tty = process.stdout.isTTY;
const style = (code) => (text) => (tty ? `\x1b[${code}m${text}\x1b[0m` : text);
const bold = style("1");
const dim = style("2");
const green = style("32");
const yellow = style("33");
const cyan = style("36");

const day = (iso) => (iso ? iso.slice(0, 10) : "?");
const factsLine = (facts = {}) =>
  Object.entries(facts)
    .filter(([, v]) => v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0))
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(", ") : v}`)
    .join(" · ") || "no facts yet";

function printAlert(delivery) {
  const { type, data } = delivery.payload;
  const dev = data.development;
  const storyline = data.storyline;
  const head = type === "development.created" ? green("● ALERT") : yellow("↻ UPDATE");
  console.log(
    `\n  ${head} ${bold(storyline.title ?? storyline.id)}  ${dim(`webhook-id ${delivery.webhookId}, signature ok`)}`,
  );
  console.log(`    ${bold(dev.title)}`);
  const move =
    dev.previous_status !== dev.status ? `${dev.previous_status ?? "—"} → ${dev.status ?? "—"}` : (dev.status ?? "—");
  console.log(
    `    status ${cyan(move)}   ${factsLine(dev.facts)}   ${dim(`${dev.outlets} ${dev.outlets === 1 ? "outlet" : "outlets"}, confidence ${dev.confidence}`)}`,
  );
  for (const source of dev.sources.slice(0, 3)) {
    console.log(
      `    ${dim("—")} ${source.outlet ?? source.feed_id ?? "?"}, ${day(source.published_at)}: ${source.title ?? ""}`,
    );
    if (source.quote) console.log(`      ${dim(`“${source.quote}”`)}`);
  }
  if (dev.sources.length > 3) console.log(`    ${dim(`… and ${dev.sources.length - 3} more source(s)`)}`);
}

async function main() {
  const corpusPath = resolve(process.argv[2] ?? DEFAULT_CORPUS);
  const corpus = loadCorpus(corpusPath);
  console.log(bold(`storywatch demo: ${corpus.name}`));
  console.log(dim(corpus.description?.split(". ")[0] ?? ""));
  console.log(
    `\nTracking ${corpus.storylines.length} storylines across ${corpus.feeds.length} feeds, ${corpus.ticks.length} polls:`,
  );
  for (const s of corpus.storylines) console.log(`  · ${bold(s.title)} (${s.kind})  ${dim(s.query)}`);
  console.log(dim("\nStarting the Worker (wrangler dev, local D1/KV/Queues/Durable Objects)…"));

  const observation = await replay(corpus, {
    onEvent(event) {
      if (event.kind === "setup") {
        console.log(dim(`Worker ${event.worker} · feeds ${event.feeds} · webhook receiver ${event.receiver}\n`));
      } else if (event.kind === "tick-start") {
        const label = event.index === 0 ? "  first check: the baseline is built silently, nothing is alerted" : "";
        console.log(
          `\n${bold(`tick ${String(event.index).padStart(2)}`)} ${day(event.tick.at)}  polling…${dim(label)}`,
        );
      } else if (event.kind === "alert") {
        printAlert(event.delivery);
      } else if (event.kind === "tick") {
        const r = event.run;
        const statuses = corpus.storylines.map((s) => `${s.id}: ${event.storylines[s.id]?.status ?? "—"}`).join(", ");
        const alerts = event.newDeliveries.filter((d) => d.verified).length;
        console.log(
          dim(
            `        ${r.items_new ?? 0} new items, ${r.developments ?? 0} developments, ${alerts} webhook deliveries · ${statuses}`,
          ),
        );
      } else if (event.kind === "log") {
        console.log(dim(event.message));
      }
    },
  });

  console.log(bold("\nWhere each storyline stands, and why:"));
  for (const s of corpus.storylines) {
    const state = observation.states.at(-1)?.storylines[s.id];
    console.log(`\n  ${bold(s.title)}: ${cyan(state?.status ?? "no status")}   ${factsLine(state?.facts)}`);
    const last = state?.last_development ?? observation.developments[s.id]?.[0];
    if (last) {
      console.log(`    because of: ${last.title} (${last.outlets} ${last.outlets === 1 ? "outlet" : "outlets"})`);
      for (const source of last.sources.slice(0, 4)) {
        console.log(
          `    ${dim("—")} ${source.outlet ?? source.feed_id ?? "?"}, ${day(source.published_at)}: ${source.title ?? ""}`,
        );
        if (source.quote) console.log(`      ${dim(`“${source.quote}”`)}`);
      }
    }
    const devs = observation.developments[s.id] ?? [];
    console.log(
      dim(`    ${devs.length} developments recorded (${devs.filter((d) => d.baseline).length} from the baseline)`),
    );
  }
  const created = observation.alerts.length;
  const rejected = observation.rejected.length;
  console.log(
    `\n${created} alerts and ${observation.updates.length} updates delivered; ${rejected === 0 ? "every one signature-verified" : `${rejected} failed signature verification`}.`,
  );
}

main().catch((error) => {
  console.error(error);
  if (error.workerLogs) console.error(`--- worker log (tail) ---\n${error.workerLogs}`);
  process.exit(1);
});
