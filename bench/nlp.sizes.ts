/**
 * Global setup of the NLP benchmark (bench/nlp.vitest.config.ts), run in Node before workerd
 * starts: the bytes each candidate adds to the Worker, bundled by esbuild as wrangler bundles
 * (ESM, workerd conditions, not minified, like `wrangler deploy`) and gzipped at level 9.
 * The hand-written row is the size of the pieces it would replace (already in the bundle).
 */
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import type { TestProject } from "vitest/node";

const root = fileURLToPath(new URL("..", import.meta.url));

const ENTRIES: Record<string, string> = {
  "hand-written": `export { splitSentences, fold } from "./src/detect/text.ts";
export { cuesFor, qualify, clauseStart } from "./src/detect/extract/cues.ts";
export { findDates } from "./src/detect/extract/dates.ts";`,
  compromise: `import nlp from "compromise"; export default nlp;`,
  "compromise+dates": `import nlp from "compromise"; import dates from "compromise-dates"; nlp.plugin(dates); export default nlp;`,
  chrono: `export { parse } from "chrono-node";`,
  wink: `import winkNLP from "wink-nlp"; import model from "wink-eng-lite-web-model"; export default winkNLP(model);`,
};

export async function bundleSizes(): Promise<Record<string, number>> {
  const sizes: Record<string, number> = {};
  for (const [name, contents] of Object.entries(ENTRIES)) {
    const out = await build({
      stdin: { contents, resolveDir: root, loader: "ts" },
      bundle: true,
      format: "esm",
      platform: "neutral",
      conditions: ["workerd", "worker", "browser", "import"],
      mainFields: ["module", "main"],
      write: false,
      logLevel: "error",
    });
    sizes[name] = gzipSync(out.outputFiles[0]?.contents ?? new Uint8Array(), { level: 9 }).length;
  }
  return sizes;
}

export default async function setup(project: TestProject) {
  project.provide("nlpBundleSizes", await bundleSizes());
}

declare module "vitest" {
  export interface ProvidedContext {
    /** Gzipped bytes per candidate, keyed as in ENTRIES. */
    nlpBundleSizes: Record<string, number>;
  }
}
