import { outletCount } from "../../lib/words";
import type { DevelopmentJson } from "../../store/developments";
import type { FeedHealth, StorylineSummary } from "../../store/pages";
import { Messages } from "./console-pages";
import { type ConsoleNav, Layout } from "./layout";
import { FactList, factChanges, factText, OutsideLink, PassedDateFlag, passedDate, StatusBadge, Time } from "./parts";
import { Timeline } from "./timeline";

export interface StorylinePageProps {
  storyline: StorylineSummary;
  developments: DevelopmentJson[];
  /** True when more (older) developments exist than are shown. */
  truncated: boolean;
  feeds: FeedHealth[];
  atomHref: string;
  now: Date;
  /** Set for a signed-in console user. */
  nav?: ConsoleNav | undefined;
  /** What a console form that led here says it did ("Storyline saved."). */
  notice?: string | null;
}

const TYPE_LABEL: Record<DevelopmentJson["type"], string> = {
  status_change: "status change",
  new_fact: "new fact",
  coverage: "coverage",
};

function Development({ development }: { development: DevelopmentJson }) {
  return (
    <li id={development.id} data-development={development.id}>
      <h3>{development.title}</h3>
      <p class="muted">
        <Time iso={development.first_seen_at} /> · {TYPE_LABEL[development.type]}
        {development.baseline ? " · baseline (seen before tracking began)" : ""} · {outletCount(development.outlets)}
      </p>
      {development.type === "status_change" || development.changes.some((change) => change.field === "status") ? (
        <p>
          {development.previous_status ? (
            <>
              <StatusBadge status={development.previous_status} /> →{" "}
            </>
          ) : null}
          <StatusBadge status={development.status} />
        </p>
      ) : null}
      {factChanges(development).length > 0 ? (
        <ul class="changes">
          {factChanges(development).map((change) => (
            <li>
              {change.field}: {factText(change.from)} → <strong>{factText(change.to)}</strong>
            </li>
          ))}
        </ul>
      ) : null}
      {development.summary ? <p>{development.summary}</p> : null}
      {development.sources.length > 0 ? (
        <ul class="sources">
          {development.sources.map((source) => (
            <li>
              {source.quote ? <blockquote>{source.quote}</blockquote> : null}
              <OutsideLink url={source.url} text={source.title ?? source.url ?? "source"} />
              {source.outlet ? <span class="muted"> · {source.outlet}</span> : null}
              {source.published_at ? (
                <>
                  {" · "}
                  <Time iso={source.published_at} />
                </>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </li>
  );
}

function FeedHealthTable({ feeds }: { feeds: FeedHealth[] }) {
  if (feeds.length === 0) return <p class="muted">No feeds yet.</p>;
  const failing = feeds.filter((feed) => feed.failingSince !== null).length;
  return (
    <>
      <p>{failing === 0 ? "All feeds are healthy." : `${failing} of ${feeds.length} feeds failing.`}</p>
      <table class="feeds stack">
        <thead>
          <tr>
            <th>Feed</th>
            <th>State</th>
            <th>Last checked</th>
            <th>Last error</th>
          </tr>
        </thead>
        <tbody>
          {feeds.map((feed) => (
            <tr data-feed={feed.id}>
              <td data-label="Feed">
                <OutsideLink url={feed.url} text={feed.title ?? feed.url} />
              </td>
              <td data-label="State">
                {feed.failingSince ? (
                  <>
                    <span class="badge feed-failing">failing</span> since <Time iso={feed.failingSince} />,{" "}
                    {feed.consecutiveFailures} {feed.consecutiveFailures === 1 ? "failure" : "failures"} in a row
                  </>
                ) : feed.lastCheckedAt ? (
                  <span class="badge feed-ok">ok</span>
                ) : (
                  <span class="badge">not checked yet</span>
                )}
              </td>
              <td data-label="Last checked">
                <Time iso={feed.lastCheckedAt} />
                {feed.lastStatus ? <span class="muted"> ({feed.lastStatus})</span> : null}
              </td>
              <td data-label="Last error">
                {feed.failingSince && feed.lastError ? feed.lastError : <span class="muted">—</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** GET /storylines/:id: a storyline's timeline, with its evidence and the health of its feeds. */
export function StorylinePage({
  storyline,
  developments,
  truncated,
  feeds,
  atomHref,
  now,
  nav,
  notice,
}: StorylinePageProps) {
  const passed = passedDate(storyline.facts, storyline.status, now);
  return (
    <Layout title={`${storyline.title} · storywatch`} atomHref={atomHref} console={nav}>
      <h1>{storyline.title}</h1>
      <Messages notice={nav ? (notice ?? null) : null} />
      {nav ? (
        <p>
          <a href={`/storylines/${encodeURIComponent(storyline.id)}/edit`}>Edit this storyline</a>
        </p>
      ) : null}
      <p>
        {storyline.kind === "topic" ? <span class="muted">topic</span> : <StatusBadge status={storyline.status} />}{" "}
        <span class="muted">
          {storyline.kind}
          {storyline.active ? "" : " · paused"} · last development <Time iso={storyline.lastDevelopmentAt} /> ·{" "}
          {outletCount(storyline.outlets)}
        </span>
      </p>
      <FactList facts={storyline.facts} />
      {storyline.failingSince ? (
        <p class="storyline-health">
          <span class="badge feed-failing">detection failing</span> since <Time iso={storyline.failingSince} />
          {storyline.lastError ? `: ${storyline.lastError}` : null}{" "}
          <span class="muted">(its feeds are not affected; the items are retried)</span>
        </p>
      ) : null}
      <PassedDateFlag date={passed} />
      <p>
        <a href={atomHref} type="application/atom+xml">
          Atom feed
        </a>{" "}
        <span class="muted">(follow this storyline in any feed reader)</span>
      </p>

      <h2>Timeline</h2>
      <Timeline
        developments={developments}
        facts={storyline.facts}
        status={storyline.status}
        now={now}
        passed={passed !== null}
      />
      {developments.length === 0 ? (
        <p class="muted">No developments yet.</p>
      ) : (
        <ol class="timeline">
          {developments.map((development) => (
            <Development development={development} />
          ))}
        </ol>
      )}
      {truncated ? (
        <p class="muted">
          Older developments: GET /v1/storylines/{storyline.id}/developments with the cursor it returns.
        </p>
      ) : null}

      <h2>Feeds</h2>
      <FeedHealthTable feeds={feeds} />
    </Layout>
  );
}
