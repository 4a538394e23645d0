/**
 * Binary layout of the feed ring: fixed 64-byte records in a SharedArrayBuffer, plus a small
 * control block of Int32 words for head, tail, wake-up and counters. Producer (feed worker) and
 * consumer (engine thread) both read these constants, so they are the wire contract between them.
 */

/** Bytes per record: one cache line. */
export const RECORD_BYTES = 64;
/** Float64 slots per record. */
export const RECORD_F64 = RECORD_BYTES / 8;
/** Uint32 words per record. */
export const RECORD_U32 = RECORD_BYTES / 4;

/**
 * Record kinds (low byte of word 0). Field use per kind, by f64 slot (slot 0 holds kind/flags and
 * the instrument index as two u32 words; slot 1 venue time µs; slot 2 receive time µs):
 * - TRADE:      3 price, 4 size, 5 trade id, 6 taker side (0 unknown, 1 buy, 2 sell)
 * - QUOTE:      3 bid price, 4 bid size, 5 ask price, 6 ask size
 * - BOOK_LEVEL: 3 price, 4 size (0 removes); flags: side, reset (clear book first), end of batch
 * - BAR:        3 open, 4 high, 5 low, 6 close, 7 volume; the next record is BAR_EXT
 * - BAR_EXT:    3 vwap, 4 trade count, 5 timeframe µs, 6 interval start µs
 */
export const enum RecordKind {
  Trade = 1,
  Quote = 2,
  BookLevel = 3,
  Bar = 4,
  BarExt = 5,
}

/** Flag bits (bits 8..15 of word 0). */
export const enum RecordFlag {
  /** BOOK_LEVEL on the ask side (else bid). */
  Ask = 1,
  /** BOOK_LEVEL: clear both sides of the book before applying this level. */
  Reset = 2,
  /** BOOK_LEVEL: last level of a venue message; the engine publishes market.book after it. */
  End = 4,
}

/** Control block word indices. Head and tail sit on separate cache lines to avoid false sharing. */
export const enum Ctl {
  Head = 0,
  Tail = 16,
  ConsumerSleeping = 17,
  Wake = 18,
  ProducerWaiting = 19,
  Space = 20,
  DroppedTrades = 32,
  DroppedBook = 33,
  DroppedOther = 34,
  ConflatedQuotes = 35,
  ProducerWaits = 36,
  FramesIn = 37,
  DecodeErrorsBase = 48,
}

/** Reasons a frame or message is rejected by a decoder; one counter each in the control block. */
export const DECODE_ERROR_REASONS = [
  "malformed_json",
  "bad_shape",
  "unknown_type",
  "bad_field",
  "unknown_symbol",
  "oversized_frame",
  "bad_timestamp",
  "venue_error",
] as const;

/** A decode error reason. */
export type DecodeErrorReason = typeof DECODE_ERROR_REASONS[number];

/** Number of Int32 words in the control block. */
export const CTL_WORDS = 64;

/** The two shared buffers of one ring, passed to the worker with postMessage. */
export interface RingBuffers {
  readonly data: SharedArrayBuffer;
  readonly control: SharedArrayBuffer;
  readonly capacity: number;
}

/** Allocates a ring of `capacity` records (a power of two). */
export function allocateRing(capacity: number): RingBuffers {
  if (
    !Number.isInteger(capacity) || capacity < 2 || (capacity & (capacity - 1)) !== 0 ||
    capacity > 1 << 24
  ) {
    throw new RangeError(`ring capacity must be a power of two in 2..16777216, got ${capacity}`);
  }
  return {
    data: new SharedArrayBuffer(capacity * RECORD_BYTES),
    control: new SharedArrayBuffer(CTL_WORDS * 4),
    capacity,
  };
}
