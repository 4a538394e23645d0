/**
 * The real-time Clock. This is the one module under core/ allowed to touch the wall clock and the
 * runtime's timers (tests/core/ambient_time_test.ts enforces that).
 */
import { setImmediate } from "node:timers";
import type { Clock, TimerId } from "./clock.ts";

/** Clock backed by the system clock and the runtime's timers. */
export class WallClock implements Clock {
  // performance.now() is monotonic with sub-microsecond resolution; anchoring it to timeOrigin
  // gives epoch time that does not jump when NTP slews the system clock.
  readonly #origin = performance.timeOrigin;

  /** Current epoch time in integer microseconds. */
  nowMicros(): number {
    return Math.floor((this.#origin + performance.now()) * 1000);
  }

  /** Schedules `fn` after `delayMs`. */
  setTimer(delayMs: number, fn: () => void): TimerId {
    // Deno returns a number; importing node:timers only changes the declared type.
    return setTimeout(fn, delayMs) as unknown as TimerId;
  }

  /** Schedules `fn` every `periodMs`. */
  setInterval(periodMs: number, fn: () => void): TimerId {
    return setInterval(fn, periodMs) as unknown as TimerId;
  }

  /** Cancels a timer. */
  clearTimer(id: TimerId): void {
    clearTimeout(id);
  }

  /** Runs `fn` after pending I/O (a few microseconds, unlike setTimeout(0)). */
  immediate(fn: () => void): void {
    setImmediate(fn);
  }
}
