import type { Child } from "hono/jsx";
import { raw } from "hono/utils/html";

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
.badge.status-scheduled, .badge.status-agreed, .badge.status-signed, .badge.status-in_force,
.badge.status-held, .badge.feed-ok { background: #d3f0d8; color: #14532d; }
.badge.status-proposed, .badge.status-negotiating { background: #dbe8fb; color: #1e3a8a; }
.badge.status-postponed, .badge.status-suspended { background: #fdecc8; color: #7c4a03; }
.badge.status-cancelled, .badge.status-collapsed, .badge.feed-failing { background: #f9d4d4; color: #7f1d1d; }
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
`;

export interface LayoutProps {
  title: string;
  /** Atom feed to advertise (RFC 4287 autodiscovery via rel="alternate"). */
  atomHref?: string | undefined;
  children?: Child;
}

export function Layout({ title, atomHref, children }: LayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title}</title>
        {atomHref ? <link rel="alternate" type="application/atom+xml" title={title} href={atomHref} /> : null}
        <style>{raw(CSS)}</style>
      </head>
      <body>
        <header class="site">
          <a href="/">
            <strong>storywatch</strong>
          </a>
          <a href="/docs">API docs</a>
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
