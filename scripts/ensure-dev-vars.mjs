// `npm start` needs local secrets; a fresh clone has none. Copy the documented example once,
// then say where the console is and which token signs in to it.
import { copyFileSync, existsSync, readFileSync } from "node:fs";

if (!existsSync(".dev.vars")) {
  copyFileSync(".dev.vars.example", ".dev.vars");
  console.log("Created .dev.vars from .dev.vars.example (local-only secrets).");
}
const vars = readFileSync(".dev.vars", "utf8");
const token = /^API_TOKEN\s*=\s*"?([^",\n]+)/m.exec(vars)?.[1]?.trim() ?? "(set API_TOKEN in .dev.vars)";
console.log(`
  storywatch console: http://localhost:8787/
  sign in with the local token: ${token}
  nothing is tracked yet: add a feed in the console, or load the example with \`npm run example\`
`);
