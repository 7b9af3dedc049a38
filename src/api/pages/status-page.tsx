import type { StorylineSummary } from "../../store/pages";
import { Layout } from "./layout";
import { factText, StatusBadge, Time } from "./parts";

export interface StatusPageProps {
  storylines: StorylineSummary[];
  /** Link for one storyline's page (carries its feed key when reads are not public). */
  storylineHref: (storyline: StorylineSummary) => string;
}

/** GET /: where every storyline stands. */
export function StatusPage({ storylines, storylineHref }: StatusPageProps) {
  return (
    <Layout title="storywatch: where every storyline stands">
      <h1>Storylines</h1>
      {storylines.length === 0 ? (
        <p class="muted">No storylines yet. Add one with POST /v1/storylines.</p>
      ) : (
        <table class="storylines">
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
                <td>
                  <a href={storylineHref(storyline)}>{storyline.title}</a>
                  <br />
                  <span class="muted">
                    {storyline.kind}
                    {storyline.active ? "" : " · paused"}
                  </span>
                </td>
                <td>
                  {storyline.kind === "topic" ? (
                    <span class="muted">topic</span>
                  ) : (
                    <StatusBadge status={storyline.status} />
                  )}
                </td>
                <td>{factText(storyline.facts.date)}</td>
                <td>{factText(storyline.facts.place)}</td>
                <td>
                  <Time iso={storyline.lastDevelopmentAt} />
                </td>
                <td>{storyline.outlets}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}
