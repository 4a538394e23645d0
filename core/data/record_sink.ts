/**
 * Where decoders put normalised market records. The feed worker's sink writes them into the ring;
 * tests and backtests may collect or apply them directly. Positional arguments: no allocation.
 */
import type { DecodeErrorReason } from "./ring_layout.ts";

/** Receiver of normalised market records (integer units, epoch µs). */
export interface RecordSink {
  /** A trade; taker 0 unknown, 1 buy, 2 sell. */
  trade(
    inst: number,
    price: number,
    size: number,
    tradeId: number,
    taker: number,
    ts: number,
    recv: number,
  ): void;
  /** A top-of-book quote. */
  quote(
    inst: number,
    bidPx: number,
    bidSz: number,
    askPx: number,
    askSz: number,
    ts: number,
    recv: number,
  ): void;
  /** One book level; `flags` are RecordFlag bits (Ask, Reset, End). A reset with no levels has price 0. */
  bookLevel(
    inst: number,
    flags: number,
    price: number,
    size: number,
    ts: number,
    recv: number,
  ): void;
  /** A whole bar from the venue, interval [start, start + tfMicros). */
  bar(
    inst: number,
    tfMicros: number,
    start: number,
    open: number,
    high: number,
    low: number,
    close: number,
    volume: number,
    vwap: number,
    count: number,
    recv: number,
  ): void;
  /** Publishes what was written so far (end of a frame). */
  flush(): void;
  /** Counts a rejected frame or message. */
  decodeError(reason: DecodeErrorReason): void;
}
