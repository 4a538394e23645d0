/** A Clock that moves only when told to: backtests, tests and deterministic sim runs. */
import type { Clock, TimerId } from "./clock.ts";

interface Timer {
  id: number;
  due: number;
  period: number;
  fn: () => void;
}

/** Simulated clock: `advanceTo` runs due timers in time order, ties in creation order. */
export class SimClock implements Clock {
  // Given a value here, not only in the constructor: V8 stores a field declared without one
  // tagged, a fresh heap number for every time written (15 bytes a bar in a backtest's heap
  // profile), and a backtest moves the clock on every event.
  #now = 0;
  #nextId = 1;
  #timers: Timer[] = [];
  #immediates: Array<() => void> = [];

  /** Starts at `startMicros` epoch microseconds. */
  constructor(startMicros: number) {
    if (!Number.isSafeInteger(startMicros)) {
      throw new RangeError(`startMicros must be an integer, got ${startMicros}`);
    }
    this.#now = startMicros;
  }

  /** Current simulated time. */
  nowMicros(): number {
    return this.#now;
  }

  /** Schedules `fn` at now + delayMs. */
  setTimer(delayMs: number, fn: () => void): TimerId {
    return this.#add(delayMs, 0, fn);
  }

  /** Schedules `fn` every `periodMs`. */
  setInterval(periodMs: number, fn: () => void): TimerId {
    if (!(periodMs > 0)) throw new RangeError(`periodMs must be > 0, got ${periodMs}`);
    return this.#add(periodMs, periodMs, fn);
  }

  /** Cancels a timer. */
  clearTimer(id: TimerId): void {
    this.#timers = this.#timers.filter((t) => t.id !== id);
  }

  /** Queues `fn`; it runs on the next `advanceTo` or `runImmediates`. */
  immediate(fn: () => void): void {
    this.#immediates.push(fn);
  }

  /** Runs queued immediates (and any they queue). */
  runImmediates(): void {
    while (this.#immediates.length > 0) this.#immediates.shift()!();
  }

  /** Moves time forward to `micros`, firing every timer due on the way at its own due time. */
  advanceTo(micros: number): void {
    if (micros < this.#now) {
      throw new RangeError(`SimClock cannot go back from ${this.#now} to ${micros}`);
    }
    if (this.#timers.length === 0 && this.#immediates.length === 0) {
      this.#now = micros; // the backtest's common case: nothing scheduled
      return;
    }
    this.#runUntil(micros);
  }

  // Apart from advanceTo, which stays small enough to inline into a backtest's loop: a call that
  // is not inlined passes its time as a fresh heap number, once an event.
  #runUntil(micros: number): void {
    this.runImmediates();
    for (;;) {
      let next: Timer | undefined;
      for (const t of this.#timers) {
        if (t.due <= micros && (next === undefined || t.due < next.due)) next = t;
      }
      if (next === undefined) break;
      this.#now = next.due;
      if (next.period > 0) next.due += next.period * 1000;
      else this.clearTimer(next.id);
      next.fn();
      this.runImmediates();
    }
    this.#now = micros;
  }

  /** Moves time forward by `deltaMicros`. */
  advanceBy(deltaMicros: number): void {
    this.advanceTo(this.#now + deltaMicros);
  }

  #add(delayMs: number, periodMs: number, fn: () => void): TimerId {
    const id = this.#nextId++;
    this.#timers.push({
      id,
      due: this.#now + Math.round(Math.max(0, delayMs) * 1000),
      period: periodMs,
      fn,
    });
    return id;
  }
}
