import type { StorylineSummary } from "../../store/pages";
import type { RunJson } from "../../store/runs";
import { ActionButton, Messages } from "./console-pages";
import { type ConsoleNav, Layout } from "./layout";
import { factText, passedDate, StatusBadge, Time } from "./parts";

export interface StatusPageProps {
  storylines: StorylineSummary[];
  /** Link for one storyline's page (carries its feed key when reads are not public). */
  storylineHref: (storyline: StorylineSummary) => string;
  now: Date;
  /** Set for a signed-in console user: adds the console's navigation and "Run now". */
  nav?: ConsoleNav | undefined;
  notice?: string | null;
  lastRun?: RunJson | null;
  /** False when no feed is tracked yet: the page says where to start. */
  hasFeeds?: boolean;
}

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function runSentence(run: RunJson): string {
  const when = run.started_at.slice(0, 16).replace("T", " ");
  if (run.status === "running") {
    return `A ${run.trigger} run started at ${when} UTC is checking ${count(run.feeds_total, "feed", "feeds")}.`;
  }
  if (run.status === "failed")
    return `The ${run.trigger} run of ${when} UTC could not proceed: ${run.error ?? "unknown error"}.`;
  return `Last run (${run.trigger}, ${when} UTC): ${count(run.feeds_checked, "feed", "feeds")} checked, ${run.feeds_failed} failed, ${count(run.items_new, "new item", "new items")}, ${count(run.developments, "development", "developments")}.`;
}

/** GET /: where every storyline stands. */
export function StatusPage({ storylines, storylineHref, now, nav, notice, lastRun, hasFeeds }: StatusPageProps) {
  return (
    <Layout title="storywatch: where every storyline stands" console={nav}>
      <h1>Storylines</h1>
      {nav ? (
        <>
          <Messages notice={notice ?? null} />
          <div class="actions">
            <ActionButton action="/run" csrf={nav.csrf} label="Run now" />
            <span class="hint">Checks every feed now, instead of waiting for the next scheduled check.</span>
          </div>
          {lastRun ? <p data-last-run={lastRun.status}>{runSentence(lastRun)}</p> : null}
          {hasFeeds === false ? (
            <p>
              Nothing is tracked yet. <a href="/feeds">Add a feed</a>, then{" "}
              <a href="/storylines/new">create a storyline</a>.
            </p>
          ) : null}
        </>
      ) : null}
      {storylines.length === 0 ? (
        <p class="muted">
          No storylines yet.{" "}
          {nav ? <a href="/storylines/new">Create one</a> : "Sign in to create one, or use POST /v1/storylines."}
        </p>
      ) : (
        <table class="storylines stack">
          <thead>
            <tr>
              <th>Storyline</th>
              <th>Status</th>
              <th>Date</th>
              <th>Place</th>
              <th>Last development</th>
              <th>Outlets</th>
            </tr>
          </thead>
          <tbody>
            {storylines.map((storyline) => (
              <tr data-storyline={storyline.id}>
                <td data-label="Storyline">
                  <a href={storylineHref(storyline)}>{storyline.title}</a>
                  <br />
                  <span class="muted">
                    {storyline.kind}
                    {storyline.active ? "" : " · paused"}
                  </span>
                </td>
                <td data-label="Status">
                  {storyline.kind === "topic" ? (
                    <span class="muted">topic</span>
                  ) : (
                    <StatusBadge status={storyline.status} />
                  )}
                </td>
                <td data-label="Date">
                  {factText(storyline.facts.date)}
                  {passedDate(storyline.facts, storyline.status, now) ? (
                    <>
                      {" "}
                      <span class="passed" title="The planned date has passed without a report that it took place">
                        passed
                      </span>
                    </>
                  ) : null}
                </td>
                <td data-label="Place">{factText(storyline.facts.place)}</td>
                <td data-label="Last development">
                  <Time iso={storyline.lastDevelopmentAt} />
                </td>
                <td data-label="Outlets">{storyline.outlets}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}
