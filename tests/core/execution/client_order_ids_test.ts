import assert from "node:assert/strict";
import type { Clock } from "../../../core/clock/clock.ts";
import { SimClock } from "../../../core/clock/sim_clock.ts";
import { ClientOrderIds, RunOrderIds } from "../../../core/execution/client_order_ids.ts";

Deno.test("client order ids read <prefix>-<epoch µs>-<counter>, digit for digit", () => {
  const clock = new SimClock(1_704_153_600_000_005);
  const ids = new ClientOrderIds(clock, "bt");
  assert.equal(ids.next(), "bt-1704153600000005-1", "zeros inside the time are kept");
  assert.equal(ids.next(), "bt-1704153600000005-2");
  clock.advanceTo(1_704_153_612_345_678);
  assert.equal(ids.next(), "bt-1704153612345678-3");
  assert.equal(new ClientOrderIds(new SimClock(42)).next(), "drt-42-1");
  assert.equal(new ClientOrderIds(new SimClock(100_000_000)).next(), "drt-100000000-1");
});

Deno.test("client order ids never repeat and their time never goes back, even when the clock does", () => {
  let now = 2_000_000_000_000_000;
  // A wall clock stepped back (NTP): only nowMicros is read.
  const clock = { nowMicros: () => now } as unknown as Clock;
  const ids = new ClientOrderIds(clock, "x");
  const first = ids.next();
  now = 1_000_000_000_000_000;
  const second = ids.next();
  assert.notEqual(first, second);
  assert.equal(second.split("-")[1], "2000000000000000");
});

Deno.test("a backtest's order ids read <prefix>-<counter>: unique in the run, the same on a re-run", () => {
  const a = new RunOrderIds("bt"), b = new RunOrderIds("bt");
  const ids = Array.from({ length: 1000 }, () => a.next());
  assert.equal(ids[0], "bt-1");
  assert.equal(ids[999], "bt-1000");
  assert.equal(new Set(ids).size, 1000);
  assert.deepEqual(Array.from({ length: 1000 }, () => b.next()), ids);
  assert.throws(() => new RunOrderIds("bad prefix"), RangeError);
});
