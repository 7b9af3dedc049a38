import type { Context } from "hono";
import { getConfig } from "../../config";
import { listFeedHealthNow } from "../../feeds/service";
import { NotFound } from "../../lib/errors";
import { listDevelopments } from "../../store/developments";
import { hasFeeds } from "../../store/feeds";
import { getStorylineSummary, listStorylineSummaries, type StorylineSummary } from "../../store/pages";
import { listRuns, runJson } from "../../store/runs";
import type { App, AppEnv } from "../app";
import { readSession } from "../session";
import { authorizeRead } from "./access";
import { CONSOLE_HEADERS, notice, prefersHtml } from "./console-routes";
import { renderDocument } from "./layout";
import { StatusPage } from "./status-page";
import { StorylinePage } from "./storyline-page";

/** Newest developments shown on a storyline page; older ones are in the paginated API. */
const TIMELINE_LIMIT = 100;

/**
 * The pages need no script at all, so the policy forbids every script: even if escaping
 * ever failed, injected markup could not run. `no-referrer` keeps a `?key=` in the page URL
 * from reaching the outlets its source links point to.
 */
export const PAGE_HEADERS = {
  "content-security-policy":
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  "referrer-policy": "no-referrer",
  "x-content-type-options": "nosniff",
} as const;

function html(c: Context<AppEnv>, page: unknown): Response {
  const cacheControl = getConfig(c.env).publicReads ? "public, max-age=60" : "private, no-cache";
  return c.html(renderDocument(page), 200, { ...PAGE_HEADERS, "cache-control": cacheControl });
}

/** Where a storyline's page and feed live; with the feed key when reads need one. */
export function storylineLinks(storyline: StorylineSummary, publicReads: boolean): { page: string; atom: string } {
  const id = encodeURIComponent(storyline.id);
  const query = publicReads ? "" : `?key=${encodeURIComponent(storyline.feedKey)}`;
  return { page: `/storylines/${id}${query}`, atom: `/v1/storylines/${id}/feed.atom${query}` };
}

export function registerPageRoutes(app: App): void {
  app.get("/", async (c) => {
    const now = new Date();
    const session = await readSession(c);
    if (session) {
      const [storylines, anyFeed, runs] = await Promise.all([
        listStorylineSummaries(c.env.DB),
        hasFeeds(c.env.DB),
        listRuns(c.env.DB, 1),
      ]);
      const lastRun = runs[0] ? runJson(runs[0]) : null;
      return c.html(
        renderDocument(
          <StatusPage
            storylines={storylines}
            storylineHref={(storyline) => `/storylines/${encodeURIComponent(storyline.id)}`}
            now={now}
            nav={{ csrf: session.csrf }}
            notice={notice(c)}
            lastRun={lastRun}
            hasFeeds={anyFeed}
          />,
        ),
        200,
        CONSOLE_HEADERS,
      );
    }
    // A browser without a session signs in; API clients keep their bearer token and problem+json.
    const publicReads = getConfig(c.env).publicReads;
    if (!publicReads && c.req.header("authorization") === undefined && prefersHtml(c)) {
      return c.redirect("/sign-in", 303);
    }
    await authorizeRead(c);
    const storylines = await listStorylineSummaries(c.env.DB);
    return html(
      c,
      <StatusPage
        storylines={storylines}
        storylineHref={(storyline) => storylineLinks(storyline, publicReads).page}
        now={now}
      />,
    );
  });

  app.get("/storylines/:id", async (c) => {
    const id = c.req.param("id");
    const storyline = await getStorylineSummary(c.env.DB, id);
    const session = await readSession(c);
    if (!session) await authorizeRead(c, storyline?.feedKey);
    if (!storyline) throw new NotFound("storyline", id);
    const [page, feeds] = await Promise.all([
      listDevelopments(c.env.DB, storyline.id, { limit: TIMELINE_LIMIT }),
      listFeedHealthNow(c.env, storyline.feeds),
    ]);
    const body = (
      <StorylinePage
        storyline={storyline}
        developments={page.developments}
        truncated={page.next_cursor !== null}
        feeds={feeds}
        atomHref={storylineLinks(storyline, getConfig(c.env).publicReads).atom}
        now={new Date()}
        nav={session ? { csrf: session.csrf } : undefined}
        notice={session ? notice(c) : null}
      />
    );
    return session ? c.html(renderDocument(body), 200, CONSOLE_HEADERS) : html(c, body);
  });
}
