/**
 * The console's pages: sign-in, feeds, the storyline form (with "Test query" and "Preview"),
 * webhooks and their delivery log. Server-rendered, plain forms: everything works without
 * JavaScript. Everything shown from feeds or users is escaped by JSX.
 */

import type { Child } from "hono/jsx";
import type { StorylinePreview } from "../../detect/preview";
import { outletCount } from "../../lib/words";
import type { DeliveryJson } from "../../store/deliveries";
import type { FeedHistoryEntry, FeedJson } from "../../store/feeds";
import type { WebhookJson } from "../../store/webhooks";
import type { QueryTestResult, TextPart } from "../../storylines/test-query";
import { feedHealth } from "./health-words";
import { type ConsoleNav, Layout } from "./layout";
import { FactList, OutsideLink, StatusBadge, Time } from "./parts";

/** A field error as the API names it, shown next to the form. */
export interface FieldError {
  field: string;
  message: string;
}

export function Csrf({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />;
}

/** A one-button form posting to `action` (pause, remove, send test, …). */
export function ActionButton({
  action,
  csrf,
  label,
  tone,
  name,
}: {
  action: string;
  csrf: string;
  label: string;
  tone?: "secondary" | "danger";
  /** What the button acts on, for screen readers when several buttons read the same. */
  name?: string;
}) {
  return (
    <form method="post" action={action}>
      <Csrf token={csrf} />
      <button type="submit" class={tone ?? ""} aria-label={name ? `${label}: ${name}` : undefined}>
        {label}
      </button>
    </form>
  );
}

export function Messages({
  notice,
  error,
  errors,
}: {
  notice?: string | null;
  error?: string | null;
  errors?: FieldError[];
}) {
  return (
    <>
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      {error ? (
        <div class="error" role="alert">
          <p>{error}</p>
          {errors && errors.length > 0 ? (
            <ul>
              {errors.map((e) => (
                <li>
                  <strong>{e.field}</strong> {e.message}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </>
  );
}

export function SignInPage({ error, publicReads }: { error?: string | null; publicReads: boolean }) {
  return (
    <Layout title="Sign in · storywatch">
      <h1>Sign in</h1>
      <Messages error={error ?? null} />
      <form method="post" action="/sign-in" class="stack">
        <label>
          API token
          <span class="hint">One of the tokens in API_TOKEN. Locally, `npm start` prints it.</span>
          <input type="password" name="token" autocomplete="current-password" required />
        </label>
        <div class="actions">
          <button type="submit">Sign in</button>
        </div>
      </form>
      <h2>Who can read without signing in</h2>
      {publicReads ? (
        <p>
          PUBLIC_READS is on: anyone can read the status page, storyline pages and Atom feeds. Sign in to change
          anything.
        </p>
      ) : (
        <p>
          PUBLIC_READS is off: only signed-in users and API clients with a token can read. Each storyline's page and
          Atom feed can still be shared through its own read-only link (it carries the storyline's feed key). Set
          PUBLIC_READS=true to make every page readable by anyone.
        </p>
      )}
    </Layout>
  );
}

export interface FeedsPageProps {
  nav: ConsoleNav;
  feeds: FeedJson[];
  notice?: string | null;
  error?: string | null;
  errors?: FieldError[];
  /** The address typed in the add form, kept after an error. */
  address?: string;
  imported?: { added: number; existing: number; refused: Array<{ url: string; reason: string }> } | null;
}

export function FeedsPage({ nav, feeds, notice, error, errors, address, imported }: FeedsPageProps) {
  return (
    <Layout title="Feeds · storywatch" console={nav}>
      <h1>Feeds</h1>
      <Messages notice={notice ?? null} error={error ?? null} errors={errors ?? []} />
      {imported ? (
        <div class="notice" role="status">
          <p>
            Imported: {imported.added} added, {imported.existing} already watched, {imported.refused.length} refused.
          </p>
          {imported.refused.length > 0 ? (
            <ul>
              {imported.refused.map((r) => (
                <li>
                  {r.url}: {r.reason}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      <h2>Add a feed</h2>
      <form method="post" action="/feeds" class="stack">
        <Csrf token={nav.csrf} />
        <label>
          Feed or site address
          <span class="hint">
            A feed's address (RSS, Atom or JSON Feed), or a site's: its feed is found from the page's links.
          </span>
          <input type="url" name="url" required value={address ?? ""} placeholder="https://news.example/" />
        </label>
        <div class="actions">
          <button type="submit">Add feed</button>
        </div>
      </form>
      <h2>Import or export</h2>
      <form method="post" action="/feeds/import" enctype="multipart/form-data" class="stack">
        <Csrf token={nav.csrf} />
        <label>
          OPML file
          <span class="hint">Every feed reader exports its subscriptions as OPML.</span>
          <input type="file" name="opml" accept=".opml,.xml,text/x-opml,application/xml,text/xml" required />
        </label>
        <div class="actions">
          <button type="submit">Import OPML</button>
          <a href="/feeds.opml" download="storywatch-feeds.opml">
            Export all feeds as OPML
          </a>
        </div>
      </form>
      <h2>Watched feeds</h2>
      {feeds.length === 0 ? (
        <p class="muted">No feeds yet: nothing is fetched until you add one.</p>
      ) : (
        <table class="stack feeds">
          <thead>
            <tr>
              <th>Feed</th>
              <th>Health</th>
              <th>Next check</th>
              <th>Actions</th>
            </tr>
          </thead>
          <tbody>
            {feeds.map((feed) => {
              const health = feedHealth(feed);
              const name = feed.title ?? feed.url;
              return (
                <tr data-feed={feed.id}>
                  <td data-label="Feed">
                    <OutsideLink url={feed.url} text={name} />
                    {feed.title ? (
                      <>
                        <br />
                        <span class="muted">{feed.url}</span>
                      </>
                    ) : null}
                    <br />
                    <a href={`/feeds/${feed.id}`}>Details and history</a>
                  </td>
                  <td data-label="Health">
                    <span class={`badge feed-${health.tone === "new" ? "paused" : health.tone}`}>{health.label}</span>{" "}
                    <span class="health">{health.sentence}</span>
                    {health.tone === "failing" && feed.last_error ? (
                      <>
                        <br />
                        <span class="muted">Details: {feed.last_error}</span>
                      </>
                    ) : null}
                  </td>
                  <td data-label="Next check">
                    {feed.paused_at ? <span class="muted">paused</span> : <Time iso={feed.next_check_at} />}
                    {feed.poll_interval_minutes ? (
                      <span class="muted"> (every {feed.poll_interval_minutes} min)</span>
                    ) : null}
                  </td>
                  <td data-label="Actions">
                    {feed.source === "config" ? (
                      <span class="muted">Declared in storylines.json: change it there.</span>
                    ) : (
                      <div class="actions">
                        <ActionButton
                          action={`/feeds/${feed.id}/${feed.paused_at ? "resume" : "pause"}`}
                          csrf={nav.csrf}
                          label={feed.paused_at ? "Resume" : "Pause"}
                          tone={feed.paused_at ? undefined : "secondary"}
                          name={name}
                        />
                        <ActionButton
                          action={`/feeds/${feed.id}/remove`}
                          csrf={nav.csrf}
                          label="Remove"
                          tone="danger"
                          name={name}
                        />
                      </div>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </Layout>
  );
}

/** What the storyline form holds, as typed. */
export interface StorylineFormValues {
  id: string;
  title: string;
  kind: string;
  query: string;
  /** One principal a line: "Name: alias, alias". */
  participants: string;
  /** One place or entity a line: "Name: other name, other name". */
  aliases: string;
}

function Marked({ parts }: { parts: TextPart[] }) {
  return <>{parts.map((part) => (part.mark ? <mark>{part.text}</mark> : part.text))}</>;
}

function QueryTestResults({ result }: { result: QueryTestResult }) {
  const shown = result.matches.slice(0, 50);
  return (
    <section aria-labelledby="test-results" data-test-results>
      <h2 id="test-results">Test query</h2>
      <p>
        <strong>{result.matches.length}</strong> of the last {result.tried} stored{" "}
        {result.tried === 1 ? "item matches" : "items match"}.
        {result.tried === 0 ? " No items are stored yet: add feeds and run them first." : ""}
      </p>
      {shown.length > 0 ? (
        <ol class="matches">
          {shown.map((match) => (
            <li data-match={match.item.id}>
              <strong>
                <Marked parts={match.title} />
              </strong>
              {match.item.feedTitle ? <span class="muted"> · {match.item.feedTitle}</span> : null} ·{" "}
              <Time iso={match.item.publishedAt} />
              {match.item.summary ? (
                <p>
                  <Marked parts={match.summary} />
                </p>
              ) : null}
            </li>
          ))}
        </ol>
      ) : null}
      {result.matches.length > shown.length ? (
        <p class="muted">and {result.matches.length - shown.length} more.</p>
      ) : null}
    </section>
  );
}

function PreviewResults({ preview, kind }: { preview: StorylinePreview; kind: string }) {
  return (
    <section aria-labelledby="preview" data-preview>
      <h2 id="preview">Preview</h2>
      <p>
        Read from{" "}
        {preview.items === 1 ? "the one stored item that matches" : `the ${preview.items} stored items that match`},
        without saving anything. Once saved, the storyline would stand at:
      </p>
      <p>{kind === "topic" ? <span class="muted">topic (no status)</span> : <StatusBadge status={preview.status} />}</p>
      <FactList facts={preview.facts} />
      <h3>Developments it would record ({preview.developments.length})</h3>
      {preview.developments.length === 0 ? (
        <p class="muted">None: the stored coverage does not move this storyline.</p>
      ) : (
        <ol class="timeline">
          {preview.developments.map((d) => (
            <li data-preview-development>
              <h3>{d.draft.title}</h3>
              <p class="muted">
                <Time iso={d.draft.firstSeenAt} /> · {d.draft.type.replace("_", " ")} · {outletCount(d.outlets)}
              </p>
              {d.draft.status ? (
                <p>
                  <StatusBadge status={d.draft.status} />
                </p>
              ) : null}
              <ul class="sources">
                {d.sources.slice(0, 5).map((source) => (
                  <li>
                    {source.quote ? <blockquote>{source.quote}</blockquote> : null}
                    <OutsideLink url={source.url} text={source.title} />
                    {source.outlet ? <span class="muted"> · {source.outlet}</span> : null}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

export interface StorylineFormProps {
  nav: ConsoleNav;
  /** The storyline's id when editing; null for a new one. */
  editing: string | null;
  values: StorylineFormValues;
  error?: string | null;
  errors?: FieldError[];
  test?: QueryTestResult | null;
  preview?: StorylinePreview | null;
}

function Field({
  label,
  name,
  hint,
  invalid,
  children,
}: {
  label: string;
  /** The control's id: the label points at it. */
  name: string;
  hint?: string;
  invalid?: boolean;
  children: Child;
}) {
  return (
    <div class={invalid ? "field invalid" : "field"}>
      <label for={name}>{label}</label>
      {hint ? (
        <span class="hint" id={`${name}-hint`}>
          {hint}
        </span>
      ) : null}
      {children}
    </div>
  );
}

export function StorylineFormPage({ nav, editing, values, error, errors, test, preview }: StorylineFormProps) {
  const invalid = (field: string) => (errors ?? []).some((e) => e.field === field || e.field.startsWith(`${field}.`));
  const action = editing ? `/storylines/${encodeURIComponent(editing)}/edit` : "/storylines/new";
  return (
    <Layout title={`${editing ? "Edit storyline" : "New storyline"} · storywatch`} console={nav}>
      <h1>{editing ? `Edit ${values.title || editing}` : "New storyline"}</h1>
      <Messages error={error ?? null} errors={errors ?? []} />
      <form method="post" action={action} class="stack">
        <Csrf token={nav.csrf} />
        {editing ? null : (
          <Field
            label="Id"
            name="id"
            hint="A slug for URLs: lowercase letters and digits joined by hyphens, e.g. putin-trump-summit."
            invalid={invalid("id")}
          >
            <input
              type="text"
              id="id"
              name="id"
              required
              value={values.id}
              pattern="[a-z0-9]+(-[a-z0-9]+)*"
              aria-describedby="id-hint"
            />
          </Field>
        )}
        <Field label="Title" name="title" hint="What the storyline is about, for people." invalid={invalid("title")}>
          <input type="text" id="title" name="title" required value={values.title} aria-describedby="title-hint" />
        </Field>
        <Field
          label="Kind"
          name="kind"
          hint="event: summit, meeting, visit; agreement: deal, truce, treaty; topic: coverage only, no status."
          invalid={invalid("kind")}
        >
          <select id="kind" name="kind" aria-describedby="kind-hint">
            {["event", "agreement", "topic"].map((kind) => (
              <option value={kind} selected={values.kind === kind}>
                {kind}
              </option>
            ))}
          </select>
        </Field>
        <Field
          label="Query"
          name="query"
          hint='AND, OR, NOT, (parentheses), "quoted phrases", trailing * wildcards, a NEAR/5 b. Case- and accent-insensitive, whole words.'
          invalid={invalid("query")}
        >
          <textarea id="query" name="query" required rows={3} aria-describedby="query-hint">
            {values.query}
          </textarea>
        </Field>
        <Field
          label="Participants"
          name="participants"
          hint="The principals whose own acts move the status, one a line: Name: alias, alias (e.g. Vladimir Putin: Putin, Kremlin)."
          invalid={invalid("participants")}
        >
          <textarea id="participants" name="participants" rows={3} aria-describedby="participants-hint">
            {values.participants}
          </textarea>
        </Field>
        <Field
          label="Aliases"
          name="aliases"
          hint="Other names of places and entities, one a line: Name: other name, other name (e.g. Anchorage: Elmendorf-Richardson)."
          invalid={invalid("aliases")}
        >
          <textarea id="aliases" name="aliases" rows={2} aria-describedby="aliases-hint">
            {values.aliases}
          </textarea>
        </Field>
        <div class="actions">
          <button type="submit" name="action" value="test" class="secondary">
            Test query
          </button>
          <button type="submit" name="action" value="preview" class="secondary">
            Preview
          </button>
          <button type="submit" name="action" value="save">
            Save
          </button>
        </div>
      </form>
      {test ? <QueryTestResults result={test} /> : null}
      {preview ? <PreviewResults preview={preview} kind={values.kind} /> : null}
    </Layout>
  );
}

export interface WebhooksPageProps {
  nav: ConsoleNav;
  webhooks: WebhookJson[];
  notice?: string | null;
  error?: string | null;
  errors?: FieldError[];
  /** Just created: its secret is shown this once. */
  created?: { id: string; secret: string } | null;
  url?: string;
}

function webhookState(webhook: WebhookJson): string {
  if (webhook.disabled_at) return `Disabled: ${webhook.disabled_reason ?? "too many failures"}.`;
  if (webhook.failing_since) {
    return `Failing since ${webhook.failing_since.slice(0, 16).replace("T", " ")} UTC (${webhook.consecutive_failures} in a row); retries continue.`;
  }
  return "Enabled.";
}

export function WebhooksPage({ nav, webhooks, notice, error, errors, created, url }: WebhooksPageProps) {
  return (
    <Layout title="Webhooks · storywatch" console={nav}>
      <h1>Webhooks</h1>
      <Messages notice={notice ?? null} error={error ?? null} errors={errors ?? []} />
      {created ? (
        <div class="notice" role="status" data-created-webhook={created.id}>
          <p>Webhook added. Its signing secret is shown only now: copy it into your receiver.</p>
          <p>
            <code class="secret">{created.secret}</code>
          </p>
        </div>
      ) : null}
      <h2>Add a webhook</h2>
      <form method="post" action="/webhooks" class="stack">
        <Csrf token={nav.csrf} />
        <label>
          Address
          <span class="hint">Where alerts are posted.</span>
          <input type="url" name="url" required value={url ?? ""} placeholder="https://hooks.example/storywatch" />
        </label>
        <label>
          Format
          <span class="hint">
            standard: signed JSON (Standard Webhooks); slack or discord: those services' incoming webhooks.
          </span>
          <select name="format">
            <option value="standard">standard</option>
            <option value="slack">slack</option>
            <option value="discord">discord</option>
          </select>
        </label>
        <div class="actions">
          <button type="submit">Add webhook</button>
        </div>
      </form>
      <h2>Webhooks</h2>
      {webhooks.length === 0 ? (
        <p class="muted">No webhooks yet.</p>
      ) : (
        <table class="stack webhooks">
          <thead>
            <tr>
              <th>Address</th>
              <th>Format</th>
              <th>State</th>
              <th>Actions</th>
            </tr>
          </thead>
          <tbody>
            {webhooks.map((webhook) => (
              <tr data-webhook={webhook.id}>
                <td data-label="Address">{webhook.url}</td>
                <td data-label="Format">{webhook.format}</td>
                <td data-label="State">{webhookState(webhook)}</td>
                <td data-label="Actions">
                  <div class="actions">
                    <ActionButton
                      action={`/webhooks/${webhook.id}/test`}
                      csrf={nav.csrf}
                      label="Send test alert"
                      name={webhook.url}
                    />
                    <a href={`/webhooks/${webhook.id}`}>Delivery log</a>
                    <ActionButton
                      action={`/webhooks/${webhook.id}/remove`}
                      csrf={nav.csrf}
                      label="Remove"
                      tone="danger"
                      name={webhook.url}
                    />
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}

const DELIVERY_WORDS: Record<DeliveryJson["state"], string> = {
  pending: "waiting for its first attempt",
  succeeded: "delivered",
  failed: "failed, will retry",
  dead: "gave up after every retry",
};

const FEED_HISTORY_WORDS: Record<FeedHistoryEntry["event"], string> = {
  url_changed: "Address changed",
  redirect_not_followed: "Redirect not followed",
};

/** One feed: its health and its history (changes storywatch made to it, such as a moved URL). */
export function FeedPage({ nav, feed }: { nav: ConsoleNav; feed: FeedJson & { history: FeedHistoryEntry[] } }) {
  const health = feedHealth(feed);
  return (
    <Layout title={`${feed.title ?? feed.url} · storywatch`} console={nav}>
      <h1>{feed.title ?? feed.url}</h1>
      <p>
        <OutsideLink url={feed.url} text={feed.url} />
      </p>
      <p>
        <span class={`badge feed-${health.tone === "new" ? "paused" : health.tone}`}>{health.label}</span>{" "}
        <span class="health">{health.sentence}</span>
      </p>
      {feed.last_error ? <p class="muted">Details: {feed.last_error}</p> : null}
      <h2>History</h2>
      {feed.history.length === 0 ? (
        <p class="muted">
          Nothing yet. A permanent redirect (301 or 308) seen on 3 checks in a row moves the feed to its new address,
          and that is written here.
        </p>
      ) : (
        <ol class="timeline feed-history">
          {feed.history.map((entry) => (
            <li data-event={entry.event}>
              <h3>{FEED_HISTORY_WORDS[entry.event]}</h3>
              <p class="muted">
                <Time iso={entry.at} />
              </p>
              <p>{entry.detail}</p>
            </li>
          ))}
        </ol>
      )}
      <p>
        <a href="/feeds">All feeds</a>
      </p>
    </Layout>
  );
}

export function WebhookPage({
  nav,
  webhook,
  deliveries,
  notice,
}: {
  nav: ConsoleNav;
  webhook: WebhookJson;
  deliveries: DeliveryJson[];
  notice?: string | null;
}) {
  return (
    <Layout title="Delivery log · storywatch" console={nav}>
      <h1>Delivery log</h1>
      <p>
        {webhook.url} <span class="muted">({webhook.format})</span>
      </p>
      <p>{webhookState(webhook)}</p>
      <Messages notice={notice ?? null} />
      <div class="actions">
        <ActionButton action={`/webhooks/${webhook.id}/test`} csrf={nav.csrf} label="Send test alert" />
        <a href={`/webhooks/${webhook.id}`}>Refresh</a>
      </div>
      {deliveries.length === 0 ? (
        <p class="muted">Nothing delivered yet.</p>
      ) : (
        <ol class="timeline deliveries">
          {deliveries.map((delivery) => (
            <li data-delivery={delivery.id} data-state={delivery.state}>
              <h3>
                {delivery.event_type} · {DELIVERY_WORDS[delivery.state]}
              </h3>
              <p class="muted">
                <Time iso={delivery.created_at} /> · webhook-id <code>{delivery.message_id}</code>
              </p>
              {delivery.attempts.length > 0 ? (
                <ul>
                  {delivery.attempts.map((attempt) => (
                    <li>
                      Attempt {attempt.attempt}: <Time iso={attempt.attempted_at} /> ·{" "}
                      {attempt.status_code !== null
                        ? `HTTP ${attempt.status_code}`
                        : attempt.finished_at
                          ? "no answer"
                          : "in flight"}
                      {attempt.latency_ms !== null ? ` · ${attempt.latency_ms} ms` : ""}
                      {attempt.error ? ` · ${attempt.error}` : ""}
                    </li>
                  ))}
                </ul>
              ) : null}
              {delivery.state === "dead" || delivery.state === "failed" || delivery.state === "succeeded" ? (
                <ActionButton
                  action={`/deliveries/${delivery.id}/retry`}
                  csrf={nav.csrf}
                  label="Redeliver"
                  tone="secondary"
                  name={`${delivery.event_type} ${delivery.id}`}
                />
              ) : null}
            </li>
          ))}
        </ol>
      )}
    </Layout>
  );
}
