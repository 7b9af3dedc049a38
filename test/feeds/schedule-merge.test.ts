/**
 * A feed as shown and as checked: D1's row merged with what the scheduler object keeps of its
 * last check. A failed check recorded in D1 after the object's last write must not bring back
 * D1's older body state (its digest, its count of items, how far matching has taken them).
 */
import { describe, expect, it } from "vitest";
import { withSchedule } from "../../src/feeds/scheduler-object";
import type { FeedRow } from "../../src/store/feeds";
import type { FeedSchedule } from "../../src/store/scheduler-storage";

type Row = Pick<
  FeedRow,
  | "last_checked_at"
  | "last_status"
  | "last_http_status"
  | "next_check_at"
  | "check_interval_s"
  | "body_hash"
  | "items_digest"
  | "items_seen"
  | "dispatched_through"
>;

const d1Row = (over: Partial<Row> = {}): Row => ({
  last_checked_at: "2027-03-01T10:00:00.000Z",
  last_status: "ok",
  last_http_status: 200,
  next_check_at: "2027-03-01T10:15:00.000Z",
  check_interval_s: 900,
  body_hash: "old-hash",
  items_digest: '{"old":"1"}',
  items_seen: 50,
  dispatched_through: "2027-03-01T10:00:00.000Z",
  ...over,
});

const objectSchedule = (over: Partial<FeedSchedule> = {}): FeedSchedule => ({
  feed_id: "feed_1",
  last_checked_at: "2027-03-05T10:00:00.000Z",
  last_status: "ok",
  last_http_status: 200,
  next_check_at: "2027-03-05T10:15:00.000Z",
  check_interval_s: 900,
  body_hash: "new-hash",
  items_digest: '{"new":"1"}',
  items_seen: 900,
  dispatched_through: "2027-03-05T10:00:00.000Z",
  ...over,
});

describe("a feed's D1 row with the scheduler object's record of its checks", () => {
  it("takes the object's schedule and body state when its check is the newer", () => {
    expect(withSchedule(d1Row(), objectSchedule())).toMatchObject({
      last_checked_at: "2027-03-05T10:00:00.000Z",
      body_hash: "new-hash",
      items_seen: 900,
      dispatched_through: "2027-03-05T10:00:00.000Z",
    });
  });

  it("after a failed check written to D1 alone, keeps D1's status but the object's body state", () => {
    const failed = d1Row({
      last_checked_at: "2027-03-06T10:00:00.000Z",
      last_status: "http_503",
      last_http_status: 503,
      next_check_at: "2027-03-06T10:30:00.000Z",
    });
    expect(withSchedule(failed, objectSchedule())).toMatchObject({
      last_checked_at: "2027-03-06T10:00:00.000Z",
      last_status: "http_503",
      next_check_at: "2027-03-06T10:30:00.000Z",
      body_hash: "new-hash",
      items_digest: '{"new":"1"}',
      items_seen: 900,
      dispatched_through: "2027-03-05T10:00:00.000Z",
    });
  });

  it("never moves the matching mark or the count of items back", () => {
    const ahead = d1Row({ items_seen: 1000, dispatched_through: "2027-03-07T00:00:00.000Z" });
    expect(withSchedule(ahead, objectSchedule())).toMatchObject({
      items_seen: 1000,
      dispatched_through: "2027-03-07T00:00:00.000Z",
    });
  });

  it("is D1's row when the object knows nothing of the feed", () => {
    expect(withSchedule(d1Row(), null)).toEqual(d1Row());
  });
});
