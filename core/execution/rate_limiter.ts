/**
 * A token bucket shared by every venue request, with a bounded FIFO queue behind it.
 *
 * A bucket of capacity B refilled at r tokens/s grants at most B + r·60 requests in any 60 s
 * window. To promise "never more than N per minute in any window" the refill rate is therefore
 * (N − B)/60 per second: bursts of B are allowed, and the budget still holds everywhere.
 */
import type { Clock, TimerId } from "../clock/clock.ts";

/** Raised when the queue behind the bucket is full: the caller must shed load, not wait. */
export class RateLimitQueueFull extends Error {
  /** Names the queue bound. */
  constructor(readonly maxQueue: number) {
    super(`Venue request queue is full (${maxQueue} waiting); request refused`);
    this.name = "RateLimitQueueFull";
  }
}

/** Rate limiter settings. */
export interface RateLimiterOptions {
  /** Most requests in any 60 s window. */
  readonly perMinute: number;
  /** Requests that may go out back to back (≤ perMinute). */
  readonly burst: number;
  /** Requests allowed to wait for a token; more are refused. */
  readonly maxQueue: number;
}

/** Token bucket + bounded queue on the injected clock. */
export class RateLimiter {
  #tokens: number;
  #last: number;
  readonly #perMicro: number;
  readonly #queue: Array<() => void> = [];
  #timer: TimerId | undefined;
  /** Requests granted since start. */
  granted = 0;
  /** Requests refused because the queue was full. */
  refused = 0;

  /** Creates a full bucket. */
  constructor(readonly clock: Clock, readonly options: RateLimiterOptions) {
    const { perMinute, burst, maxQueue } = options;
    if (!(perMinute >= 1) || !(burst >= 1) || burst > perMinute || !(maxQueue >= 0)) {
      throw new RangeError(
        `rate limiter needs 1 <= burst <= perMinute and maxQueue >= 0, got ${
          JSON.stringify(options)
        }`,
      );
    }
    this.#tokens = burst;
    this.#last = clock.nowMicros();
    this.#perMicro = (perMinute - burst) / 60e6;
  }

  /** Requests waiting for a token. */
  get queued(): number {
    return this.#queue.length;
  }

  /** Takes a token if one is free now and nobody is queued; false means: use acquire(). */
  tryAcquire(): boolean {
    this.#refill();
    if (this.#queue.length !== 0 || this.#tokens < 1) return false;
    this.#tokens -= 1;
    this.granted++;
    return true;
  }

  /** Resolves when the request may go out; rejects with RateLimitQueueFull when the queue is full. */
  acquire(): Promise<void> {
    if (this.tryAcquire()) return Promise.resolve();
    if (this.#queue.length >= this.options.maxQueue) {
      this.refused++;
      return Promise.reject(new RateLimitQueueFull(this.options.maxQueue));
    }
    return new Promise((resolve) => {
      this.#queue.push(resolve);
      this.#schedule();
    });
  }

  #refill(): void {
    const now = this.clock.nowMicros();
    if (this.#perMicro > 0) {
      this.#tokens = Math.min(
        this.options.burst,
        this.#tokens + (now - this.#last) * this.#perMicro,
      );
    }
    this.#last = now;
  }

  #schedule(): void {
    if (this.#timer !== undefined || this.#queue.length === 0) return;
    if (this.#perMicro <= 0) return; // burst == perMinute: nothing refills; queued requests wait forever by design
    const waitMicros = Math.max(0, (1 - this.#tokens) / this.#perMicro);
    this.#timer = this.clock.setTimer(Math.ceil(waitMicros / 1000), () => {
      this.#timer = undefined;
      this.#refill();
      while (this.#queue.length > 0 && this.#tokens >= 1) {
        this.#tokens -= 1;
        this.granted++;
        this.#queue.shift()!();
      }
      this.#schedule();
    });
  }
}
