/**
 * The injected source of time. Nothing else under core/ may read the wall clock or start timers,
 * so the same engine runs in real time (WallClock) and in simulated time (SimClock).
 */

/** Opaque handle of a scheduled callback. */
export type TimerId = number;

/** Time and scheduling as the engine sees them. */
export interface Clock {
  /** Current time in integer epoch microseconds. */
  nowMicros(): number;
  /** Runs `fn` once after `delayMs` milliseconds of this clock's time. */
  setTimer(delayMs: number, fn: () => void): TimerId;
  /** Runs `fn` every `periodMs` milliseconds of this clock's time. */
  setInterval(periodMs: number, fn: () => void): TimerId;
  /** Cancels a timer or interval; unknown ids are ignored. */
  clearTimer(id: TimerId): void;
  /** Runs `fn` as soon as the current turn ends, after pending I/O. */
  immediate(fn: () => void): void;
}
