import { outletCount } from "../../lib/words";
import type { DevelopmentJson } from "../../store/developments";
import { factChanges, factText, safeHref } from "./parts";

/**
 * The HTML body of one Atom entry (sent as `type="html"`, RFC 4287 §3.1.1.2). Built with
 * JSX so every value from feeds is entity-escaped before the XML layer escapes it again.
 */
export function entryContentHtml(development: DevelopmentJson): string {
  return String(
    <div>
      {development.status ? (
        <p>
          Status: {development.previous_status ? `${development.previous_status} → ` : ""}
          <strong>{development.status}</strong>
        </p>
      ) : null}
      {factChanges(development).length > 0 ? (
        <ul>
          {factChanges(development).map((change) => (
            <li>
              {change.field}: {factText(change.from)} → {factText(change.to)}
            </li>
          ))}
        </ul>
      ) : null}
      {development.summary ? <p>{development.summary}</p> : null}
      <p>Reported by {outletCount(development.outlets)}.</p>
      {development.sources.map((source) => {
        const href = safeHref(source.url);
        const label = source.title ?? source.url ?? "source";
        return (
          <p>
            {source.quote ? <blockquote>{source.quote}</blockquote> : null}
            {href ? <a href={href}>{label}</a> : label}
            {source.outlet ? ` (${source.outlet})` : ""}
          </p>
        );
      })}
    </div>,
  );
}
