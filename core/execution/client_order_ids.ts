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
  #time = "";
  readonly #head: string;

  /** `prefix` names the process or account (letters, digits, dash). */
  constructor(readonly clock: Clock, readonly prefix = "drt") {
    if (!/^[A-Za-z0-9-]{1,16}$/.test(prefix)) {
      throw new RangeError(`client order id prefix must be 1-16 of [A-Za-z0-9-], got ${prefix}`);
    }
    this.#head = prefix + "-";
  }

  /** The next id. The time part never goes backwards, even if the clock does. */
  next(): string {
    const now = Math.max(this.clock.nowMicros(), this.#lastMicros);
    if (now !== this.#lastMicros || this.#time === "") this.#time = microsText(now);
    this.#lastMicros = now;
    return this.#head + this.#time + "-" + ++this.#counter;
  }
}

// Epoch µs as decimal text. Above 2^31 a number prints through the slow double-to-string path
// (~0.3 µs); two small integers print from V8's integer path, which matters at one order per bar.
function microsText(micros: number): string {
  if (!(micros >= 0 && micros < 2 ** 53 && Number.isInteger(micros))) return String(micros);
  const hi = Math.floor(micros / 1e8), lo = micros - hi * 1e8;
  if (hi === 0) return String(lo);
  const low = String(lo);
  return String(hi) + "00000000".slice(low.length) + low;
}
