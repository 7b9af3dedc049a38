/**
 * The status pages in a real browser (Debian's chromium, driven by playwright-core) against
 * the real Worker under `wrangler dev`. Screenshots go to test-results/ as artefacts.
 */
import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { type Browser, type BrowserContext, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEAL, MALICIOUS, MALICIOUS_TITLE, QUOTE, SOURCE_URL, SUMMIT, seedSql } from "./seed";
import { type RunningWorker, startWorker } from "./worker";

const RESULTS = fileURLToPath(new URL("../../test-results/", import.meta.url));
const CHROMIUM = "/usr/bin/chromium";

let worker: RunningWorker;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  await mkdir(RESULTS, { recursive: true });
  worker = await startWorker(seedSql());
  // launch() gives every run a fresh temporary profile (user-data-dir), removed on close.
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await worker?.stop();
});

async function newPage(options: Parameters<Browser["newContext"]>[0] = {}) {
  const context = await browser.newContext({ viewport: { width: 1100, height: 800 }, ...options });
  contexts.push(context);
  // Nothing may leave for the outside internet: every request stays on the Worker under test.
  const outside: string[] = [];
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(worker.origin)) return route.continue();
    outside.push(url);
    return route.abort();
  });
  return { page: await context.newPage(), outside };
}

const withToken = () => ({ extraHTTPHeaders: { authorization: `Bearer ${worker.token}` } });

describe("status page in chromium", () => {
  it("lists the seeded storylines with their status, without JavaScript", async () => {
    const { page, outside } = await newPage({ ...withToken(), javaScriptEnabled: false });
    const response = await page.goto(`${worker.origin}/`);
    expect(response?.status()).toBe(200);
    const rows = page.locator("tr[data-storyline]");
    await expect.poll(() => rows.count()).toBe(3);

    const summit = page.locator(`tr[data-storyline="${SUMMIT.id}"]`);
    expect(await summit.locator(".badge").textContent()).toBe("scheduled");
    expect(await summit.textContent()).toContain("Alaska");
    expect(await summit.textContent()).toContain("2025-08-15");
    const deal = page.locator(`tr[data-storyline="${DEAL.id}"]`);
    expect(await deal.locator(".badge").textContent()).toBe("collapsed");
    // The badge is styled by status (hand-written CSS), so statuses differ at a glance.
    const colours = await Promise.all(
      [summit, deal].map((row) => row.locator(".badge").evaluate((e) => getComputedStyle(e).backgroundColor)),
    );
    expect(colours[0]).not.toBe(colours[1]);

    await page.screenshot({ path: `${RESULTS}status-page.png`, fullPage: true });
    expect(outside).toEqual([]);
  });

  it("sends a browser without a session, token or key to the sign-in page", async () => {
    const { page } = await newPage();
    const response = await page.goto(`${worker.origin}/`);
    expect(response?.status()).toBe(200);
    expect(new URL(page.url()).pathname).toBe("/sign-in");
    expect(await page.locator("h1").textContent()).toBe("Sign in");
  });
});

describe("storyline page in chromium", () => {
  it("shows a development with its quote and source link, opened with the feed key", async () => {
    const { page, outside } = await newPage({ javaScriptEnabled: false });
    const response = await page.goto(`${worker.origin}/storylines/${SUMMIT.id}?key=${SUMMIT.feedKey}`);
    expect(response?.status()).toBe(200);

    const development = page.locator("[data-development=dev_summit_scheduled]");
    expect(await development.locator("h3").textContent()).toBe("Summit set for 15 August in Alaska");
    expect(await development.locator("blockquote").first().textContent()).toBe(QUOTE);
    const link = development.locator(`a[href="${SOURCE_URL}"]`);
    expect(await link.textContent()).toBe("Summit set for Alaska");
    expect(await page.locator("tr[data-feed=feed_daily]").textContent()).toContain("failing since");

    const atom = await page.locator('link[rel=alternate][type="application/atom+xml"]').getAttribute("href");
    expect(atom).toBe(`/v1/storylines/${SUMMIT.id}/feed.atom?key=${SUMMIT.feedKey}`);
    const feed = await page.request.get(`${worker.origin}${atom}`);
    expect(feed.status()).toBe(200);
    expect(feed.headers()["content-type"]).toContain("application/atom+xml");

    await page.screenshot({ path: `${RESULTS}storyline-page.png`, fullPage: true });
    expect(outside).toEqual([]);
  });
});

describe("API docs in chromium", () => {
  it("renders /openapi.json offline, without a token", async () => {
    const { page, outside } = await newPage({ javaScriptEnabled: false });
    const response = await page.goto(`${worker.origin}/docs`);
    expect(response?.status()).toBe(200);
    expect(await page.locator("#op-get--v1-storylines-id-feed-atom").count()).toBe(1);
    expect(await page.locator("script").count()).toBe(0);
    await page.screenshot({ path: `${RESULTS}docs-page.png`, fullPage: false });
    expect(outside).toEqual([]);
  });
});

describe("malicious feed data in chromium", () => {
  // CSP bypassed on purpose: escaping alone must keep the markup inert.
  for (const path of ["/", `/storylines/${MALICIOUS.id}`]) {
    it(`runs nothing on ${path} and shows the markup as text`, async () => {
      const { page, outside } = await newPage({ ...withToken(), bypassCSP: true });
      const dialogs: string[] = [];
      page.on("dialog", (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      const response = await page.goto(`${worker.origin}${path}`);
      expect(response?.status()).toBe(200);
      await page.waitForLoadState("load");

      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      // Our own inline SVG timeline is the only SVG; nothing from feeds becomes markup.
      expect(await page.locator("script, img, svg:not(.timeline), [onerror], [onload]").count()).toBe(0);
      expect(await page.locator('a[href^="javascript:"]').count()).toBe(0);
      expect(await page.locator("body").textContent()).toContain(MALICIOUS_TITLE);
      expect(dialogs).toEqual([]);
      expect(outside).toEqual([]);
    });
  }

  it("keeps the script-free policy as a second line of defence", async () => {
    const { page } = await newPage(withToken());
    const response = await page.goto(`${worker.origin}/storylines/${MALICIOUS.id}`);
    expect(response?.headers()["content-security-policy"]).toContain("default-src 'none'");
    expect(await page.locator("body").textContent()).toContain("<script>window.__pwned=8</script>");
  });
});
