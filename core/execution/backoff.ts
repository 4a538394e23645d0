/**
 * Retry with exponential backoff and jitter: 1 s, 2 s, 4 s (±20%), at most 3 retries, only for
 * retryable VenueErrors, honouring a 429's Retry-After. Sleeps use the injected clock, jitter the
 * seeded RNG, so a test or backtest replays the same schedule.
 */
import type { Clock } from "../clock/clock.ts";
import type { SeededRng } from "../domain/seeded_rng.ts";
import { VenueError } from "./venue_error.ts";

/** Backoff settings. */
export interface BackoffOptions {
  readonly maxRetries: number;
  readonly baseMs: number;
  /** Each delay is scaled by a uniform factor in [1 − jitter, 1 + jitter]. */
  readonly jitter: number;
}

/** Defaults from the original system: 1 s, 2 s, 4 s, three retries. */
export const DEFAULT_BACKOFF: BackoffOptions = { maxRetries: 3, baseMs: 1000, jitter: 0.2 };

/** Delay before retry number `attempt` (0-based), in ms. */
export function backoffDelayMs(
  attempt: number,
  options: BackoffOptions,
  rng: SeededRng,
  retryAfterMs = 0,
): number {
  const base = options.baseMs * 2 ** attempt;
  const jittered = base * (1 + options.jitter * (2 * rng.next() - 1));
  return Math.max(Math.round(jittered), retryAfterMs);
}

/** Resolves after `ms` of clock time. */
export function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimer(ms, resolve));
}

/**
 * Runs `attempt` until it succeeds, fails with a non-retryable error, or retries run out.
 * `beforeRetry` runs before each retry and may return a value to finish with instead (the router
 * uses it to find an order that the venue did receive).
 */
export async function retryWithBackoff<T>(
  attempt: () => Promise<T>,
  deps: { readonly clock: Clock; readonly rng: SeededRng; readonly options?: BackoffOptions },
  beforeRetry?: (error: VenueError) => Promise<T | undefined>,
): Promise<T> {
  const options = deps.options ?? DEFAULT_BACKOFF;
  for (let i = 0;; i++) {
    try {
      return await attempt();
    } catch (e) {
      if (!(e instanceof VenueError) || !e.retryable || i >= options.maxRetries) throw e;
      await sleep(deps.clock, backoffDelayMs(i, options, deps.rng, e.options.retryAfterMs ?? 0));
      const found = await beforeRetry?.(e);
      if (found !== undefined) return found;
    }
  }
}
