import { describe, expect, it } from "vitest";
import { eventBody } from "../../src/alerts/enqueue";
import { MAX_SOURCES, renderBody, truncate } from "../../src/alerts/format";
import type { AlertEvent } from "../../src/contracts";
import { developmentEvent } from "./helpers";

interface SlackBlock {
  type: string;
  text?: { type: string; text: string };
  fields?: Array<{ type: string; text: string }>;
}
interface DiscordEmbed {
  title: string;
  description?: string;
  url?: string;
  fields: Array<{ name: string; value: string }>;
}

function hugeEvent(): AlertEvent {
  const event = developmentEvent("huge");
  const development = event.data.development as Record<string, unknown>;
  development.title = `Summit <b>&</b> ${"very long title ".repeat(200)}`;
  development.summary = "Summary sentence. ".repeat(2_000);
  development.facts = {
    date: "2025-08-15/2025-08-16",
    place: "Anchorage",
    participants: ["Putin", "Trump"],
    note: "n".repeat(5_000),
  };
  development.sources = Array.from({ length: 40 }, (_, i) => ({
    url: `https://news.example/${"path/".repeat(100)}${i}?a=1|2>3`,
    title: `Source ${i} | with <pipes> ${"x".repeat(300)}`,
    feed_id: "feed_1",
    outlet: `Outlet ${i}`,
    published_at: null,
    quote: null,
  }));
  return event;
}

const slackOf = (event: AlertEvent) =>
  JSON.parse(renderBody("slack", eventBody(event))) as { text: string; blocks: SlackBlock[] };
const discordOf = (event: AlertEvent) =>
  JSON.parse(renderBody("discord", eventBody(event))) as {
    content: string;
    embeds: DiscordEmbed[];
    allowed_mentions: { parse: string[] };
  };

describe("standard format", () => {
  it("posts the event body unchanged: { type, timestamp, data: { storyline, development } }", () => {
    const event = developmentEvent("std");
    const body = JSON.parse(renderBody("standard", eventBody(event)));
    expect(Object.keys(body)).toEqual(["type", "timestamp", "data"]);
    expect(body.data).toEqual(event.data);
  });
});

describe("Slack format", () => {
  it("reads as storyline, status move, facts and linked sources", () => {
    const message = slackOf(developmentEvent("slack"));
    expect(message.text).toContain("Putin–Trump summit: agreed → scheduled");
    const header = message.blocks[0];
    expect(header?.type).toBe("header");
    expect(header?.text?.text).toBe("Putin–Trump summit: agreed → scheduled");
    const all = JSON.stringify(message.blocks);
    expect(all).toContain("Summit set for 15 August in Alaska");
    expect(all).toContain("*Date*\\n2025-08-15");
    expect(all).toContain("*Place*\\nAlaska");
    expect(all).toContain("<https://news.example/a|Trump and Putin to meet in Alaska> — News");
  });

  it("stays within Slack's limits and escapes mrkdwn control characters", () => {
    const message = slackOf(hugeEvent());
    expect(message.text.length).toBeLessThanOrEqual(40_000);
    expect(message.blocks.length).toBeLessThanOrEqual(50);
    for (const block of message.blocks) {
      if (block.type === "header") expect(block.text?.text.length).toBeLessThanOrEqual(150);
      else if (block.text) expect(block.text.text.length).toBeLessThanOrEqual(3_000);
      for (const field of block.fields ?? []) expect(field.text.length).toBeLessThanOrEqual(2_000);
      expect((block.fields ?? []).length).toBeLessThanOrEqual(10);
    }
    const all = JSON.stringify(message);
    expect(all).toContain("Summit &lt;b&gt;&amp;&lt;/b&gt;");
    expect(all).not.toContain("<b>");
    const sources = message.blocks.find((b) => b.text?.text.startsWith("*Sources*"));
    const links = sources?.text?.text.split("\n").slice(1) ?? [];
    expect(links.length).toBeGreaterThan(0);
    expect(links.length).toBeLessThanOrEqual(MAX_SOURCES);
    // Each link is whole: one <url|label> with no stray | or > inside.
    for (const line of links) expect(line).toMatch(/^• <https:\/\/[^|>\s]+\|[^|>]+>/);
  });
});

describe("Discord format", () => {
  it("reads as storyline, status move, facts and linked sources, and pings nobody", () => {
    const message = discordOf(developmentEvent("discord"));
    expect(message.content).toBe("Putin–Trump summit: agreed → scheduled");
    expect(message.allowed_mentions).toEqual({ parse: [] });
    const [embed] = message.embeds;
    expect(embed?.title).toBe("Summit set for 15 August in Alaska");
    expect(embed?.url).toBe("https://news.example/a");
    expect(embed?.fields).toContainEqual(expect.objectContaining({ name: "Place", value: "Alaska" }));
    expect(embed?.description).toContain("[Trump and Putin to meet in Alaska](https://news.example/a) — News");
  });

  it("stays within Discord's limits", () => {
    const message = discordOf(hugeEvent());
    expect(message.content.length).toBeLessThanOrEqual(2_000);
    expect(message.embeds.length).toBeLessThanOrEqual(10);
    let total = 0;
    for (const embed of message.embeds) {
      expect(embed.title.length).toBeLessThanOrEqual(256);
      expect(embed.description?.length ?? 0).toBeLessThanOrEqual(4_096);
      expect(embed.fields.length).toBeLessThanOrEqual(25);
      for (const field of embed.fields) {
        expect(field.name.length).toBeLessThanOrEqual(256);
        expect(field.value.length).toBeLessThanOrEqual(1_024);
      }
      total +=
        embed.title.length +
        (embed.description?.length ?? 0) +
        embed.fields.reduce((n, f) => n + f.name.length + f.value.length, 0);
    }
    expect(total).toBeLessThanOrEqual(6_000);
    expect(message.embeds[0]?.description).toContain("**Sources**");
  });
});

describe("feed events", () => {
  const feedEvent = (type: "feed.failing" | "feed.recovered"): AlertEvent => ({
    id: `feed_1:${type}`,
    type,
    storylineId: null,
    occurredAt: "2025-08-08T12:00:00.000Z",
    data: {
      feed: {
        id: "feed_1",
        url: "https://news.example/feed.xml",
        title: "Example News",
        last_error: "HTTP 503",
        consecutive_failures: 5,
        failing_since: "2025-08-08T10:00:00.000Z",
      },
    },
  });

  it("say which feed fails and why, or that it recovered", () => {
    const failing = slackOf(feedEvent("feed.failing"));
    expect(failing.text).toContain("Feed failing: Example News");
    expect(JSON.stringify(failing.blocks)).toContain("HTTP 503");
    expect(discordOf(feedEvent("feed.recovered")).content).toBe("Feed recovered: Example News");
    expect(JSON.parse(renderBody("standard", eventBody(feedEvent("feed.failing")))).data.feed.id).toBe("feed_1");
  });
});

describe("truncate", () => {
  it("cuts with an ellipsis and never splits a surrogate pair", () => {
    expect(truncate("abcdef", 4)).toBe("abc…");
    expect(truncate("abc", 4)).toBe("abc");
    const cut = truncate("aa😀😀😀", 4);
    expect(cut.length).toBeLessThanOrEqual(4);
    expect(cut).toBe("aa…");
  });
});
