import assert from "node:assert/strict";
import { SimClock } from "../../../core/clock/sim_clock.ts";
import { SeededRng } from "../../../core/domain/seeded_rng.ts";
import {
  backoffDelayMs,
  DEFAULT_BACKOFF,
  retryWithBackoff,
} from "../../../core/execution/backoff.ts";
import { kindForStatus, VenueError } from "../../../core/execution/venue_error.ts";

Deno.test("backoff waits about 1 s, 2 s, 4 s with bounded jitter, and honours Retry-After", () => {
  const rng = new SeededRng(1);
  for (let i = 0; i < 200; i++) {
    for (const [attempt, base] of [[0, 1000], [1, 2000], [2, 4000]] as const) {
      const d = backoffDelayMs(attempt, DEFAULT_BACKOFF, rng);
      assert.ok(d >= base * 0.8 && d <= base * 1.2, `${d}`);
    }
  }
  assert.equal(backoffDelayMs(0, DEFAULT_BACKOFF, rng, 30_000), 30_000);
});

Deno.test("retryWithBackoff retries retryable errors at most 3 times, and never a final one", async () => {
  const clock = new SimClock(0);
  const rng = new SeededRng(2);
  let calls = 0;
  const p = retryWithBackoff(() => {
    calls++;
    return Promise.reject(new VenueError("server_error", "503"));
  }, { clock, rng });
  let error: unknown;
  p.catch((e) => (error = e));
  for (let i = 0; i < 100; i++) {
    clock.advanceBy(200_000);
    await new Promise((r) => setTimeout(r, 0));
  }
  assert.equal(calls, 4, "one try + three retries");
  assert.ok(error instanceof VenueError);

  let finalCalls = 0;
  await assert.rejects(
    retryWithBackoff(() => {
      finalCalls++;
      return Promise.reject(new VenueError("insufficient_buying_power", "403"));
    }, { clock, rng }),
    /403/,
  );
  assert.equal(finalCalls, 1);
});

Deno.test("venue errors are sorted into retryable and final before any retry", () => {
  assert.equal(new VenueError(kindForStatus(429), "").retryable, true);
  assert.equal(new VenueError(kindForStatus(503), "").retryable, true);
  assert.equal(new VenueError("timeout", "").maybeReceived, true);
  assert.equal(new VenueError(kindForStatus(422), "").retryable, false);
  assert.equal(new VenueError(kindForStatus(403), "").retryable, false);
  assert.equal(new VenueError(kindForStatus(404), "").retryable, false);
});
