/**
 * A storyline's timeline as inline SVG: status bands over story time (when the reports were
 * published, not when storywatch first saw them), a marker for each development, and the
 * planned date. No script, no outside resource; every text is escaped.
 */
import type { Facts, StorylineStatus } from "../../contracts";
import type { DevelopmentJson } from "../../store/developments";
import { STATUS_COLOURS } from "./parts";

const WIDTH = 600;
const PAD = 8;
const DAY_MS = 86_400_000;

function day(iso: string): string {
  return iso.slice(0, 10);
}

/** Story time: when its earliest source was published (a baseline found today may be last week's news). */
function storyTime(development: DevelopmentJson): number {
  const published = development.sources
    .map((source) => Date.parse(source.published_at ?? ""))
    .filter((t) => Number.isFinite(t));
  return published.length > 0 ? Math.min(...published) : Date.parse(development.first_seen_at);
}

export function Timeline({
  developments,
  facts,
  status,
  now,
  passed,
}: {
  developments: DevelopmentJson[];
  facts: Facts;
  status: StorylineStatus | null;
  now: Date;
  passed: boolean;
}) {
  if (developments.length === 0) return null;
  const ordered = [...developments].sort((a, b) => storyTime(a) - storyTime(b));
  const times = ordered.map(storyTime);
  const planned = facts.date ? Date.parse(`${facts.date.split("/")[0]}T12:00:00Z`) : Number.NaN;
  const start = Math.min(...times);
  let end = Math.max(now.getTime(), ...times, Number.isFinite(planned) ? planned + DAY_MS / 2 : 0);
  if (end - start < DAY_MS) end = start + DAY_MS;
  const x = (t: number) => PAD + ((t - start) / (end - start)) * (WIDTH - 2 * PAD);

  // Status bands: each status from the development that set it to the next move (or the end).
  const moves = ordered.filter((d) => d.type === "status_change" && d.status !== null);
  const bands = moves.map((d, i) => {
    const from = storyTime(d);
    const next = moves[i + 1];
    const to = next ? storyTime(next) : end;
    return { status: d.status as StorylineStatus, from, to };
  });
  const label = `Timeline from ${day(new Date(start).toISOString())} to ${day(new Date(end).toISOString())}: ${
    moves.length === 0 ? "no status yet" : moves.map((m) => m.status?.replace("_", " ")).join(", then ")
  }; ${developments.length} ${developments.length === 1 ? "development" : "developments"}${
    facts.date ? `; planned date ${facts.date}${passed ? ", passed" : ""}` : ""
  }.`;

  return (
    <figure>
      <svg
        class="timeline"
        viewBox={`0 0 ${WIDTH} 84`}
        role="img"
        aria-label={label}
        xmlns="http://www.w3.org/2000/svg"
      >
        <title>{label}</title>
        <rect x={PAD} y={8} width={WIDTH - 2 * PAD} height={26} fill="#e5e7eb" />
        {bands.map((band) => {
          const colours = STATUS_COLOURS[band.status];
          const left = x(band.from);
          const width = Math.max(2, x(band.to) - left);
          return (
            <g data-band={band.status}>
              <rect x={left} y={8} width={width} height={26} fill={colours.background} stroke={colours.text} />
              {width > 70 ? (
                <text x={left + 6} y={26} font-size="13" fill={colours.text}>
                  {band.status.replace("_", " ")}
                </text>
              ) : null}
            </g>
          );
        })}
        {ordered.map((d) => (
          <circle
            data-marker={d.id}
            cx={x(storyTime(d))}
            cy={46}
            r={d.type === "status_change" ? 5 : 3.5}
            fill={d.status && d.type === "status_change" ? STATUS_COLOURS[d.status].text : "#374151"}
          >
            <title>{`${day(new Date(storyTime(d)).toISOString())}: ${d.title}`}</title>
          </circle>
        ))}
        {Number.isFinite(planned) ? (
          <g data-planned={facts.date}>
            <line
              x1={x(planned)}
              x2={x(planned)}
              y1={4}
              y2={54}
              stroke={passed ? "#b45309" : "#111827"}
              stroke-width="2"
              stroke-dasharray="4 3"
            />
          </g>
        ) : null}
        <text x={PAD} y={72} font-size="12" fill="#4b5563">
          {day(new Date(start).toISOString())}
        </text>
        <text x={WIDTH - PAD} y={72} font-size="12" fill="#4b5563" text-anchor="end">
          {day(new Date(end).toISOString())}
        </text>
      </svg>
      <figcaption class="legend">
        {status ? <span>Now: {status.replace("_", " ")}</span> : <span>No status yet</span>}
        {facts.date ? (
          <span>
            Planned date {facts.date.replace("/", " to ")} (dashed line){passed ? ": passed" : ""}
          </span>
        ) : null}
        <span>Dots: developments</span>
      </figcaption>
    </figure>
  );
}
