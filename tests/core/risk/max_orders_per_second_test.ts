import assert from "node:assert/strict";
import { SeededRng } from "../../../core/domain/seeded_rng.ts";
import { MaxOrdersPerSecond } from "../../../core/risk/max_orders_per_second.ts";
import { REASON } from "../../../core/risk/reasons.ts";

const SEC = 1_000_000;
const R = REASON.max_orders_per_second;

/** Checks and records like the engine does; returns whether the order went. */
function send(rate: MaxOrdersPerSecond, now: number): boolean {
  if (rate.check(now) !== 0) return false;
  rate.record(now);
  return true;
}

Deno.test("MaxOrdersPerSecond lets N orders through in a second and rejects the next", () => {
  const rate = new MaxOrdersPerSecond(3);
  const t0 = 1_700_000_000_000_000;
  assert.equal(send(rate, t0), true);
  assert.equal(send(rate, t0 + 1), true);
  assert.equal(send(rate, t0 + 2), true);
  assert.equal(rate.check(t0 + SEC - 1), R, "the first order is still inside the window");
  assert.equal(rate.check(t0 + SEC), 0, "exactly one second after the oldest");
  assert.equal(rate.countInWindow(t0 + SEC - 1), 3);
  assert.equal(rate.countInWindow(t0 + SEC), 2);
});

Deno.test("MaxOrdersPerSecond.check() does not consume a slot; only record() does", () => {
  const rate = new MaxOrdersPerSecond(1);
  for (let i = 0; i < 5; i++) assert.equal(rate.check(10), 0);
  rate.record(10);
  assert.equal(rate.check(11), R);
});

Deno.test("MaxOrdersPerSecond never lets more than N through in any 1-second window", () => {
  const rng = new SeededRng(42);
  for (const n of [1, 2, 5, 10, 50]) {
    const rate = new MaxOrdersPerSecond(n);
    const sent: number[] = [];
    let t = 1_700_000_000_000_000;
    for (let i = 0; i < 20_000; i++) {
      // bursts of near-simultaneous orders mixed with pauses up to 1.5 s
      t += rng.next() < 0.9 ? rng.int(2 * SEC / n) : rng.int(1.5 * SEC);
      // reference: count of sent orders in (t − 1 s, t]
      let inWindow = 0;
      for (let k = sent.length - 1; k >= 0 && sent[k]! > t - SEC; k--) inWindow++;
      const went = send(rate, t);
      assert.equal(went, inWindow < n, `n=${n} order ${i} at ${t}`);
      if (went) sent.push(t);
    }
    for (let k = n; k < sent.length; k++) {
      assert.ok(sent[k]! - sent[k - n]! >= SEC, `n=${n}: ${n + 1} orders within one second`);
    }
    assert.ok(sent.length > n, "the property must be exercised");
  }
});

Deno.test("MaxOrdersPerSecond stays strict when the clock steps back", () => {
  const rate = new MaxOrdersPerSecond(2);
  assert.equal(send(rate, 5 * SEC), true);
  assert.equal(send(rate, 4 * SEC), true, "recorded as 5 s, not 4 s");
  assert.equal(rate.check(5 * SEC + SEC - 1), R);
  assert.equal(rate.check(6 * SEC), 0);
});

Deno.test("MaxOrdersPerSecond rejects a limit below 1", () => {
  assert.throws(() => new MaxOrdersPerSecond(0), /'max_orders_per_second' must be an integer >= 1/);
});
