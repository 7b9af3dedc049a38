import { applyD1Migrations, env } from "cloudflare:test";

// Storage is isolated per test file; the migrations table makes this a no-op after the first run.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
