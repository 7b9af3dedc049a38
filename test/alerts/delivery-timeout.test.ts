import { afterEach, beforeEach, expect, it } from "vitest";
import { type FakeInternet, fakeInternet } from "../helpers/fake-internet";
import { createHook, deliveriesOf, pendingDelivery, receiverUrl, runConsumer, withSchedule } from "./helpers";

// The production delivery timeout takes its full 15 s to show, so this runs in `npm run
// test:slow`; the timeout's behaviour at short settings is in delivery.test.ts.

let internet: FakeInternet;
beforeEach(() => {
  internet = fakeInternet();
});
afterEach(() => internet.restore());

it("gives up on a silent receiver after 15 s with the production settings", { timeout: 30_000 }, async () => {
  const slow = withSchedule("0,600");
  const url = receiverUrl("silent-15s");
  const hook = await createHook(url);
  internet.on(url, () => new Promise<Response>(() => {}));
  const id = await pendingDelivery(slow, hook.id, "e-silent-15s");
  await runConsumer({ deliveryId: id, attempt: 1 }, {}, slow);
  const [attempt] = (await deliveriesOf(hook.id))[0]?.attempts ?? [];
  expect(attempt?.error).toBe("no complete answer within 15 s");
  expect(attempt?.latency_ms).toBeGreaterThanOrEqual(15_000);
  expect(attempt?.latency_ms).toBeLessThan(16_000);
});
