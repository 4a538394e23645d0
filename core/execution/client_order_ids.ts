/**
 * Client order ids from clock + counter: unique within a process, deterministic in a backtest
 * (no randomness), and fixed per order so every retry of a request carries the same id — which is
 * what lets the venue, and our lookup before a re-send, recognise a duplicate.
 */
import type { Clock } from "../clock/clock.ts";

/** Generator of client order ids `<prefix>-<epoch µs>-<counter>`. */
export class ClientOrderIds {
  #counter = 0;
  #lastMicros = 0;

  /** `prefix` names the process or account (letters, digits, dash). */
  constructor(readonly clock: Clock, readonly prefix = "drt") {
    if (!/^[A-Za-z0-9-]{1,16}$/.test(prefix)) {
      throw new RangeError(`client order id prefix must be 1-16 of [A-Za-z0-9-], got ${prefix}`);
    }
  }

  /** The next id. The time part never goes backwards, even if the clock does. */
  next(): string {
    const now = Math.max(this.clock.nowMicros(), this.#lastMicros);
    this.#lastMicros = now;
    return `${this.prefix}-${now}-${++this.#counter}`;
  }
}
