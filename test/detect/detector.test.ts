/**
 * detect() as the Storyline Durable Object uses it: baseline silence, idempotent re-delivery,
 * in-place edits, wire copies counted once, the third-outlet update, coverage clusters for
 * topics, determinism and bounded, JSON-safe state.
 */
import { describe, expect, it } from "vitest";
import type { StoredItem, StorylineRecord } from "../../src/contracts";
import { detect } from "../../src/detect/detector";
import { type DetectionAction, type DetectorState, initialDetectorState } from "../../src/detect/types";
import { storyline as summitStoryline } from "./stages/fixtures";

const storyline: StorylineRecord = summitStoryline("event", { id: "alaska-summit" });

let serial = 0;
function item(
  feed: string,
  publishedAt: string,
  title: string,
  summary = "",
  extra: Partial<StoredItem> = {},
): StoredItem {
  serial++;
  return {
    id: `${feed}-${serial}`,
    feedId: feed,
    feedTitle: `${feed} news`,
    url: `https://${feed}.example/${serial}`,
    title,
    summary,
    content: "",
    author: null,
    publishedAt,
    // Seen a few minutes after publication, as a poller sees it (an undated item is seen at its own time).
    firstSeenAt: new Date(Date.parse(publishedAt) + 300_000).toISOString(),
    baseline: false,
    updated: false,
    ...extra,
  };
}

function run(state: DetectorState, items: StoredItem[], record = storyline, now = "2025-08-09T00:00:00Z") {
  return detect({ storyline: record, state, items, now });
}

const creates = (actions: DetectionAction[]) => actions.filter((a) => a.type === "development.create");

describe("detect()", () => {
  it("builds the baseline silently: developments marked baseline, status set, no alert", () => {
    const out = run(initialDetectorState(), [
      item("wire", "2025-08-05T10:00:00Z", "Trump and Putin agree to meet, Kremlin says", "", { baseline: true }),
    ]);
    const [create] = creates(out.actions);
    expect(create?.type === "development.create" && create.development.baseline).toBe(true);
    expect(create?.type === "development.create" && create.alert).toBe(false);
    expect(out.state.status).toBe("agreed");
    expect(out.actions.some((a) => a.type === "storyline.update" && a.status === "agreed")).toBe(true);
  });

  it("alerts a scheduled summit with its facts and quoted sentence, titled from the facts", () => {
    const base = run(initialDetectorState(), [
      item("wire", "2025-08-05T10:00:00Z", "Trump and Putin agree to meet, Kremlin says", "", { baseline: true }),
    ]).state;
    const news = item("wire", "2025-08-08T20:00:00Z", "Trump says he will meet Putin in Alaska on Friday, August 15");
    const out = run(base, [news]);
    const [create] = creates(out.actions);
    if (create?.type !== "development.create") throw new Error("no development");
    expect(create.alert).toBe(true);
    expect(create.development).toMatchObject({
      key: `alaska-summit:${news.id}`,
      type: "status_change",
      status: "scheduled",
      previousStatus: "agreed",
      facts: { date: "2025-08-15", place: "Alaska" },
      title: "Scheduled: 15 Aug 2025, Alaska",
      baseline: false,
    });
    expect(create.sources[0]?.quote).toBe(news.title);
    expect(out.state.facts).toMatchObject({ date: "2025-08-15", place: "Alaska" });
  });

  it("does nothing for an item delivered twice, and is deterministic", () => {
    const news = item("wire", "2025-08-08T20:00:00Z", "Trump says he will meet Putin in Alaska on Friday, August 15");
    const first = run(initialDetectorState(), [news]);
    const again = run(first.state, [news]);
    expect(again.actions).toEqual([]);
    expect(run(initialDetectorState(), [news])).toEqual(first);
    expect(JSON.parse(JSON.stringify(first.state))).toEqual(first.state);
  });

  it("re-reads an item edited in place, and makes a development only when the edit brings a new fact", () => {
    const draft = item("wire", "2025-08-08T10:00:00Z", "Trump and Putin could meet soon, aides say");
    const s1 = run(initialDetectorState(), [draft]).state;
    const sameNews = { ...draft, summary: "Aides said a meeting could happen soon.", updated: true };
    expect(creates(run(s1, [sameNews]).actions)).toEqual([]);
    const edited = {
      ...draft,
      title: "Trump and Putin will meet in Anchorage on August 15, White House says",
      updated: true,
      publishedAt: "2025-08-08T12:00:00Z",
    };
    const out = run(s1, [edited]);
    const [create] = creates(out.actions);
    expect(create?.type === "development.create" && create.development.status).toBe("scheduled");
    expect(create?.type === "development.create" && create.development.facts.place).toBe("Anchorage");
  });

  it("counts wire copies once and sends one update when a third independent outlet reports", () => {
    const text = "Trump says he will meet Putin in Alaska on Friday, August 15";
    const summary = "The US president said the summit with the Russian leader would take place in Alaska.";
    const s1 = run(initialDetectorState(), [item("wire", "2025-08-08T20:00:00Z", text, summary)]).state;
    const copy = run(s1, [item("copycat", "2025-08-08T21:00:00Z", text, `${summary} (Wire)`)]);
    const c1 = copy.actions.find((a) => a.type === "development.corroborate");
    expect(c1?.type === "development.corroborate" && c1.outlets).toBe(1);
    const second = run(copy.state, [
      item(
        "gazette",
        "2025-08-09T06:00:00Z",
        "Putin and Trump to hold summit in Alaska next Friday",
        "The Kremlin confirmed the meeting.",
      ),
    ]);
    const c2 = second.actions.find((a) => a.type === "development.corroborate");
    expect(c2?.type === "development.corroborate" && c2.outlets).toBe(2);
    expect(c2?.type === "development.corroborate" && c2.alert).toBe(false);
    const third = run(second.state, [
      item(
        "ledger",
        "2025-08-09T08:00:00Z",
        "Alaska summit: Trump and Putin meet on August 15",
        "Both sides confirmed the summit.",
      ),
    ]);
    const c3 = third.actions.find((a) => a.type === "development.corroborate");
    expect(c3).toMatchObject({ type: "development.corroborate", outlets: 3, alert: true, updateKey: "outlets:3" });
    const fourth = run(third.state, [
      item(
        "post",
        "2025-08-09T09:00:00Z",
        "Trump and Putin summit set for Alaska",
        "The summit will take place on August 15.",
      ),
    ]);
    const c4 = fourth.actions.find((a) => a.type === "development.corroborate");
    expect(c4).toMatchObject({ outlets: 4, alert: false, updateKey: null });
    expect(creates(fourth.actions)).toEqual([]);
  });

  it("does not move the status on a hedge and keeps a set date against a passing mention", () => {
    const s1 = run(initialDetectorState(), [
      item("wire", "2025-08-08T20:00:00Z", "Trump says he will meet Putin in Alaska on Friday, August 15"),
    ]).state;
    const hedge = run(s1, [
      item("gazette", "2025-08-09T08:00:00Z", "Trump and Putin summit could be postponed, aides say"),
    ]);
    expect(hedge.state.status).toBe("scheduled");
    expect(creates(hedge.actions)).toEqual([]);
  });

  it("makes new clusters of coverage for a topic storyline and joins near-duplicates to them", () => {
    const topic: StorylineRecord = {
      ...storyline,
      id: "arctic",
      kind: "topic",
      query: "Arctic AND (shipping OR ice)",
      alertOn: ["coverage"],
    };
    const a = item(
      "wire",
      "2025-08-08T08:00:00Z",
      "Arctic sea ice hits record low for August",
      "Satellite data show Arctic ice at its lowest extent.",
    );
    const b = item(
      "copycat",
      "2025-08-08T09:00:00Z",
      "Arctic sea ice hits record low for August",
      "Satellite data show Arctic ice at its lowest extent. (Wire)",
    );
    const c = item(
      "gazette",
      "2025-08-08T10:00:00Z",
      "New Arctic shipping route opens for container ships",
      "A container line said it would use the northern sea route.",
    );
    const out = run(initialDetectorState(), [a, b, c], topic);
    const made = creates(out.actions);
    expect(made).toHaveLength(2);
    expect(made.every((m) => m.type === "development.create" && m.development.type === "coverage" && m.alert)).toBe(
      true,
    );
    expect(made[0]?.type === "development.create" && made[0].sources.map((s) => s.itemId)).toEqual([a.id, b.id]);
    expect(made[0]?.type === "development.create" && made[0].outlets).toBe(1);
  });

  it("voids a date that passed without the event, by story time, not wall time", () => {
    const s1 = run(initialDetectorState(), [
      item("wire", "2025-08-08T20:00:00Z", "Trump says he will meet Putin in Alaska on Friday, August 15"),
    ]).state;
    // Run much later in wall time: nothing is voided while the news itself is not past the date.
    const early = run(
      s1,
      [item("gazette", "2025-08-12T08:00:00Z", "Trump and Putin summit preparations under way")],
      storyline,
      "2026-11-28T00:00:00Z",
    );
    expect(early.state).toMatchObject({ status: "scheduled", facts: { date: "2025-08-15" } });
    const late = run(
      early.state,
      [item("ledger", "2025-08-20T08:00:00Z", "Kremlin: no new word on Trump meeting")],
      storyline,
      "2026-11-28T00:00:00Z",
    );
    expect(late.state).toMatchObject({ status: "agreed", facts: { date: null, place: "Alaska" } });
    expect(late.actions.some((a) => a.type === "storyline.update" && a.facts.date === null)).toBe(true);
    expect(creates(late.actions).filter((a) => a.type === "development.create" && a.alert)).toEqual([]);
  });

  it("keeps the day a deal was reached: only a planned date is voided when it passes", () => {
    const deal: StorylineRecord = {
      ...storyline,
      id: "iran-deal",
      title: "Iran nuclear deal",
      kind: "agreement",
      query: "Iran AND nuclear AND (deal OR agreement OR talks)",
    };
    const s0 = run(
      initialDetectorState(),
      [item("wire", "2015-03-19T10:00:00Z", "Iran nuclear talks resume", "", { baseline: true })],
      deal,
      "2015-03-20T00:00:00Z",
    ).state;
    const reached = run(
      s0,
      [
        item(
          "post",
          "2015-07-14T09:00:00Z",
          "Iran nuclear deal reached",
          "Iran and six powers reached a comprehensive agreement on Iran's nuclear program in Vienna on July 14.",
        ),
      ],
      deal,
      "2015-07-15T00:00:00Z",
    ).state;
    expect(reached).toMatchObject({ status: "agreed", facts: { date: "2015-07-14", place: "Vienna" } });
    const later = run(
      reached,
      [item("gazette", "2015-07-20T15:00:00Z", "UN Security Council endorses Iran nuclear deal")],
      deal,
      "2015-07-21T00:00:00Z",
    );
    expect(later.state).toMatchObject({ status: "agreed", facts: { date: "2015-07-14", place: "Vienna" } });
    expect(later.actions.some((a) => a.type === "storyline.update")).toBe(false);
  });

  it("lets an undated report move the state without stopping later dated news from moving it", () => {
    const s1 = run(initialDetectorState(), [
      item("wire", "2025-08-08T20:00:00Z", "Trump says he will meet Putin in Alaska on Friday, August 15"),
    ]).state;
    // An undated feed: the item is dated when first seen, here long after the story.
    const seen = "2026-11-28T12:00:00.000Z";
    const cancelled = run(s1, [item("gazette", seen, "Trump calls off Putin summit", "", { firstSeenAt: seen })]).state;
    expect(cancelled.status).toBe("cancelled");
    const backOn = run(cancelled, [
      item("post", "2025-08-11T20:00:00Z", "Trump says Alaska summit with Putin back on for August 15"),
    ]);
    expect(backOn.state).toMatchObject({ status: "scheduled", facts: { date: "2025-08-15" } });
    // A dateless report of the meeting, on or after the set day: held on that day.
    const held = run(backOn.state, [item("ledger", "2025-08-16T08:00:00Z", "Trump and Putin meet in Alaska")]);
    expect(held.state).toMatchObject({ status: "held", facts: { date: "2025-08-15", place: "Alaska" } });
  });

  it("names the parties: the storyline's own and the actors of each claim that moved it", () => {
    const s1 = run(initialDetectorState(), [
      item("wire", "2025-08-08T20:00:00Z", "Trump says he will meet Putin in Alaska on Friday, August 15"),
    ]);
    // The principals the title names, as the query writes them: no list of leaders in the code.
    expect(s1.state.facts.participants).toEqual(["Putin", "Trump"]);
    const [created] = creates(s1.actions);
    expect(created?.type === "development.create" && created.development.facts.participants).toEqual([
      "Putin",
      "Trump",
    ]);
    // A venue is not a party; a country named as an actor is.
    const s2 = run(s1.state, [
      item("post", "2025-08-13T08:00:00Z", "Ukraine's president and Trump will meet Putin in Anchorage on August 15"),
    ]);
    expect(s2.state.facts.participants).toEqual(["Putin", "Trump", "Ukraine"]);
  });

  it("voids nothing on a batch of undated items, which say nothing of story time", () => {
    const s1 = run(initialDetectorState(), [
      item("wire", "2025-08-08T20:00:00Z", "Trump says he will meet Putin in Alaska on Friday, August 15"),
    ]).state;
    // A replay long after the story: an undated feed's item is dated when first seen, today.
    const seen = "2026-11-28T12:00:00.000Z";
    const out = run(
      s1,
      [item("gazette", seen, "Trump-Putin summit preparations", "", { firstSeenAt: seen })],
      storyline,
      seen,
    );
    expect(out.state).toMatchObject({ status: "scheduled", facts: { date: "2025-08-15" } });
  });

  it("reads an edit in place as of its revision, whichever feed comes first", () => {
    const s1 = run(initialDetectorState(), [
      item("wire", "2025-08-08T20:00:00Z", "Trump says he will meet Putin in Alaska on Friday, August 15"),
    ]).state;
    // First filed on Thursday the 14th, revised on Friday the 15th to report the meeting "on Friday".
    const edit = item("post", "2025-08-14T09:00:00Z", "Trump and Putin met in Anchorage on Friday", "", {
      updated: true,
      revisedAt: "2025-08-15T22:00:00Z",
    });
    const held = run(s1, [edit], storyline, "2025-08-16T00:00:00Z");
    expect(held.state).toMatchObject({ status: "held", facts: { date: "2025-08-15" } });
    const dated = run(held.state, [item("wire", "2025-08-15T23:00:00Z", "Trump and Putin met in Alaska on Friday")]);
    expect(creates(dated.actions)).toEqual([]);
  });

  it("withdraws a venue when the host pulls out", () => {
    const s1 = run(initialDetectorState(), [
      item("wire", "2025-10-16T20:00:00Z", "Trump says he will meet Putin in Budapest on October 30"),
    ]).state;
    const out = run(s1, [
      item("gazette", "2025-10-20T08:00:00Z", "Budapest will no longer host the Trump-Putin summit, Hungary says"),
    ]);
    expect(out.state.facts.place).toBeNull();
    const [create] = creates(out.actions);
    expect(create?.type === "development.create" && create.development.type).toBe("new_fact");
  });

  it("reads the storyline's place aliases as places, named by their canonical name", () => {
    const withAliases = { ...storyline, aliases: { Anchorage: ["JBER", "Elmendorf base"] } };
    const out = run(
      initialDetectorState(),
      [item("wire", "2025-08-13T18:00:00Z", "Trump and Putin will meet at JBER on August 15, officials say")],
      withAliases,
    );
    expect(out.state).toMatchObject({ status: "scheduled", facts: { date: "2025-08-15", place: "Anchorage" } });
  });

  it("keeps its memory bounded", () => {
    let state = initialDetectorState();
    const batch: StoredItem[] = [];
    for (let i = 0; i < 1700; i++) batch.push(item("wire", "2025-08-08T08:00:00Z", `Trump Putin talks item ${i}`));
    state = run(state, batch).state;
    const memory = state.memory as { order: string[]; items: Record<string, unknown> };
    expect(memory.order.length).toBeLessThanOrEqual(1500);
    expect(Object.keys(memory.items).length).toBe(memory.order.length);
  });
});

describe("a meeting only mooted", () => {
  const visit = summitStoryline("event", {
    id: "lindqvist-visit",
    title: "Lindqvist visit to Japan",
    query: "Lindqvist AND (Japan OR Tokyo) AND (visit* OR trip)",
  });
  const bank = summitStoryline("event", {
    id: "bank-march",
    title: "Central bank March rate decision",
    query: '"central bank" AND (rate* OR decision OR meeting)',
  });

  it("is proposed: the meeting is on the table, with no day or place set", () => {
    const out = run(
      initialDetectorState(),
      [item("wire", "2025-08-05T10:00:00Z", "Lindqvist is expected to visit Japan next year, an envoy says")],
      visit,
    );
    expect(out.state.status).toBe("proposed");
    expect(out.state.facts.date ?? null).toBeNull();
    expect(out.state.facts.place ?? null).toBeNull();
    expect(creates(out.actions)).toHaveLength(1);
  });

  it("is not proposed when the mention is negated or recalls the past", () => {
    const out = run(
      initialDetectorState(),
      [item("wire", "2025-08-05T10:00:00Z", "Lindqvist will not visit Japan this year, his office says")],
      visit,
    );
    expect(out.state.status).toBeNull();
  });

  it("takes the day and the place of a later proposal that names them, once", () => {
    const first = run(
      initialDetectorState(),
      [item("wire", "2025-08-05T10:00:00Z", "Lindqvist is likely to visit Japan later this year, diplomats say")],
      visit,
    );
    expect(first.state.status).toBe("proposed");
    const second = run(
      first.state,
      [item("post", "2025-08-06T10:00:00Z", "Japan proposes a Lindqvist visit to Tokyo on 2 September")],
      visit,
    );
    expect(second.state.status).toBe("proposed");
    expect(second.state.facts.date).toBe("2025-09-02");
    expect(creates(second.actions)).toHaveLength(0);
  });

  it("leaves an institution's sitting, which is on a calendar, without a status", () => {
    const out = run(
      initialDetectorState(),
      [item("wire", "2025-03-01T10:00:00Z", "The central bank could cut rates at its March meeting, economists say")],
      bank,
    );
    expect(out.state.status).toBeNull();
  });
});

describe("a proposal during negotiations", () => {
  const alerts = (actions: DetectionAction[]) => actions.filter((a) => a.type === "development.create" && a.alert);
  const truce = summitStoryline("agreement", {
    id: "northern-truce",
    title: "Northern truce",
    query: "northern AND (truce OR ceasefire)",
  });
  const negotiating = () =>
    run(
      initialDetectorState(),
      [item("wire", "2025-08-01T10:00:00Z", "Army and rebels begin talks on a northern truce in the capital")],
      truce,
    ).state;

  it("is a new fact of the talks, told once", () => {
    const before = negotiating();
    expect(before.status).toBe("negotiating");
    const out = run(
      before,
      [
        item("wire", "2025-08-05T10:00:00Z", "Mediators put forward a new northern truce proposal"),
        item("post", "2025-08-05T12:00:00Z", "Mediators present a plan for a northern truce to both sides"),
      ],
      truce,
    );
    expect(out.state.status).toBe("negotiating");
    expect(out.state.facts.note).toBe("new proposal on 2025-08-05");
    expect(alerts(out.actions)).toHaveLength(1);
  });

  it("is not a draft passed between the sides", () => {
    const out = run(
      negotiating(),
      [item("wire", "2025-08-05T10:00:00Z", "Mediators hand both sides a draft of the northern truce")],
      truce,
    );
    expect(out.state.facts.note ?? null).toBeNull();
    expect(alerts(out.actions)).toHaveLength(0);
  });
});
