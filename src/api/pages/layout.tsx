import type { Child } from "hono/jsx";
import { raw } from "hono/utils/html";
import { STATUS_COLOURS } from "./parts";

const STATUS_CSS = Object.entries(STATUS_COLOURS)
  .map(([status, { background, text }]) => `.badge.status-${status} { background: ${background}; color: ${text}; }`)
  .join("\n");

// Our own constant stylesheet; raw() only because JSX would entity-encode its quotes.
// Nothing from feeds ever goes through raw().
const CSS = `
:root { color-scheme: light dark; --muted: #666; --line: #ddd; --bg-soft: #f6f6f4; }
@media (prefers-color-scheme: dark) { :root { --muted: #aaa; --line: #444; --bg-soft: #222; } }
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, sans-serif; max-width: 60rem; margin: 0 auto; padding: 1rem; }
header.site { display: flex; gap: 1rem; align-items: baseline; border-bottom: 1px solid var(--line); margin-bottom: 1rem; }
header.site a { text-decoration: none; }
h1 { font-size: 1.5rem; margin: 0.5rem 0; }
h2 { font-size: 1.2rem; margin: 1.5rem 0 0.5rem; }
h3 { font-size: 1.05rem; margin: 0; }
.muted, time { color: var(--muted); }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 0.4rem 0.5rem; border-bottom: 1px solid var(--line); }
th { font-weight: 600; font-size: 0.9rem; }
.badge { display: inline-block; padding: 0.05rem 0.5rem; border-radius: 1rem; font-size: 0.85rem;
  font-weight: 600; background: #e3e3e3; color: #222; white-space: nowrap; }
.badge.feed-ok { background: #dcfce7; color: #14532d; }
.badge.feed-failing { background: #fee2e2; color: #7f1d1d; }
.badge.feed-paused { background: #e5e7eb; color: #111827; }
.badge.status-none { background: transparent; border: 1px dashed var(--muted); color: var(--muted); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.1rem 1rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
ol.timeline { list-style: none; padding: 0; }
ol.timeline > li { border-left: 3px solid var(--line); padding: 0.25rem 0 0.75rem 1rem; margin-bottom: 0.5rem; }
ul.sources { padding-left: 1.2rem; }
blockquote { margin: 0.25rem 0 0.5rem; padding: 0.25rem 0.75rem; border-left: 3px solid var(--line);
  background: var(--bg-soft); }
code, pre { font-family: ui-monospace, monospace; font-size: 0.9rem; }
pre { background: var(--bg-soft); padding: 0.5rem; overflow-x: auto; }
.method { display: inline-block; min-width: 4.5rem; font-weight: 700; text-transform: uppercase; }
section.operation { border-top: 1px solid var(--line); padding-top: 0.5rem; }
header.site { flex-wrap: wrap; }
header.site nav { display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; align-items: baseline; flex: 1; }
header.site form { margin: 0 0 0 auto; }
td, th, p, li, dd, blockquote { overflow-wrap: anywhere; }
a { color: #1d4ed8; }
@media (prefers-color-scheme: dark) { a { color: #93c5fd; } }
form.stack { display: grid; grid-template-columns: minmax(0, 1fr); gap: 0.75rem; max-width: 40rem; }
form.stack label { display: grid; grid-template-columns: minmax(0, 1fr); gap: 0.2rem; font-weight: 600; }
form.stack .field { display: grid; gap: 0.2rem; }
form.stack .field.invalid textarea, form.stack .field.invalid input { border-color: #b91c1c; border-width: 2px; }
form.stack .hint, .hint { font-weight: 400; font-size: 0.9rem; color: var(--muted); }
input, select, textarea, button { font: inherit; max-width: 100%; }
input[type=text], input[type=url], input[type=password], select, textarea { padding: 0.35rem 0.5rem; width: 100%;
  border: 1px solid var(--muted); border-radius: 0.25rem; background: Canvas; color: CanvasText; }
textarea { min-height: 5rem; }
button { padding: 0.35rem 0.8rem; border-radius: 0.25rem; border: 1px solid #1e40af; background: #1d4ed8; color: #fff;
  cursor: pointer; }
button.secondary { background: transparent; color: inherit; border-color: var(--muted); }
button.danger { background: #b91c1c; border-color: #991b1b; }
.actions { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; }
.actions form { margin: 0; }
.notice { padding: 0.5rem 0.75rem; border-left: 4px solid #15803d; background: var(--bg-soft); }
.error { padding: 0.5rem 0.75rem; border-left: 4px solid #b91c1c; background: var(--bg-soft); }
.flag { padding: 0.5rem 0.75rem; border-left: 4px solid #b45309; background: var(--bg-soft); font-weight: 600; }
.passed { display: inline-block; padding: 0 0.4rem; border-radius: 1rem; font-size: 0.8rem; font-weight: 600;
  background: #ffedd5; color: #7c2d12; }
mark { background: #fde68a; color: #111; }
code.secret { word-break: break-all; }
svg.timeline { width: 100%; height: auto; display: block; margin: 0.5rem 0 1rem; }
.legend { display: flex; flex-wrap: wrap; gap: 0.25rem 0.75rem; font-size: 0.85rem; }
@media (max-width: 40rem) {
  table.stack thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  table.stack, table.stack tbody, table.stack tr, table.stack td { display: block; width: 100%; }
  table.stack tr { border-bottom: 1px solid var(--line); padding: 0.4rem 0; }
  table.stack td { border: none; padding: 0.1rem 0; }
  table.stack td[data-label]::before { content: attr(data-label) ": "; font-weight: 600; }
}
${STATUS_CSS}
`;

/** The signed-in console's navigation; absent on public pages. */
export interface ConsoleNav {
  csrf: string;
}

export interface LayoutProps {
  title: string;
  console?: ConsoleNav | undefined;
  /** Atom feed to advertise (RFC 4287 autodiscovery via rel="alternate"). */
  atomHref?: string | undefined;
  children?: Child;
}

export function Layout({ title, atomHref, console: nav, children }: LayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title}</title>
        {atomHref ? <link rel="alternate" type="application/atom+xml" title={title} href={atomHref} /> : null}
        <style>{raw(CSS)}</style>
        {nav ? <script src="/console.js" defer /> : null}
      </head>
      <body>
        <header class="site">
          <nav aria-label="Main">
            <a href="/">
              <strong>storywatch</strong>
            </a>
            {nav ? (
              <>
                <a href="/feeds">Feeds</a>
                <a href="/storylines/new">New storyline</a>
                <a href="/webhooks">Webhooks</a>
              </>
            ) : null}
            <a href="/docs">API docs</a>
          </nav>
          {nav ? (
            <form method="post" action="/sign-out">
              <input type="hidden" name="_csrf" value={nav.csrf} />
              <button type="submit" class="secondary">
                Sign out
              </button>
            </form>
          ) : null}
        </header>
        <main>{children}</main>
      </body>
    </html>
  );
}

/** Renders a page as a full HTML document. */
export function renderDocument(page: unknown): string {
  return `<!DOCTYPE html>${String(page)}`;
}
