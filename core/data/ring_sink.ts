/**
 * The feed worker's RecordSink: writes records into the ring with explicit backpressure.
 * - Quotes: when the ring is full, the newest quote per instrument is parked and replaces any
 *   older parked quote of that instrument (counted as conflated); parked quotes go out first as
 *   soon as there is room.
 * - Trades, book levels and bars are never conflated: the producer waits for room up to
 *   `fullWaitMs`, then drops the record and counts it (visible on /metrics and system.heartbeat).
 */
import type { RecordSink } from "./record_sink.ts";
import type { RingWriter } from "./ring_buffer.ts";
import { Ctl, DECODE_ERROR_REASONS, type DecodeErrorReason, RecordKind } from "./ring_layout.ts";

/** RecordSink over a RingWriter. */
export class RingSink implements RecordSink {
  // Parked quotes, 6 slots per instrument: bidPx, bidSz, askPx, askSz, ts, recv.
  readonly #parked: Float64Array;
  readonly #isParked: Uint8Array;
  #parkedCount = 0;
  readonly #errorWord = new Map<DecodeErrorReason, number>(
    DECODE_ERROR_REASONS.map((r, i) => [r, Ctl.DecodeErrorsBase + i]),
  );

  /**
   * @param instruments number of instruments (sizes the quote parking table)
   * @param fullWaitMs how long the producer blocks for room before dropping a trade or book level
   */
  constructor(readonly writer: RingWriter, instruments: number, readonly fullWaitMs: number) {
    this.#parked = new Float64Array(instruments * 6);
    this.#isParked = new Uint8Array(instruments);
  }

  /** Writes a trade, waiting for room; drops and counts it only after `fullWaitMs`. */
  trade(
    inst: number,
    price: number,
    size: number,
    tradeId: number,
    taker: number,
    ts: number,
    recv: number,
  ): void {
    if (this.#parkedCount > 0) this.#flushParked();
    if (this.writer.write(RecordKind.Trade, 0, inst, ts, recv, price, size, tradeId, taker, 0)) {
      return;
    }
    if (
      this.#makeRoom() &&
      this.writer.write(RecordKind.Trade, 0, inst, ts, recv, price, size, tradeId, taker, 0)
    ) {
      return;
    }
    this.writer.count(Ctl.DroppedTrades);
  }

  /** Writes a quote, or parks it (conflating) when the ring is full. */
  quote(
    inst: number,
    bidPx: number,
    bidSz: number,
    askPx: number,
    askSz: number,
    ts: number,
    recv: number,
  ): void {
    if (this.#parkedCount > 0) this.#flushParked();
    if (
      this.#parkedCount === 0 &&
      this.writer.write(RecordKind.Quote, 0, inst, ts, recv, bidPx, bidSz, askPx, askSz, 0)
    ) {
      return;
    }
    if (this.#isParked[inst] === 1) this.writer.count(Ctl.ConflatedQuotes);
    else {
      this.#isParked[inst] = 1;
      this.#parkedCount++;
    }
    const p = inst * 6, q = this.#parked;
    q[p] = bidPx;
    q[p + 1] = bidSz;
    q[p + 2] = askPx;
    q[p + 3] = askSz;
    q[p + 4] = ts;
    q[p + 5] = recv;
  }

  /** Writes a book level, waiting for room; a dropped level is counted (the book may be stale until the next reset). */
  bookLevel(
    inst: number,
    flags: number,
    price: number,
    size: number,
    ts: number,
    recv: number,
  ): void {
    if (this.#parkedCount > 0) this.#flushParked();
    if (this.writer.write(RecordKind.BookLevel, flags, inst, ts, recv, price, size, 0, 0, 0)) {
      return;
    }
    if (
      this.#makeRoom() &&
      this.writer.write(RecordKind.BookLevel, flags, inst, ts, recv, price, size, 0, 0, 0)
    ) {
      return;
    }
    this.writer.count(Ctl.DroppedBook);
  }

  /** Writes a venue bar as two consecutive records. */
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
  ): void {
    if (this.#parkedCount > 0) this.#flushParked();
    if (this.writer.free() < 2 && !this.#makeRoom(2)) {
      this.writer.count(Ctl.DroppedOther);
      return;
    }
    const end = start + tfMicros;
    this.writer.write(RecordKind.Bar, 0, inst, end, recv, open, high, low, close, volume);
    this.writer.write(RecordKind.BarExt, 0, inst, end, recv, vwap, count, tfMicros, start, 0);
  }

  /** Publishes written records to the consumer. */
  flush(): void {
    if (this.#parkedCount > 0) this.#flushParked();
    this.writer.commit();
  }

  /** Counts a decode error by reason. */
  decodeError(reason: DecodeErrorReason): void {
    this.writer.count(this.#errorWord.get(reason)!);
  }

  /** Quotes parked because the ring was full. */
  get parked(): number {
    return this.#parkedCount;
  }

  #flushParked(): void {
    const q = this.#parked;
    for (let inst = 0; inst < this.#isParked.length && this.#parkedCount > 0; inst++) {
      if (this.#isParked[inst] === 0) continue;
      const p = inst * 6;
      if (
        !this.writer.write(
          RecordKind.Quote,
          0,
          inst,
          q[p + 4]!,
          q[p + 5]!,
          q[p]!,
          q[p + 1]!,
          q[p + 2]!,
          q[p + 3]!,
          0,
        )
      ) {
        return;
      }
      this.#isParked[inst] = 0;
      this.#parkedCount--;
    }
  }

  /** Publishes pending records and blocks for room; false if none freed within fullWaitMs. */
  #makeRoom(need = 1): boolean {
    this.writer.commit();
    if (this.fullWaitMs <= 0) return this.writer.free() >= need;
    const deadline = this.fullWaitMs;
    // waitForSpace blocks on a futex, so this loop does not spin; it bounds total wait by polls.
    for (let waited = 0; waited < deadline; waited += 10) {
      if (this.writer.free() >= need) return true;
      this.writer.waitForSpace(Math.min(10, deadline - waited));
    }
    return this.writer.free() >= need;
  }
}
