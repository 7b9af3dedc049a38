// Writes schemas/storyline.schema.json from the zod schema in src/storylines/schema.ts
// (`npm run schema`). test/storylines/schema.test.ts fails when the checked-in file drifts.
// The TypeScript source is bundled with esbuild (installed with wrangler) and imported here.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const dir = await mkdtemp(join(tmpdir(), "storyline-schema-"));
try {
  const outfile = join(dir, "schema.mjs");
  await build({
    entryPoints: [join(root, "src/storylines/schema.ts")],
    bundle: true,
    format: "esm",
    platform: "node",
    outfile,
    logLevel: "warning",
  });
  const { storylinesFileJsonSchema } = await import(pathToFileURL(outfile).href);
  const target = join(root, "schemas/storyline.schema.json");
  await writeFile(target, `${JSON.stringify(storylinesFileJsonSchema(), null, 2)}\n`);
  console.log(`wrote ${target}`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
