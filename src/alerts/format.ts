/**
 * Turns a stored event body (`{ type, timestamp, data }`) into what each webhook format
 * posts. `standard` sends it unchanged; `slack` and `discord` get a readable message in
 * those services' incoming-webhook shapes, kept within their documented size limits.
 * Pure functions over plain data.
 */
import { outletCount } from "../lib/words";
import type { WebhookFormat } from "../store/webhooks";

interface EventBody {
  type: string;
  timestamp: string;
  data: Record<string, unknown>;
}

interface Source {
  url: string | null;
  title: string | null;
  outlet: string | null;
}

/** The readable parts of an event, shared by the Slack and Discord renderers. */
export interface AlertSummary {
  /** One line: what happened, e.g. "Putin–Trump summit: agreed → scheduled". */
  headline: string;
  title: string;
  summary: string | null;
  facts: Array<{ name: string; value: string }>;
  sources: Source[];
  link: string | null;
  timestamp: string;
}

/** At most this many sources are linked: the top ones, as the development lists them. */
export const MAX_SOURCES = 5;

const str = (value: unknown): string | null => (typeof value === "string" && value.trim() !== "" ? value : null);
const record = (value: unknown): Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

const STATUS_WORDS: Record<string, string> = { in_force: "in force" };
const statusWord = (status: unknown): string | null => {
  const s = str(status);
  return s === null ? null : (STATUS_WORDS[s] ?? s);
};

function factList(facts: Record<string, unknown>): AlertSummary["facts"] {
  const out: AlertSummary["facts"] = [];
  const date = str(facts.date);
  if (date) out.push({ name: "Date", value: date.replace("/", " to ") });
  const place = str(facts.place);
  if (place) out.push({ name: "Place", value: place });
  if (Array.isArray(facts.participants) && facts.participants.length > 0) {
    out.push({ name: "Participants", value: facts.participants.filter((p) => typeof p === "string").join(", ") });
  }
  const note = str(facts.note);
  if (note) out.push({ name: "Note", value: note });
  return out;
}

export function summarise(body: EventBody): AlertSummary {
  if (body.type === "feed.failing" || body.type === "feed.recovered") {
    const feed = record(body.data.feed);
    const name = str(feed.title) ?? str(feed.url) ?? str(feed.id) ?? "a feed";
    const failing = body.type === "feed.failing";
    const facts: AlertSummary["facts"] = [];
    const error = str(feed.last_error) ?? str(feed.last_status);
    if (failing && error) facts.push({ name: "Error", value: error });
    if (failing && typeof feed.consecutive_failures === "number") {
      facts.push({ name: "Failed checks in a row", value: String(feed.consecutive_failures) });
    }
    const since = str(feed.failing_since);
    if (failing && since) facts.push({ name: "Failing since", value: since });
    return {
      headline: failing ? `Feed failing: ${name}` : `Feed recovered: ${name}`,
      title: name,
      summary: failing ? "The feed could not be checked several times in a row." : "The feed is being read again.",
      facts,
      sources: [],
      link: str(feed.url),
      timestamp: body.timestamp,
    };
  }
  const storyline = record(body.data.storyline);
  const development = record(body.data.development);
  if (body.type === "webhook.test") {
    return {
      headline: "storywatch: test alert",
      title: str(development.title) ?? "Test alert",
      summary: str(development.summary),
      facts: [],
      sources: [],
      link: null,
      timestamp: body.timestamp,
    };
  }
  const storylineName = str(storyline.title) ?? str(storyline.id) ?? str(development.storyline_id) ?? "Storyline";
  const status = statusWord(development.status);
  const previous = statusWord(development.previous_status);
  const move =
    development.type === "status_change" && status
      ? `${previous ?? "no status"} → ${status}`
      : body.type === "development.updated"
        ? "update"
        : development.type === "new_fact"
          ? "new fact"
          : "new coverage";
  const sources = (Array.isArray(development.sources) ? development.sources : []).map(record).map((s) => ({
    url: str(s.url),
    title: str(s.title),
    outlet: str(s.outlet),
  }));
  return {
    headline: `${storylineName}: ${move}`,
    title: str(development.title) ?? storylineName,
    summary: str(development.summary),
    facts: [
      ...factList(record(development.facts)),
      ...(typeof development.outlets === "number"
        ? [{ name: "Reported by", value: outletCount(development.outlets) }]
        : []),
    ],
    sources: sources.slice(0, MAX_SOURCES),
    link: sources.find((s) => s.url)?.url ?? null,
    timestamp: str(development.updated_at) ?? body.timestamp,
  };
}

/** Cuts text to `max` UTF-16 code units with an ellipsis, never splitting a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

const safeHttpUrl = (url: string | null): string | null => (url && /^https?:\/\//i.test(url) ? url : null);

// Slack: https://api.slack.com/reference/surfaces/formatting#escaping and the Block Kit limits
// (header text 150, section text 3,000, section field 2,000 and at most 10 fields; message text 40,000).
const SLACK = { text: 40_000, header: 150, section: 3_000, field: 2_000, fields: 10 } as const;
const slackEscape = (text: string): string => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
// Inside <url|label> a `|` or `>` in the label would end it.
const slackLabel = (text: string): string => slackEscape(text).replace(/\|/g, "¦");

export function slackMessage(summary: AlertSummary): Record<string, unknown> {
  const sourceLines = summary.sources.map((s) => {
    const label = slackLabel(s.title ?? s.outlet ?? s.url ?? "source");
    const url = safeHttpUrl(s.url);
    const outlet = s.outlet && s.title ? ` — ${slackEscape(s.outlet)}` : "";
    return url ? `• <${url.replace(/[|>]/g, encodeURIComponent)}|${label}>${outlet}` : `• ${label}${outlet}`;
  });
  const mainText = [`*${slackEscape(summary.title)}*`, summary.summary ? slackEscape(summary.summary) : null]
    .filter(Boolean)
    .join("\n");
  const blocks: Array<Record<string, unknown>> = [
    { type: "header", text: { type: "plain_text", text: truncate(summary.headline, SLACK.header), emoji: false } },
    { type: "section", text: { type: "mrkdwn", text: truncate(mainText, SLACK.section) } },
  ];
  if (summary.facts.length > 0) {
    blocks.push({
      type: "section",
      fields: summary.facts.slice(0, SLACK.fields).map((f) => ({
        type: "mrkdwn",
        text: truncate(`*${slackEscape(f.name)}*\n${slackEscape(f.value)}`, SLACK.field),
      })),
    });
  }
  if (sourceLines.length > 0) {
    // Drop whole lines rather than cut a link in half.
    const kept: string[] = [];
    let length = "*Sources*".length;
    for (const line of sourceLines) {
      if (length + 1 + line.length > SLACK.section) break;
      kept.push(line);
      length += 1 + line.length;
    }
    if (kept.length > 0)
      blocks.push({ type: "section", text: { type: "mrkdwn", text: ["*Sources*", ...kept].join("\n") } });
  }
  // `text` is the notification and fallback; the blocks carry the message.
  const text = truncate(slackEscape(`${summary.headline} — ${summary.title}`), SLACK.text);
  return { text, blocks };
}

// Discord: https://discord.com/developers/docs/resources/message#embed-object-embed-limits
// (content 2,000; embed title 256, description 4,096, field name 256 / value 1,024, 25 fields,
// footer 2,048, all embeds together 6,000 characters; at most 10 embeds).
const DISCORD = { content: 2_000, title: 256, description: 4_096, fieldName: 256, fieldValue: 1_024, total: 6_000 };
const discordEscape = (text: string): string => text.replace(/([\\*_~`|>[\]()#-])/g, "\\$1");

export function discordMessage(summary: AlertSummary): Record<string, unknown> {
  const fields = summary.facts.slice(0, 10).map((f) => ({
    name: truncate(f.name, DISCORD.fieldName),
    value: truncate(f.value, DISCORD.fieldValue),
    inline: f.value.length <= 40,
  }));
  const title = truncate(summary.title, DISCORD.title);
  const fieldChars = fields.reduce((n, f) => n + f.name.length + f.value.length, 0);
  // The description gets what the 6,000-character embed budget leaves.
  const budget = Math.min(DISCORD.description, DISCORD.total - title.length - fieldChars - 100);
  const sourceLines = summary.sources.map((s) => {
    const label = discordEscape(truncate(s.title ?? s.outlet ?? s.url ?? "source", 200));
    const url = safeHttpUrl(s.url);
    const outlet = s.outlet && s.title ? ` — ${discordEscape(s.outlet)}` : "";
    return url ? `• [${label}](${url.replace(/[()\s]/g, encodeURIComponent)})${outlet}` : `• ${label}${outlet}`;
  });
  let description = summary.summary ? discordEscape(summary.summary) : "";
  const sourcesBlock = sourceLines.length > 0 ? `**Sources**\n${sourceLines.join("\n")}` : "";
  if (sourcesBlock && sourcesBlock.length < budget) {
    description = truncate(description, Math.max(0, budget - sourcesBlock.length - 2));
    description = description ? `${description}\n\n${sourcesBlock}` : sourcesBlock;
  } else {
    description = truncate(description, budget);
  }
  const embed: Record<string, unknown> = { title, timestamp: summary.timestamp, fields };
  if (description) embed.description = description;
  const link = safeHttpUrl(summary.link);
  if (link) embed.url = link;
  return {
    content: truncate(summary.headline, DISCORD.content),
    embeds: [embed],
    // News text must never ping anyone (@everyone, roles, users).
    allowed_mentions: { parse: [] },
  };
}

/** The request body to POST for a stored event body in the webhook's format. */
export function renderBody(format: WebhookFormat, storedBody: string): string {
  if (format === "standard") return storedBody;
  const summary = summarise(JSON.parse(storedBody) as EventBody);
  return JSON.stringify(format === "slack" ? slackMessage(summary) : discordMessage(summary));
}
