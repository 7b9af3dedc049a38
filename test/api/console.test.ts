/**
 * The web console over the real Worker: sign-in with a signed session cookie, CSRF on every
 * form, sign-out, and the console's forms (feeds with discovery and OPML, storylines with
 * "Test query" and "Preview", webhooks with a test alert and the delivery log, "Run now").
 */
import { env, SELF } from "cloudflare:test";
import { DomUtils, parseDocument } from "htmlparser2";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SESSION_COOKIE } from "../../src/api/session";
import { pollFeed } from "../../src/feeds/poller";
import { addFeed, resetFeedTables, rss, startRunWithoutQueue } from "../feeds/helpers";
import { api } from "../helpers/api";
import { type FakeInternet, fakeInternet } from "../helpers/fake-internet";

const ORIGIN = "https://storywatch.test";
const HTML = "text/html,application/xhtml+xml";

let internet: FakeInternet;
beforeEach(async () => {
  await resetFeedTables();
  await env.DB.batch([env.DB.prepare("DELETE FROM storylines"), env.DB.prepare("DELETE FROM sessions")]);
  internet = fakeInternet();
});
afterEach(() => internet.restore());

/** A browser: keeps the session cookie, sends Accept: text/html and its own Origin on posts. */
class Browser {
  cookie: string | null = null;

  async get(path: string, origin = ORIGIN): Promise<Response> {
    const headers = new Headers({ accept: HTML });
    if (this.cookie) headers.set("cookie", this.cookie);
    return SELF.fetch(`${origin}${path}`, { headers, redirect: "manual" });
  }

  async post(path: string, form: Record<string, string | File>, options: { origin?: string | null } = {}) {
    const headers = new Headers({ accept: HTML });
    const origin = options.origin === undefined ? ORIGIN : options.origin;
    if (origin !== null) headers.set("origin", origin);
    if (this.cookie) headers.set("cookie", this.cookie);
    const body = new FormData();
    for (const [name, value] of Object.entries(form)) body.append(name, value);
    const res = await SELF.fetch(`${ORIGIN}${path}`, { method: "POST", headers, body, redirect: "manual" });
    const set = res.headers.get("set-cookie");
    if (set?.startsWith(`${SESSION_COOKIE}=`)) {
      const value = set.split(";")[0] ?? "";
      this.cookie = value.endsWith("=") ? null : value;
    }
    return res;
  }

  async signIn(token = "test-token"): Promise<Response> {
    return this.post("/sign-in", { token });
  }

  /** The CSRF token of the page at `path`. */
  async csrf(path = "/"): Promise<string> {
    const doc = parseDocument(await (await this.get(path)).text());
    const input = DomUtils.findOne((e) => e.name === "input" && e.attribs.name === "_csrf", doc.children);
    if (!input) throw new Error(`no CSRF token on ${path}`);
    return input.attribs.value ?? "";
  }

  /** Posts a console form with this session's CSRF token. */
  async submit(path: string, form: Record<string, string | File> = {}): Promise<Response> {
    return this.post(path, { _csrf: await this.csrf(), ...form });
  }
}

const text = async (res: Response) => DomUtils.textContent(parseDocument(await res.text())).replace(/\s+/g, " ");
const feedCount = async () => (await env.DB.prepare("SELECT COUNT(*) AS n FROM feeds").first<{ n: number }>())?.n ?? 0;

describe("sign-in, session cookie and sign-out", () => {
  it("sends a browser without a session to the sign-in page, and an API client a problem+json", async () => {
    const browser = new Browser();
    const res = await browser.get("/");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/sign-in");
    const signIn = await browser.get("/sign-in");
    expect(signIn.status).toBe(200);
    const body = await text(signIn);
    expect(body).toContain("API token");
    expect(body).toContain("PUBLIC_READS is off");

    const client = await api("/", { token: null });
    expect(client.status).toBe(401);
    expect(client.headers.get("content-type")).toBe("application/problem+json");
    const page = await SELF.fetch(`${ORIGIN}/feeds`);
    expect(page.status).toBe(401);
    expect(page.headers.get("content-type")).toBe("application/problem+json");
  });

  it("refuses a wrong token and sets an HttpOnly, SameSite=Strict, Secure signed cookie for a right one", async () => {
    const browser = new Browser();
    const wrong = await browser.signIn("not-the-token");
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("set-cookie")).toBeNull();
    expect(await text(wrong)).toContain("not one of the API tokens");

    const right = await browser.signIn();
    expect(right.status).toBe(303);
    expect(right.headers.get("location")).toBe("/");
    const cookie = right.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(new RegExp(`^${SESSION_COOKIE}=[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{43};`));
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Strict");
    expect(cookie).toContain("Secure");
    expect(cookie).toContain("Path=/");
    const home = await browser.get("/");
    expect(home.status).toBe(200);
    expect(await text(home)).toContain("Run now");
  });

  it("sends only its own script to a signed-in browser, and none to the public pages", async () => {
    const browser = new Browser();
    await browser.signIn();
    const home = await browser.get("/");
    expect(home.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(await home.text()).toContain('<script src="/console.js" defer=""></script>');
    const script = await SELF.fetch(`${ORIGIN}/console.js`);
    expect(script.headers.get("content-type")).toContain("text/javascript");
    expect(await script.text()).toContain("window.confirm");
    const signIn = await new Browser().get("/sign-in");
    expect(await signIn.text()).not.toContain("<script");
  });

  it("leaves Secure off on localhost, where there is no TLS", async () => {
    const res = await SELF.fetch("http://localhost:8787/sign-in", {
      method: "POST",
      headers: { origin: "http://localhost:8787", "content-type": "application/x-www-form-urlencoded" },
      body: "token=test-token",
      redirect: "manual",
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("set-cookie")).not.toContain("Secure");
  });

  it("refuses a forged, altered or expired cookie", async () => {
    const browser = new Browser();
    await browser.signIn();
    const good = browser.cookie ?? "";
    const [name, value = ""] = good.split("=");
    const [id = "", signature = ""] = value.split(".");

    const forged = new Browser();
    const flip = (s: string) => (s[0] === "A" ? "B" : "A") + s.slice(1);
    for (const cookie of [
      `${name}=${id}.${flip(signature)}`, // signature altered
      `${name}=${flip(id)}.${signature}`, // id altered
      `${name}=${crypto.randomUUID()}.${signature}`, // made up
      `${name}=${id}`, // unsigned
    ]) {
      forged.cookie = cookie;
      const res = await forged.get("/feeds");
      expect(res.status, cookie).toBe(303);
      expect(res.headers.get("location")).toBe("/sign-in");
    }

    // Expired: the signature is still valid, the session is not.
    await env.DB.prepare("UPDATE sessions SET expires_at = '2000-01-01T00:00:00.000Z'").run();
    const expired = await browser.get("/feeds");
    expect(expired.status).toBe(303);
    expect(expired.headers.get("location")).toBe("/sign-in");
  });

  it("ends the session on sign-out: the old cookie no longer works", async () => {
    const browser = new Browser();
    await browser.signIn();
    const cookie = browser.cookie;
    const csrf = await browser.csrf();
    const out = await browser.post("/sign-out", { _csrf: csrf });
    expect(out.status).toBe(303);
    expect(out.headers.get("location")).toBe("/sign-in");
    expect(out.headers.get("set-cookie")).toMatch(new RegExp(`^${SESSION_COOKIE}=;.*Max-Age=0`));
    const replay = new Browser();
    replay.cookie = cookie;
    expect((await replay.get("/")).status).toBe(303);
    const action = await replay.post("/feeds", { _csrf: csrf, url: "https://news.example/feed.xml" });
    expect(action.status).toBe(303);
    expect(action.headers.get("location")).toBe("/sign-in");
    expect(await feedCount()).toBe(0);
  });
});

describe("CSRF", () => {
  it("refuses a form post without its token, with another session's token, or from another site", async () => {
    internet.on("https://news.example/feed.xml", '<rss version="2.0"><channel><title>News</title></channel></rss>');
    const browser = new Browser();
    await browser.signIn();
    const other = new Browser();
    await other.signIn();
    const otherToken = await other.csrf();

    const missing = await browser.post("/feeds", { url: "https://news.example/feed.xml" });
    expect(missing.status).toBe(403);
    expect(await text(missing)).toContain("expired or did not come from this console");
    const foreign = await browser.post("/feeds", { _csrf: otherToken, url: "https://news.example/feed.xml" });
    expect(foreign.status).toBe(403);
    const crossSite = await browser.post(
      "/feeds",
      { _csrf: await browser.csrf(), url: "https://news.example/feed.xml" },
      { origin: "https://evil.example" },
    );
    expect(crossSite.status).toBe(403);
    expect(await feedCount()).toBe(0);
    expect(internet.requests).toEqual([]);

    // The same form with its own token goes through.
    const ok = await browser.submit("/feeds", { url: "https://news.example/feed.xml" });
    expect(ok.status).toBe(303);
    expect(await feedCount()).toBe(1);
  });

  it("refuses a sign-in posted from another site", async () => {
    const browser = new Browser();
    const res = await browser.post("/sign-in", { token: "test-token" }, { origin: "https://evil.example" });
    expect(res.status).toBe(403);
    expect(res.headers.get("set-cookie")).toBeNull();
  });
});

describe("console home", () => {
  it("says where to start only while no feed is tracked", async () => {
    internet.on("https://news.example/feed.xml", '<rss version="2.0"><channel><title>News</title></channel></rss>');
    const browser = new Browser();
    await browser.signIn();
    expect(await text(await browser.get("/"))).toContain("Nothing is tracked yet");
    const ok = await browser.submit("/feeds", { url: "https://news.example/feed.xml" });
    expect(ok.status).toBe(303);
    expect(await text(await browser.get("/"))).not.toContain("Nothing is tracked yet");
  });
});

describe("console forms", () => {
  it("adds a feed by a site's address through its <link rel=alternate>, pauses and removes it", async () => {
    // Handlers make their Response inside the Worker's request (a Response is bound to the request that made it).
    internet.on(
      "https://site.example/",
      () =>
        new Response(
          `<!doctype html><html><head><title>Site</title>
         <link rel="stylesheet" href="/style.css">
         <link rel="alternate" type="application/rss+xml" title="Site News" href="/feeds/news.xml">
         </head><body>Hello</body></html>`,
          { headers: { "content-type": "text/html; charset=utf-8" } },
        ),
    );
    const browser = new Browser();
    await browser.signIn();
    const added = await browser.submit("/feeds", { url: "https://site.example/" });
    expect(added.status).toBe(303);
    expect(added.headers.get("location")).toBe("/feeds?notice=feed-found");
    const row = await env.DB.prepare("SELECT id, url, title FROM feeds").first<{
      id: string;
      url: string;
      title: string;
    }>();
    expect(row).toMatchObject({ url: "https://site.example/feeds/news.xml", title: "Site News" });
    const page = await text(await browser.get("/feeds?notice=feed-found"));
    expect(page).toContain("Found the site's feed");
    expect(page).toContain("Not checked yet");

    expect((await browser.submit(`/feeds/${row?.id}/pause`)).status).toBe(303);
    expect(await text(await browser.get("/feeds"))).toContain("Paused: it is not checked until you resume it.");
    expect((await browser.submit(`/feeds/${row?.id}/remove`)).status).toBe(303);
    expect(await feedCount()).toBe(0);
  });

  it("shows a feed moved by permanent redirects on its page, in its history", async () => {
    const feedId = await addFeed("https://old.example/feed.xml");
    internet.on(
      "https://old.example/feed.xml",
      () => new Response(null, { status: 301, headers: { location: "https://new.example/rss" } }),
    );
    internet.on("https://new.example/rss", () => new Response(rss([{ guid: "a", title: "Moved" }])));
    for (let check = 1; check <= 3; check++) {
      const now = new Date(Date.UTC(2025, 7, 13, 12 + check));
      const { run } = await startRunWithoutQueue(now);
      await pollFeed(env, { runId: run.id, feedId }, now);
    }
    const browser = new Browser();
    await browser.signIn();
    const list = parseDocument(await (await browser.get("/feeds")).text());
    const link = DomUtils.findOne((e) => e.name === "a" && e.attribs.href === `/feeds/${feedId}`, list.children);
    expect(link).not.toBeNull();
    const page = await browser.get(`/feeds/${feedId}`);
    expect(page.status).toBe(200);
    const words = await text(page);
    expect(words).toContain("History");
    expect(words).toContain("Address changed");
    expect(words).toContain("https://old.example/feed.xml → https://new.example/rss");
    expect(words).toContain("permanent redirects on 3 checks in a row");
    expect((await browser.get("/feeds/feed_nope")).status).toBe(400);
  });

  it("says in plain words when a site names no feed", async () => {
    internet.on("https://plain.example/", () => new Response("<html><head></head><body>No feed</body></html>"));
    const browser = new Browser();
    await browser.signIn();
    const res = await browser.submit("/feeds", { url: "https://plain.example/" });
    expect(res.status).toBe(400);
    expect(await text(res)).toContain("names no RSS, Atom or JSON Feed");
    expect(await feedCount()).toBe(0);
  });

  it("imports an OPML file and exports the feeds as OPML", async () => {
    const opml = `<?xml version="1.0"?><opml version="2.0"><head><title>Mine</title></head><body>
      <outline text="World"><outline type="rss" text="Wire" xmlUrl="https://wire.example/rss"/>
      <outline type="rss" title="Daily &amp; Co" xmlUrl="https://daily.example/atom.xml"/></outline>
      <outline type="rss" text="Local" xmlUrl="http://127.0.0.1/feed"/></body></opml>`;
    const browser = new Browser();
    await browser.signIn();
    const res = await browser.submit("/feeds/import", {
      opml: new File([opml], "subscriptions.opml", { type: "text/x-opml" }),
    });
    expect(res.status).toBe(200);
    const page = await text(res);
    expect(page).toContain("Imported: 2 added, 0 already watched, 1 refused.");
    expect(page).toContain("http://127.0.0.1/feed");
    const exported = await browser.get("/feeds.opml");
    expect(exported.headers.get("content-type")).toContain("text/x-opml");
    const xml = await exported.text();
    expect(xml).toContain('xmlUrl="https://wire.example/rss"');
    expect(xml).toContain('title="Daily &amp; Co"');
  });

  it("tests a query over stored items with the matched words marked, previews without saving, then saves", async () => {
    internet.on(
      "https://wire.example/rss",
      `<rss version="2.0"><channel><title>Wire</title>
        <item><guid>1</guid><title>Putin and Trump agree to meet in Alaska</title><pubDate>Tue, 12 Aug 2025 10:00:00 GMT</pubDate>
          <description>The Kremlin said the summit will be held in Anchorage on 15 August.</description></item>
        <item><guid>2</guid><title>Markets rally</title><pubDate>Tue, 12 Aug 2025 11:00:00 GMT</pubDate></item>
      </channel></rss>`,
    );
    expect((await api("/v1/feeds", { method: "POST", json: { url: "https://wire.example/rss" } })).status).toBe(201);
    const run = await (await api("/v1/runs", { method: "POST" })).json<{ id: string }>();
    await expect
      .poll(async () => (await (await api(`/v1/runs/${run.id}`)).json<{ status: string }>()).status, {
        timeout: 20_000,
      })
      .toBe("completed");

    const browser = new Browser();
    await browser.signIn();
    const form = {
      id: "putin-trump-summit",
      title: "Putin–Trump summit",
      kind: "event",
      query: "Putin AND Trump AND (summit OR meet*)",
      participants: "Vladimir Putin: Putin, Kremlin\nDonald Trump: Trump",
      aliases: "",
    };
    const tested = await browser.submit("/storylines/new", { ...form, action: "test" });
    expect(tested.status).toBe(200);
    const testedHtml = await tested.text();
    expect(testedHtml).toContain("<mark>Putin</mark> and <mark>Trump</mark> agree to <mark>meet</mark>");
    expect(await text(new Response(testedHtml))).toContain("1 of the last 2 stored items match");

    const previewed = await browser.submit("/storylines/new", { ...form, action: "preview" });
    expect(previewed.status).toBe(200);
    const preview = await text(previewed);
    expect(preview).toContain("Preview");
    expect(preview).toMatch(/Developments it would record \(\d+\)/);
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM storylines").first()).toEqual({ n: 0 });

    const bad = await browser.submit("/storylines/new", { ...form, query: "(Putin", action: "save" });
    expect(bad.status).toBe(400);
    expect(await text(bad)).toContain("position");
    const saved = await browser.submit("/storylines/new", { ...form, action: "save" });
    expect(saved.status).toBe(303);
    expect(saved.headers.get("location")).toBe("/storylines/putin-trump-summit?notice=storyline-saved");
    // The page the form lands on says what it did; the same page reached otherwise does not.
    expect(await text(await browser.get("/storylines/putin-trump-summit?notice=storyline-saved"))).toContain(
      "Storyline saved.",
    );
    expect(await text(await browser.get("/storylines/putin-trump-summit"))).not.toContain("Storyline saved.");
    const stored = await (await api("/v1/storylines/putin-trump-summit")).json<{ participants: unknown }>();
    expect(stored.participants).toEqual([
      { name: "Vladimir Putin", aliases: ["Putin", "Kremlin"] },
      { name: "Donald Trump", aliases: ["Trump"] },
    ]);
    const edit = await text(await browser.get("/storylines/putin-trump-summit/edit"));
    expect(edit).toContain("Vladimir Putin: Putin, Kremlin");
  });

  it("adds a webhook, shows its secret once, sends a test alert and lists the delivery", async () => {
    const browser = new Browser();
    await browser.signIn();
    const created = await browser.submit("/webhooks", { url: "https://hooks.example/in", format: "standard" });
    expect(created.status).toBe(200);
    const page = await created.text();
    expect(page).toMatch(/whsec_[A-Za-z0-9+/=]+/);
    expect(created.headers.get("cache-control")).toBe("private, no-store");
    const id = /data-created-webhook="(wh_[^"]+)"/.exec(page)?.[1] ?? "";
    expect(await text(await browser.get("/webhooks"))).not.toMatch(/whsec_/);

    internet.on("https://hooks.example/in", () => new Response("ok"));
    const sent = await browser.submit(`/webhooks/${id}/test`);
    expect(sent.status).toBe(303);
    expect(sent.headers.get("location")).toBe(`/webhooks/${id}?notice=test-sent`);
    await expect.poll(() => internet.requestsTo("https://hooks.example/in").length, { timeout: 20_000 }).toBe(1);
    const body = JSON.parse(internet.requestsTo("https://hooks.example/in")[0]?.body ?? "{}");
    expect(body.type).toBe("webhook.test");
    await expect
      .poll(async () => text(await browser.get(`/webhooks/${id}`)), { timeout: 20_000 })
      .toContain("delivered");
  });

  it("starts a run with Run now", async () => {
    const browser = new Browser();
    await browser.signIn();
    const res = await browser.submit("/run");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/?notice=run-started");
    const run = await env.DB.prepare("SELECT trigger FROM runs ORDER BY started_at DESC").first();
    expect(run).toEqual({ trigger: "manual" });
  });
});
