/**
 * A new user's whole journey through the console, in Debian's chromium against the real
 * Worker under `wrangler dev`, with the outside internet played by a local fixture server
 * (a news site with its feed, two feeds from an OPML file, a webhook receiver):
 * sign in, import OPML, add a feed by a site's address, run now, create a storyline with
 * participants, test its query, preview it, add a webhook and send a test alert, run now
 * again when the news moves, and see the status and the timeline.
 *
 * Every page is saved as a screenshot at desktop width and at 390 px (test-results/journey-*),
 * checked for horizontal overflow at 390 px, and scanned with axe-core: no serious or critical
 * violation is allowed.
 */
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningWorker, startWorker } from "./worker";

const RESULTS = fileURLToPath(new URL("../../test-results/", import.meta.url));
const AXE_SOURCE = readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** The outside internet for this test: a site, its feed, two OPML feeds and a webhook receiver. */
interface Fixtures {
  origin: string;
  /** Switches the site's feed to its second version (the summit gets a date and a place). */
  moveTheNews(): void;
  hooks: Array<{ headers: IncomingMessage["headers"]; body: string }>;
  server: Server;
}

const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000);
const rssDate = (date: Date) => date.toUTCString();
const spokenDate = (date: Date) =>
  `${date.getUTCDate()} ${date.toLocaleString("en-GB", { month: "long", timeZone: "UTC" })}`;

function rss(title: string, items: Array<{ id: string; title: string; summary: string; at: Date }>): string {
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>${title}</title><link>https://example.org/</link>${items
    .map(
      (item) =>
        `<item><guid isPermaLink="false">${item.id}</guid><title>${item.title}</title><link>https://example.org/${item.id}</link><description>${item.summary}</description><pubDate>${rssDate(item.at)}</pubDate></item>`,
    )
    .join("")}</channel></rss>`;
}

async function startFixtures(): Promise<Fixtures> {
  let moved = false;
  const hooks: Fixtures["hooks"] = [];
  const agreed = {
    id: "agreed",
    title: "Putin and Trump agree to meet for a summit, Kremlin says",
    summary: "Vladimir Putin and Donald Trump have agreed to hold a summit, Kremlin aide Yuri Ushakov said.",
    at: day(-1),
  };
  const summitDate = day(2);
  const scheduled = {
    id: "scheduled",
    title: `Trump and Putin to meet in Anchorage, Alaska on ${spokenDate(summitDate)}`,
    summary: `Donald Trump and Vladimir Putin will meet in Anchorage, Alaska on ${spokenDate(summitDate)}, the White House said.`,
    at: day(0),
  };
  const server = createServer((req, res) => {
    const url = req.url ?? "/";
    const send = (type: string, body: string, status = 200) => {
      res.writeHead(status, { "content-type": type });
      res.end(body);
    };
    if (url === "/news/") {
      return send(
        "text/html; charset=utf-8",
        `<!doctype html><html lang="en"><head><title>World News</title>
         <link rel="alternate" type="application/rss+xml" title="World News" href="/news/world.xml"></head>
         <body><h1>World News</h1></body></html>`,
      );
    }
    if (url === "/news/world.xml") {
      return send("application/rss+xml", rss("World News", moved ? [scheduled, agreed] : [agreed]));
    }
    if (url === "/wire.xml") {
      return send(
        "application/rss+xml",
        rss("Wire", [
          { id: "w1", title: "Markets steady ahead of summit talk", summary: "Stocks were flat.", at: day(-1) },
        ]),
      );
    }
    if (url === "/daily.xml") return send("application/rss+xml", rss("The Daily", []));
    if (url === "/hook" && req.method === "POST") {
      let body = "";
      req.on("data", (chunk) => {
        body += chunk;
      });
      req.on("end", () => {
        hooks.push({ headers: req.headers, body });
        send("text/plain", "ok");
      });
      return;
    }
    send("text/plain", "not here", 404);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (typeof address !== "object" || !address) throw new Error("fixture server has no address");
  return {
    origin: `http://127.0.0.1:${address.port}`,
    moveTheNews: () => {
      moved = true;
    },
    hooks,
    server,
  };
}

let worker: RunningWorker;
let fixtures: Fixtures;
let browser: Browser;
let page: Page;
/** Pages whose axe scan found serious or critical violations, with the rule ids. */
const accessibility: Record<string, string[]> = {};
/** Pages wider than the 390 px viewport, with their scroll width. */
const overflow: Record<string, string> = {};

beforeAll(async () => {
  fixtures = await startFixtures();
  // Feeds and the webhook receiver live on 127.0.0.1, as in local development.
  worker = await startWorker("SELECT 1;", { ALLOW_PRIVATE_NETWORK: "true", WEBHOOK_RETRY_SCHEDULE: "0,2,5" });
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
  });
  // bypassCSP only so axe-core can be injected: the pages themselves run no script.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
  await new Promise((resolve) => fixtures?.server.close(resolve));
});

/** Screenshots at desktop width and at 390 px, the overflow check, and the axe scan. */
async function capture(name: string): Promise<void> {
  await page.screenshot({ path: `${RESULTS}journey-${name}-desktop.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: `${RESULTS}journey-${name}-390.png`, fullPage: true });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  if (width > 390) {
    // Name the widest elements, so a failure says what to fix.
    const culprits = await page.evaluate(() =>
      Array.from(document.querySelectorAll("body *"))
        .filter((element) => element.getBoundingClientRect().right > 390)
        .slice(0, 3)
        .map((element) => `${element.tagName.toLowerCase()}.${element.className}`),
    );
    overflow[name] = `${width}px: ${culprits.join(", ")}`;
  }
  await page.setViewportSize({ width: 1280, height: 900 });

  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(await AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document): Promise<{ violations: unknown[] }> } }).axe;
    const result = await axe.run(document);
    return (result.violations as Array<{ id: string; impact: string | null }>).map((v) => ({
      id: v.id,
      impact: v.impact,
    }));
  });
  const bad = violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id);
  if (bad.length > 0) accessibility[name] = bad;
}

/** Clicks "Run now" and waits until the run has completed (the home page says so). */
async function runNow(): Promise<void> {
  await page.goto(`${worker.origin}/`);
  const before = await page
    .locator("[data-last-run]")
    .textContent()
    .catch(() => null);
  await page.getByRole("button", { name: "Run now" }).click();
  expect(await page.locator(".notice").textContent()).toContain("Run started");
  await expect
    .poll(
      async () => {
        await page.goto(`${worker.origin}/`);
        const run = page.locator("[data-last-run]");
        if ((await run.count()) === 0) return "none";
        const text = await run.textContent();
        return text !== before ? await run.getAttribute("data-last-run") : "old";
      },
      { timeout: 60_000, interval: 500 },
    )
    .toBe("completed");
}

describe("a new user's journey through the console", () => {
  it("signs in, adds feeds, creates and tests a storyline, wires a webhook, runs, and sees the status and the timeline", async () => {
    // Sign in: a browser without a session lands on the sign-in page.
    await page.goto(`${worker.origin}/`);
    expect(new URL(page.url()).pathname).toBe("/sign-in");
    await capture("sign-in");
    await page.getByLabel("API token").fill(worker.token);
    await page.getByRole("button", { name: "Sign in" }).click();
    expect(new URL(page.url()).pathname).toBe("/");
    await expect.poll(() => page.locator("body").textContent()).toContain("Nothing is tracked yet");
    await capture("home-empty");

    // Import an OPML file.
    await page.getByRole("link", { name: "Feeds" }).click();
    const opml = `<?xml version="1.0"?><opml version="2.0"><head><title>My reader</title></head><body>
      <outline text="News"><outline type="rss" text="Wire" xmlUrl="${fixtures.origin}/wire.xml"/>
      <outline type="rss" text="The Daily" xmlUrl="${fixtures.origin}/daily.xml"/></outline></body></opml>`;
    await page
      .getByLabel("OPML file")
      .setInputFiles({ name: "subscriptions.opml", mimeType: "text/x-opml", buffer: Buffer.from(opml) });
    await page.getByRole("button", { name: "Import OPML" }).click();
    expect(await page.locator("body").textContent()).toContain("Imported: 2 added, 0 already watched, 0 refused.");

    // Add a feed by its site's address: found through <link rel="alternate">.
    await page.getByLabel("Feed or site address").fill(`${fixtures.origin}/news/`);
    await page.getByRole("button", { name: "Add feed" }).click();
    expect(await page.locator(".notice").textContent()).toContain("Found the site's feed");
    expect(await page.locator("tr[data-feed]").count()).toBe(3);
    expect(await page.locator("body").textContent()).toContain(`${fixtures.origin}/news/world.xml`);
    await capture("feeds");

    // Run now, so there are stored items to test a query on.
    await runNow();
    await page.getByRole("link", { name: "Feeds" }).click();
    expect(await page.locator(".badge.feed-ok").count()).toBe(3);
    await capture("feeds-checked");

    // Create a storyline with participants; test its query; preview it.
    await page.getByRole("link", { name: "New storyline" }).click();
    await page.getByLabel("Id").fill("putin-trump-summit");
    await page.getByLabel("Title").fill("Putin–Trump summit");
    await page.getByLabel("Kind").selectOption("event");
    await page.getByLabel("Query").fill('(Putin OR Kremlin) AND Trump AND (summit OR meet* OR "talks")');
    await page.getByLabel("Participants").fill("Vladimir Putin: Putin, Kremlin\nDonald Trump: Trump, White House");
    await page.getByRole("button", { name: "Test query" }).click();
    const tested = page.locator("[data-test-results]");
    expect(await tested.textContent()).toContain("1 of the last 2 stored items match");
    expect(await tested.locator("mark").first().textContent()).toBe("Putin");
    await capture("storyline-test-query");
    await page.getByRole("button", { name: "Preview" }).click();
    expect(await page.locator("[data-preview]").textContent()).toContain("Developments it would record");
    expect(await page.getByLabel("Participants").inputValue()).toContain("Vladimir Putin: Putin, Kremlin");
    await capture("storyline-preview");
    await page.getByRole("button", { name: "Save" }).click();
    expect(new URL(page.url()).pathname).toBe("/storylines/putin-trump-summit");

    // Add a webhook and send a test alert: signed, delivered, logged.
    await page.getByRole("link", { name: "Webhooks" }).click();
    await page.getByLabel("Address").fill(`${fixtures.origin}/hook`);
    await page.getByLabel("Format").selectOption("standard");
    await page.getByRole("button", { name: "Add webhook" }).click();
    expect(await page.locator("code.secret").textContent()).toMatch(/^whsec_/);
    await capture("webhooks");
    await page
      .getByRole("button", { name: /^Send test alert/ })
      .first()
      .click();
    await expect.poll(() => fixtures.hooks.length, { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
    const test = fixtures.hooks[0];
    expect(JSON.parse(test?.body ?? "{}").type).toBe("webhook.test");
    expect(test?.headers["webhook-signature"]).toMatch(/^v1,/);
    await expect
      .poll(
        async () => {
          await page.reload();
          return page.locator("[data-delivery]").first().getAttribute("data-state");
        },
        { timeout: 30_000 },
      )
      .toBe("succeeded");
    await capture("delivery-log");

    // The news moves: the summit gets a date and a place. Run now, then read the storyline.
    fixtures.moveTheNews();
    await runNow();
    await capture("home");
    const row = page.locator('tr[data-storyline="putin-trump-summit"]');
    expect(await row.locator(".badge").textContent()).toBe("scheduled");
    await row.getByRole("link").first().click();
    expect(await page.locator("h1").textContent()).toBe("Putin–Trump summit");
    expect(await page.locator("p > .badge").first().textContent()).toBe("scheduled");
    const timeline = page.locator("svg.timeline");
    expect(await timeline.count()).toBe(1);
    expect(await timeline.locator("[data-band=scheduled]").count()).toBe(1);
    expect(await timeline.locator("[data-marker]").count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator("blockquote").count()).toBeGreaterThan(0);
    await capture("storyline");
    await expect
      .poll(() => fixtures.hooks.some((hook) => JSON.parse(hook.body).type === "development.created"), {
        timeout: 30_000,
      })
      .toBe(true);

    // Every page: no serious or critical accessibility violation, no horizontal overflow at 390 px.
    expect(accessibility).toEqual({});
    expect(overflow).toEqual({});
  });
});
