import assert from "node:assert/strict";
import { SimClock } from "../../../core/clock/sim_clock.ts";
import { SeededRng } from "../../../core/domain/seeded_rng.ts";
import { RateLimiter, RateLimitQueueFull } from "../../../core/execution/rate_limiter.ts";

const T0 = 1_700_000_000_000_000;

Deno.test("the rate limiter never exceeds its budget in any 60 s window (randomised load, 30 minutes)", async () => {
  const clock = new SimClock(T0);
  const limiter = new RateLimiter(clock, { perMinute: 200, burst: 10, maxQueue: 1_000_000 });
  const rng = new SeededRng(21);
  const grants: number[] = [];
  let refused = 0;
  for (let step = 0; step < 30 * 60 * 10; step++) {
    // bursts of 0–40 requests every 100 ms: far more than the budget
    const n = rng.next() < 0.2 ? rng.int(40) : 0;
    for (let i = 0; i < n; i++) {
      limiter.acquire().then(() => grants.push(clock.nowMicros()), () => refused++);
    }
    await Promise.resolve();
    clock.advanceBy(100_000);
    await Promise.resolve();
  }
  await Promise.resolve();
  assert.ok(grants.length > 5000, `granted ${grants.length}`);
  // sliding window over the grant times
  let lo = 0;
  for (let hi = 0; hi < grants.length; hi++) {
    while (grants[hi]! - grants[lo]! >= 60_000_000) lo++;
    assert.ok(
      hi - lo + 1 <= 200,
      `window ending ${(grants[hi]! - T0) / 1e6}s has ${hi - lo + 1} grants`,
    );
  }
  assert.equal(refused, 0);
});

Deno.test("a burst goes out at once, then requests wait in FIFO order for tokens", async () => {
  const clock = new SimClock(T0);
  const limiter = new RateLimiter(clock, { perMinute: 70, burst: 10, maxQueue: 10 }); // refill 1/s
  const order: number[] = [];
  for (let i = 0; i < 12; i++) limiter.acquire().then(() => order.push(i));
  await Promise.resolve();
  assert.equal(order.length, 10);
  clock.advanceBy(1_000_000);
  await Promise.resolve();
  assert.deepEqual(order.slice(10), [10]);
  clock.advanceBy(1_000_000);
  await Promise.resolve();
  assert.deepEqual(order.slice(10), [10, 11]);
});

Deno.test("a full queue refuses the request with a clear error instead of waiting", async () => {
  const clock = new SimClock(T0);
  const limiter = new RateLimiter(clock, { perMinute: 60, burst: 1, maxQueue: 2 });
  await limiter.acquire();
  const waiting = [limiter.acquire(), limiter.acquire()];
  await assert.rejects(limiter.acquire(), (e: unknown) => {
    assert.ok(e instanceof RateLimitQueueFull);
    assert.match(e.message, /queue is full \(2 waiting\)/);
    return true;
  });
  assert.equal(limiter.refused, 1);
  clock.advanceBy(10_000_000);
  await Promise.all(waiting);
});

Deno.test("tryAcquire takes a free token at once but never jumps requests already queued", async () => {
  const clock = new SimClock(T0);
  const limiter = new RateLimiter(clock, { perMinute: 61, burst: 1, maxQueue: 10 }); // refill 1/s
  assert.equal(limiter.tryAcquire(), true);
  assert.equal(limiter.tryAcquire(), false, "the bucket is empty");
  let queuedGot = false;
  limiter.acquire().then(() => (queuedGot = true));
  clock.advanceBy(1_000_000); // the queued request's token arrives on its timer
  assert.equal(limiter.tryAcquire(), false, "the waiting request is served first");
  await Promise.resolve();
  assert.equal(queuedGot, true);
  assert.equal(limiter.granted, 2);
});
