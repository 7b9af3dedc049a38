// "zod" as the Worker bundles it (wrangler.toml [alias]): zod's own entry point over
// ./external, which leaves out the other languages' messages.
import * as z from "./external";

export * from "./external";
export { z, z as default };
