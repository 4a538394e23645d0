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
  // Now, in a typed array: as a field declared without a value, V8 stored it tagged, and each new
  // time (too large for a small integer) took a fresh heap number; a backtest moves it per event.
  readonly #t = new Float64Array(1);
  #nextId = 1;
  #timers: Timer[] = [];
  #immediates: Array<() => void> = [];

  /** Starts at `startMicros` epoch microseconds. */
  constructor(startMicros: number) {
    if (!Number.isSafeInteger(startMicros)) {
      throw new RangeError(`startMicros must be an integer, got ${startMicros}`);
    }
    this.#t[0] = startMicros;
  }

  /** Current simulated time. */
  nowMicros(): number {
    return this.#t[0]!;
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
    if (micros < this.#t[0]!) {
      throw new RangeError(`SimClock cannot go back from ${this.#t[0]!} to ${micros}`);
    }
    if (this.#timers.length === 0 && this.#immediates.length === 0) {
      this.#t[0] = micros; // the backtest's common case: nothing scheduled
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
      this.#t[0] = next.due;
      if (next.period > 0) next.due += next.period * 1000;
      else this.clearTimer(next.id);
      next.fn();
      this.runImmediates();
    }
    this.#t[0] = micros;
  }

  /** Moves time forward by `deltaMicros`. */
  advanceBy(deltaMicros: number): void {
    this.advanceTo(this.#t[0]! + deltaMicros);
  }

  #add(delayMs: number, periodMs: number, fn: () => void): TimerId {
    const id = this.#nextId++;
    this.#timers.push({
      id,
      due: this.#t[0]! + Math.round(Math.max(0, delayMs) * 1000),
      period: periodMs,
      fn,
    });
    return id;
  }
}
