/**
 * The web console: sign-in, feeds, storylines, webhooks and "Run now", as server-rendered
 * forms. Every change goes through the public API in-process (`app.fetch` with the Worker's
 * own token), so the console and API clients get the same validation, the same errors and the
 * same effects; only "Test query" and "Preview" read stored items directly, since they save
 * nothing. Forms are protected by the session cookie, a CSRF token and an Origin check
 * (src/api/session.ts).
 */
import type { Context } from "hono";
import { getConfig } from "../../config";
import type { StorylineRecord } from "../../contracts";
import { previewStoryline, type StorylinePreview } from "../../detect/preview";
import type { DeliveryJson } from "../../store/deliveries";
import type { FeedHistoryEntry, FeedJson } from "../../store/feeds";
import { recentItems } from "../../store/items";
import type { RunJson } from "../../store/runs";
import type { StorylineJson } from "../../store/storylines";
import type { WebhookJson } from "../../store/webhooks";
import { baselineItems } from "../../storylines/dispatch";
import { MAX_CONTENT_CHARS } from "../../storylines/matcher";
import { StorylineInputSchema } from "../../storylines/schema";
import { type QueryTestResult, TEST_QUERY_ITEMS, testQuery } from "../../storylines/test-query";
import type { App, AppEnv } from "../app";
import { tokenMatches } from "../auth";
import { ApiError } from "../problem";
import { csrfMatches, endSession, readSession, type Session, sameOrigin, startSession } from "../session";
import { validationProblem } from "../validation";
import {
  FeedPage,
  FeedsPage,
  type FieldError,
  SignInPage,
  StorylineFormPage,
  type StorylineFormValues,
  WebhookPage,
  WebhooksPage,
} from "./console-pages";
import { renderDocument } from "./layout";

type C = Context<AppEnv>;
type Form = Record<string, string | File | (string | File)[]>;

/**
 * Console pages may post forms to themselves and nothing else; the one script that may run is
 * our own /console.js (no inline script, nothing from elsewhere).
 * `same-origin`: with `no-referrer` a browser sends `Origin: null` on the console's own form
 * posts (Fetch standard, "serializing a request origin"), and the Origin check needs the real
 * one; outside links still send no referrer (rel="noreferrer"), and console URLs carry no key.
 * `no-store`: a page may show a webhook's secret once, and never from a cache.
 */
export const CONSOLE_HEADERS = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  "referrer-policy": "same-origin",
  "x-content-type-options": "nosniff",
  "cache-control": "private, no-store",
} as const;

const NOTICES: Record<string, string> = {
  "feed-added": "Feed added: it is checked on the next run.",
  "feed-found": "Found the site's feed and added it: it is checked on the next run.",
  "feed-paused": "Feed paused: it is not checked until you resume it.",
  "feed-resumed": "Feed resumed: it is checked on the next run.",
  "feed-removed": "Feed removed, with its items.",
  "run-started": "Run started: every feed is being checked. Reload this page to see the result.",
  "test-sent": "Test alert sent: it shows below once the receiver has answered (reload to update).",
  redelivered: "Redelivery queued with the same webhook-id: reload to see the attempt.",
  "webhook-removed": "Webhook removed.",
  "storyline-saved": "Storyline saved.",
};

function page(c: C, body: unknown, status: 200 | 400 | 401 | 403 | 404 | 409 = 200): Response {
  return c.html(renderDocument(body), status, CONSOLE_HEADERS);
}

/** The message a redirect asked for with `?notice=`, or null. */
export function notice(c: C): string | null {
  return NOTICES[c.req.query("notice") ?? ""] ?? null;
}

/** Browsers ask for HTML; API clients (curl, fetch) do not, and keep getting problem+json. */
export function prefersHtml(c: C): boolean {
  return (c.req.header("accept") ?? "").includes("text/html");
}

function signInRedirect(c: C): Response {
  if (!prefersHtml(c) && c.req.method === "GET") {
    throw new ApiError({
      status: 401,
      slug: "unauthorized",
      title: "Authentication required",
      detail:
        "This is a console page: sign in at /sign-in in a browser, or use the API with `Authorization: Bearer <token>`.",
    });
  }
  return c.redirect("/sign-in", 303);
}

function refused(c: C, why: string): Response {
  return page(
    c,
    <SignInPage error={`${why} Nothing was changed: reload the page and try again.`} publicReads={false} />,
    403,
  );
}

type Handler = (c: C, session: Session) => Promise<Response>;
type ActionHandler = (c: C, session: Session, form: Form) => Promise<Response>;

function consolePage(handler: Handler) {
  return async (c: C) => {
    const session = await readSession(c);
    if (!session) return signInRedirect(c);
    return handler(c, session);
  };
}

/** A console form post: signed-in session, same origin, and this session's CSRF token. */
function consoleAction(handler: ActionHandler) {
  return async (c: C) => {
    const session = await readSession(c);
    if (!session) return signInRedirect(c);
    if (!sameOrigin(c)) return refused(c, "This form was posted from another site.");
    const form = (await c.req.parseBody()) as Form;
    if (!(await csrfMatches(c, session, form._csrf))) {
      return refused(c, "This form has expired or did not come from this console.");
    }
    return handler(c, session, form);
  };
}

const field = (form: Form, name: string): string => {
  const value = form[name];
  return typeof value === "string" ? value.trim() : "";
};

interface Problem {
  detail: string;
  errors?: FieldError[];
}

type ApiResult<T> = { ok: true; status: number; data: T } | { ok: false; status: number; problem: Problem };

/** Calls the API in-process with the Worker's own token: the console gets exactly what a client would. */
async function callApi<T>(
  app: App,
  c: C,
  method: string,
  path: string,
  body?: { json: unknown } | { text: string; type: string },
): Promise<ApiResult<T>> {
  const headers = new Headers({ authorization: `Bearer ${getConfig(c.env).apiTokens[0]}` });
  let payload: string | undefined;
  if (body && "json" in body) {
    headers.set("content-type", "application/json");
    payload = JSON.stringify(body.json);
  } else if (body) {
    headers.set("content-type", body.type);
    payload = body.text;
  }
  const request = new Request(new URL(path, c.req.url), { method, headers, body: payload });
  let ctx: Parameters<App["fetch"]>[2];
  try {
    ctx = c.executionCtx;
  } catch {
    ctx = undefined; // outside a real request (app.request() in tests) there is none
  }
  const res = await app.fetch(request, c.env, ctx);
  if (res.status >= 400) {
    const problem = (await res.json().catch(() => ({ detail: res.statusText }))) as Problem;
    return { ok: false, status: res.status, problem };
  }
  const data = (res.status === 204 ? null : await res.json()) as T;
  return { ok: true, status: res.status, data };
}

function expectOk<T>(result: ApiResult<T>): T {
  if (!result.ok) throw new Error(`console: the API refused a read: ${result.problem.detail}`);
  return result.data;
}

/** "Name: alias, alias" lines → participants (null when empty). */
function parseParticipants(text: string): Array<{ name: string; aliases?: string[] }> | null {
  const lines = text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
  if (lines.length === 0) return null;
  return lines.map((line) => {
    const [name = "", rest] = splitOnce(line);
    const aliases = rest ? splitList(rest) : [];
    return aliases.length > 0 ? { name, aliases } : { name };
  });
}

/** "Name: other, other" lines → aliases (null when empty). */
function parseAliases(text: string): Record<string, string[]> | null {
  const lines = text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
  if (lines.length === 0) return null;
  return Object.fromEntries(
    lines.map((line) => splitOnce(line)).map(([name = "", rest]) => [name, splitList(rest ?? "")]),
  );
}

function splitOnce(line: string): [string, string | undefined] {
  const colon = line.indexOf(":");
  return colon === -1 ? [line.trim(), undefined] : [line.slice(0, colon).trim(), line.slice(colon + 1)];
}

const splitList = (text: string) =>
  text
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);

function formValues(form: Form, id: string | null): StorylineFormValues {
  return {
    id: id ?? field(form, "id"),
    title: field(form, "title"),
    kind: field(form, "kind") || "event",
    query: field(form, "query"),
    participants: typeof form.participants === "string" ? form.participants : "",
    aliases: typeof form.aliases === "string" ? form.aliases : "",
  };
}

function storylineInput(values: StorylineFormValues) {
  return {
    id: values.id,
    title: values.title,
    kind: values.kind,
    query: values.query,
    participants: parseParticipants(values.participants),
    aliases: parseAliases(values.aliases),
  };
}

function valuesFrom(storyline: StorylineJson): StorylineFormValues {
  return {
    id: storyline.id,
    title: storyline.title,
    kind: storyline.kind,
    query: storyline.query,
    participants: (storyline.participants ?? [])
      .map((p) => (p.aliases?.length ? `${p.name}: ${p.aliases.join(", ")}` : p.name))
      .join("\n"),
    aliases: Object.entries(storyline.aliases ?? {})
      .map(([name, others]) => `${name}: ${others.join(", ")}`)
      .join("\n"),
  };
}

/**
 * A little JavaScript, for people who have it: a confirmation before a Remove, and the home
 * page and delivery log refresh themselves while a run or a delivery is under way. Every
 * form and page works the same without it.
 */
const CONSOLE_SCRIPT = `"use strict";
document.addEventListener("submit", (event) => {
  const button = event.submitter;
  if (button && button.classList.contains("danger")) {
    const what = button.getAttribute("aria-label") || button.textContent;
    if (!window.confirm(what + "?")) event.preventDefault();
  }
});
if (document.querySelector('[data-last-run="running"], [data-delivery][data-state="pending"]')) {
  setTimeout(() => window.location.reload(), 3000);
}
`;

export function registerConsoleRoutes(app: App): void {
  app.get("/console.js", (c) =>
    c.body(CONSOLE_SCRIPT, 200, {
      "content-type": "text/javascript; charset=utf-8",
      "cache-control": "public, max-age=300",
      "x-content-type-options": "nosniff",
    }),
  );

  const api = <T,>(c: C, method: string, path: string, body?: { json: unknown } | { text: string; type: string }) =>
    callApi<T>(app, c, method, path, body);

  // ---- sign-in and sign-out
  app.get("/sign-in", async (c) => {
    if (await readSession(c)) return c.redirect("/", 303);
    return page(c, <SignInPage publicReads={getConfig(c.env).publicReads} />);
  });

  app.post("/sign-in", async (c) => {
    // Login CSRF: a sign-in posted from another site is refused (SameSite=Strict does the rest).
    if (!sameOrigin(c)) return refused(c, "This sign-in was posted from another site.");
    const form = (await c.req.parseBody()) as Form;
    const token = field(form, "token");
    if (!token || !(await tokenMatches(token, getConfig(c.env).apiTokens))) {
      return page(
        c,
        <SignInPage
          error="That token is not one of the API tokens (API_TOKEN): check it for typos."
          publicReads={getConfig(c.env).publicReads}
        />,
        401,
      );
    }
    await startSession(c);
    return c.redirect("/", 303);
  });

  app.post(
    "/sign-out",
    consoleAction(async (c, session) => {
      await endSession(c, session);
      return c.redirect("/sign-in", 303);
    }),
  );

  // ---- run now
  app.post(
    "/run",
    consoleAction(async (c) => {
      const run = await api<RunJson>(c, "POST", "/v1/runs");
      if (!run.ok) throw new Error(`console: run refused: ${run.problem.detail}`);
      return c.redirect("/?notice=run-started", 303);
    }),
  );

  // ---- feeds
  const feedsPage = async (
    c: C,
    session: Session,
    extra: Partial<Parameters<typeof FeedsPage>[0]> = {},
    status: 200 | 400 = 200,
  ) => {
    const { feeds } = expectOk(await api<{ feeds: FeedJson[] }>(c, "GET", "/v1/feeds"));
    return page(c, <FeedsPage nav={{ csrf: session.csrf }} feeds={feeds} notice={notice(c)} {...extra} />, status);
  };

  app.get(
    "/feeds",
    consolePage((c, session) => feedsPage(c, session)),
  );

  app.post(
    "/feeds",
    consoleAction(async (c, session, form) => {
      const address = field(form, "url");
      const found = await api<{ url: string; title: string | null; discovered: boolean }>(
        c,
        "POST",
        "/v1/feeds/discover",
        {
          json: { url: address },
        },
      );
      if (!found.ok) {
        return feedsPage(c, session, { error: found.problem.detail, errors: found.problem.errors ?? [], address }, 400);
      }
      const added = await api<FeedJson>(c, "POST", "/v1/feeds", {
        json: { url: found.data.url, ...(found.data.title ? { title: found.data.title } : {}) },
      });
      if (!added.ok) {
        return feedsPage(c, session, { error: added.problem.detail, errors: added.problem.errors ?? [], address }, 400);
      }
      return c.redirect(`/feeds?notice=${found.data.discovered ? "feed-found" : "feed-added"}`, 303);
    }),
  );

  app.get(
    "/feeds/:id",
    consolePage(async (c, session) => {
      const id = encodeURIComponent(c.req.param("id") ?? "");
      const feed = await api<FeedJson & { history: FeedHistoryEntry[] }>(c, "GET", `/v1/feeds/${id}`);
      if (!feed.ok) return feedsPage(c, session, { error: feed.problem.detail }, 400);
      return page(c, <FeedPage nav={{ csrf: session.csrf }} feed={feed.data} />);
    }),
  );

  app.post(
    "/feeds/import",
    consoleAction(async (c, session, form) => {
      const file = form.opml;
      if (!(file instanceof File) || file.size === 0) {
        return feedsPage(c, session, { error: "Choose an OPML file to import." }, 400);
      }
      const result = await api<{
        added: FeedJson[];
        existing: string[];
        refused: Array<{ url: string; reason: string }>;
      }>(c, "POST", "/v1/feeds.opml", { text: await file.text(), type: "text/x-opml" });
      if (!result.ok) return feedsPage(c, session, { error: result.problem.detail }, 400);
      const { added, existing, refused } = result.data;
      return feedsPage(c, session, { imported: { added: added.length, existing: existing.length, refused } });
    }),
  );

  app.get(
    "/feeds.opml",
    consolePage(async (c) => {
      const res = await app.fetch(
        new Request(new URL("/v1/feeds.opml", c.req.url), {
          headers: { authorization: `Bearer ${getConfig(c.env).apiTokens[0]}` },
        }),
        c.env,
      );
      return new Response(res.body, res);
    }),
  );

  const feedAction = (suffix: string, request: (id: string) => [string, { json: unknown } | undefined], done: string) =>
    app.post(
      `/feeds/:id/${suffix}`,
      consoleAction(async (c, session) => {
        const id = c.req.param("id") ?? "";
        const [method, body] = request(id);
        const result = await api(c, method, `/v1/feeds/${encodeURIComponent(id)}`, body);
        if (!result.ok) return feedsPage(c, session, { error: result.problem.detail }, 400);
        return c.redirect(`/feeds?notice=${done}`, 303);
      }),
    );
  feedAction("pause", () => ["PATCH", { json: { paused: true } }], "feed-paused");
  feedAction("resume", () => ["PATCH", { json: { paused: false } }], "feed-resumed");
  feedAction("remove", () => ["DELETE", undefined], "feed-removed");

  // ---- storylines: create and edit, with "Test query" and "Preview"
  const formPage = (
    c: C,
    session: Session,
    editing: string | null,
    values: StorylineFormValues,
    extra: { error?: string; errors?: FieldError[]; test?: QueryTestResult; preview?: StorylinePreview } = {},
    status: 200 | 400 | 404 | 409 = 200,
  ) => page(c, <StorylineFormPage nav={{ csrf: session.csrf }} editing={editing} values={values} {...extra} />, status);

  const storylineAction = async (c: C, session: Session, form: Form, editing: string | null) => {
    const values = formValues(form, editing);
    const input = storylineInput(values);
    const action = field(form, "action") || "save";
    if (action === "test") {
      const checked = await api(c, "POST", "/v1/queries/test", { json: { query: values.query } });
      if (!checked.ok) {
        return formPage(
          c,
          session,
          editing,
          values,
          { error: checked.problem.detail, errors: checked.problem.errors ?? [] },
          400,
        );
      }
      // Newest first, as people read them.
      const items = (
        await recentItems(c.env.DB, { limit: TEST_QUERY_ITEMS, feeds: null, maxContentChars: MAX_CONTENT_CHARS })
      ).reverse();
      return formPage(c, session, editing, values, { test: testQuery(values.query, items) });
    }
    if (action === "preview") {
      // Validated by the API's own schema, so the preview refuses exactly what saving would.
      const parsed = StorylineInputSchema.safeParse(input);
      if (!parsed.success) {
        const problem = validationProblem("json", parsed.error.issues);
        const errors = (problem.extensions.errors ?? []) as FieldError[];
        return formPage(c, session, editing, values, { error: problem.detail, errors }, 400);
      }
      const now = new Date().toISOString();
      const record: StorylineRecord = {
        id: parsed.data.id,
        title: parsed.data.title,
        kind: parsed.data.kind,
        query: parsed.data.query,
        feeds: null,
        alertOn: ["status_change", "new_fact"],
        aliases: parsed.data.aliases ?? null,
        participants: parsed.data.participants ?? null,
        source: "api",
        active: true,
        status: null,
        facts: {},
        createdAt: now,
        updatedAt: now,
      };
      // The items saving would build its baseline from.
      const matched = await baselineItems(c.env.DB, record);
      return formPage(c, session, editing, values, { preview: previewStoryline(record, matched, now) });
    }
    const { id: _, ...changes } = input;
    const saved = editing
      ? await api<StorylineJson>(c, "PATCH", `/v1/storylines/${encodeURIComponent(editing)}`, { json: changes })
      : await api<StorylineJson>(c, "POST", "/v1/storylines", {
          json: {
            ...input,
            ...(input.participants ? {} : { participants: undefined }),
            ...(input.aliases ? {} : { aliases: undefined }),
          },
        });
    if (!saved.ok) {
      return formPage(
        c,
        session,
        editing,
        values,
        { error: saved.problem.detail, errors: saved.problem.errors ?? [] },
        400,
      );
    }
    return c.redirect(`/storylines/${encodeURIComponent(saved.data.id)}?notice=storyline-saved`, 303);
  };

  app.get(
    "/storylines/new",
    consolePage(async (c, session) =>
      formPage(c, session, null, { id: "", title: "", kind: "event", query: "", participants: "", aliases: "" }),
    ),
  );
  app.post(
    "/storylines/new",
    consoleAction((c, session, form) => storylineAction(c, session, form, null)),
  );
  app.get(
    "/storylines/:id/edit",
    consolePage(async (c, session) => {
      const id = c.req.param("id") ?? "";
      const storyline = await api<StorylineJson>(c, "GET", `/v1/storylines/${encodeURIComponent(id)}`);
      if (!storyline.ok) {
        const empty = { id, title: "", kind: "event", query: "", participants: "", aliases: "" };
        return formPage(c, session, id, empty, { error: storyline.problem.detail }, 404);
      }
      return formPage(c, session, id, valuesFrom(storyline.data));
    }),
  );
  app.post(
    "/storylines/:id/edit",
    consoleAction((c, session, form) => storylineAction(c, session, form, c.req.param("id") ?? "")),
  );

  // ---- webhooks
  const webhooksPage = async (
    c: C,
    session: Session,
    extra: Partial<Parameters<typeof WebhooksPage>[0]> = {},
    status: 200 | 400 = 200,
  ) => {
    const { webhooks } = expectOk(await api<{ webhooks: WebhookJson[] }>(c, "GET", "/v1/webhooks"));
    return page(
      c,
      <WebhooksPage nav={{ csrf: session.csrf }} webhooks={webhooks} notice={notice(c)} {...extra} />,
      status,
    );
  };

  app.get(
    "/webhooks",
    consolePage((c, session) => webhooksPage(c, session)),
  );

  app.post(
    "/webhooks",
    consoleAction(async (c, session, form) => {
      const url = field(form, "url");
      const created = await api<WebhookJson & { secret: string }>(c, "POST", "/v1/webhooks", {
        json: { url, format: field(form, "format") || "standard" },
      });
      if (!created.ok) {
        return webhooksPage(
          c,
          session,
          { error: created.problem.detail, errors: created.problem.errors ?? [], url },
          400,
        );
      }
      return webhooksPage(c, session, { created: { id: created.data.id, secret: created.data.secret } });
    }),
  );

  app.get(
    "/webhooks/:id",
    consolePage(async (c, session) => {
      const id = encodeURIComponent(c.req.param("id") ?? "");
      const webhook = await api<WebhookJson>(c, "GET", `/v1/webhooks/${id}`);
      if (!webhook.ok) return webhooksPage(c, session, { error: webhook.problem.detail }, 400);
      const { deliveries } = expectOk(
        await api<{ deliveries: DeliveryJson[] }>(c, "GET", `/v1/webhooks/${id}/deliveries?limit=50`),
      );
      return page(
        c,
        <WebhookPage nav={{ csrf: session.csrf }} webhook={webhook.data} deliveries={deliveries} notice={notice(c)} />,
      );
    }),
  );

  app.post(
    "/webhooks/:id/test",
    consoleAction(async (c, session) => {
      const id = encodeURIComponent(c.req.param("id") ?? "");
      const sent = await api(c, "POST", `/v1/webhooks/${id}/test`);
      if (!sent.ok) return webhooksPage(c, session, { error: sent.problem.detail }, 400);
      return c.redirect(`/webhooks/${id}?notice=test-sent`, 303);
    }),
  );

  app.post(
    "/webhooks/:id/remove",
    consoleAction(async (c, session) => {
      const removed = await api(c, "DELETE", `/v1/webhooks/${encodeURIComponent(c.req.param("id") ?? "")}`);
      if (!removed.ok) return webhooksPage(c, session, { error: removed.problem.detail }, 400);
      return c.redirect("/webhooks?notice=webhook-removed", 303);
    }),
  );

  app.post(
    "/deliveries/:id/retry",
    consoleAction(async (c, session) => {
      const retried = await api<DeliveryJson>(
        c,
        "POST",
        `/v1/deliveries/${encodeURIComponent(c.req.param("id") ?? "")}/retry`,
      );
      if (!retried.ok) return webhooksPage(c, session, { error: retried.problem.detail }, 400);
      return c.redirect(`/webhooks/${encodeURIComponent(retried.data.webhook_id)}?notice=redelivered`, 303);
    }),
  );
}
