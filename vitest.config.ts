import { fileURLToPath } from "node:url";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

const migrations = await readD1Migrations(fileURLToPath(new URL("./schemas/migrations", import.meta.url)));

/**
 * Suites that drive whole corpora or many feeds through the local queues: minutes on a small
 * machine. `npm test` leaves them out and stays quick; `npm run test:slow` (SLOW_TESTS=1) runs
 * only them. CI runs both.
 */
const SLOW_TESTS = [
  "test/faults/**/*.test.ts",
  "test/load/**/*.test.ts",
  "test/feeds/queue-scale.test.ts",
  "test/alerts/delivery-timeout.test.ts",
];
const slow = Boolean(process.env.SLOW_TESTS);

export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: {
          TEST_MIGRATIONS: migrations,
          API_TOKEN: "test-token,rotated-token",
          WEBHOOK_SECRET_KEY: "dGVzdC1vbmx5LXdlYmhvb2sta2V5LTMyLWJ5dGVzISE=",
          ALLOW_PRIVATE_NETWORK: "false",
          WEBHOOK_RETRY_SCHEDULE: "0,1,2",
          DETECTION_RETRY_DELAY_SECONDS: "2",
        },
        // Fewer detection retries than deployed (wrangler.toml), so a storyline whose detector
        // always throws dead-letters within seconds; about ten seconds still lets a test repair one.
        queueConsumers: {
          detections: { maxBatchSize: 10, maxBatchTimeout: 1, maxRetries: 4, deadLetterQueue: "detections-dlq" },
        },
        // Catch-all for anything a test did not route through the fake internet
        // (test/helpers/fake-internet.ts): no test may reach the real network.
        outboundService(request: Request) {
          return new Response(`test tried to reach the real network: ${request.method} ${request.url}`, {
            status: 599,
            headers: { "x-storywatch-test": "outbound-refused" },
          });
        },
      },
    }),
  ],
  test: {
    include: slow ? SLOW_TESTS : ["test/**/*.test.ts"],
    exclude: ["test/node/**", "test/browser/**", "node_modules/**", ...(slow ? [] : SLOW_TESTS)],
    setupFiles: ["./test/setup.ts"],
    // Test files mostly wait (on workerd, local queues' batch timeouts, D1): three at a time
    // even on a 2-core machine, where vitest's default would run one (104 s against 155 s
    // for two, measured at a load average of 8).
    maxWorkers: 3,
    testTimeout: 20_000,
  },
});
