// Loads an example (default examples/putin-trump.json: its feeds and storylines) into a
// running storywatch through the public API, as the user's own: each can be paused, edited or
// deleted afterwards. Usage: npm run example [-- file.json] (with `npm start` running).
// STORYWATCH_URL (default http://localhost:8787) and STORYWATCH_TOKEN (default: API_TOKEN
// from .dev.vars) say where and as whom.
import { existsSync, readFileSync } from "node:fs";

const file = process.argv[2] ?? "examples/putin-trump.json";
const origin = (process.env.STORYWATCH_URL ?? "http://localhost:8787").replace(/\/$/, "");
const devVars = existsSync(".dev.vars") ? readFileSync(".dev.vars", "utf8") : "";
const token = process.env.STORYWATCH_TOKEN ?? /^API_TOKEN\s*=\s*"?([^",\n]+)/m.exec(devVars)?.[1]?.trim();
if (!token) {
  console.error("No token: set STORYWATCH_TOKEN, or run `npm start` once to write .dev.vars.");
  process.exit(1);
}
const example = JSON.parse(readFileSync(file, "utf8"));

async function post(path, body) {
  let res;
  try {
    res = await fetch(`${origin}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  } catch (error) {
    console.error(`Cannot reach ${origin} (${error.cause?.code ?? error.message}): start it with \`npm start\` first.`);
    process.exit(1);
  }
  if (res.status === 201) return "added";
  if (res.status === 409) return "already there";
  const problem = await res.json().catch(() => ({}));
  console.error(`${path}: ${res.status} ${problem.detail ?? res.statusText}`);
  process.exit(1);
}

for (const feed of example.feeds ?? []) console.log(`feed ${feed.url}: ${await post("/v1/feeds", feed)}`);
for (const storyline of example.storylines ?? []) {
  console.log(`storyline ${storyline.id}: ${await post("/v1/storylines", storyline)}`);
}
console.log(`Loaded ${file}. Open ${origin}/ to see it; the next cron tick (or "Run now") polls the feeds.`);
