/**
 * Decodes Alpaca market-data stream frames (JSON arrays of messages keyed by "T") into normalised
 * records. The embedded simulator speaks the same wire format, so one decoder serves both.
 * A bad message is counted by reason and skipped; the rest of its frame is still decoded.
 */
import { type Instrument, type InstrumentTable } from "../../domain/instrument.ts";
import { pow10 } from "../../domain/fixed_point.ts";
import { parseRfc3339Micros } from "../../domain/timestamp.ts";
import type { RecordSink } from "../../data/record_sink.ts";
import { RecordFlag } from "../../data/ring_layout.ts";

/** Control messages (T = success, error, subscription) handed to the connection logic. */
export interface AlpacaControl {
  readonly T: string;
  readonly [key: string]: unknown;
}

const MINUTE = 60_000_000;
const DAY = 86_400_000_000;
// Message types that carry no book/bar/trade state yet (trading status, LULD, corrections,
// cancel errors): accepted and counted, not errors.
const PASS_THROUGH = new Set(["s", "l", "c", "x"]);

/** Stateless-per-frame decoder bound to an instrument table and a sink. */
export class AlpacaFrameDecoder {
  readonly #bySymbol = new Map<string, Instrument>();
  readonly #priceScale: Float64Array;
  readonly #qtyScale: Float64Array;
  /** Messages of known types deno_rt does not model yet (status, LULD, corrections, cancel errors). */
  passThrough = 0;
  /** Market messages decoded into records. */
  decoded = 0;

  /**
   * @param maxFrameBytes frames longer than this are rejected whole (a hostile or broken peer)
   * @param onControl receives success/error/subscription messages
   */
  constructor(
    instruments: InstrumentTable,
    readonly sink: RecordSink,
    readonly onControl: (msg: AlpacaControl) => void,
    readonly maxFrameBytes = 4 * 1024 * 1024,
  ) {
    for (const inst of instruments.list()) this.#bySymbol.set(inst.symbol, inst);
    this.#priceScale = Float64Array.from(instruments.list(), (i) => pow10(i.priceDecimals));
    this.#qtyScale = Float64Array.from(instruments.list(), (i) => pow10(i.qtyDecimals));
  }

  /** Decodes one text frame received at `recv` µs, then flushes the sink. */
  decode(frame: string, recv: number): void {
    if (frame.length > this.maxFrameBytes) {
      this.sink.decodeError("oversized_frame");
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(frame);
    } catch {
      this.sink.decodeError("malformed_json");
      return;
    }
    this.decodeMessages(parsed, recv);
  }

  /** Decodes an already parsed frame (JSON or MessagePack): an array of messages. */
  decodeMessages(parsed: unknown, recv: number): void {
    if (!Array.isArray(parsed)) {
      this.sink.decodeError("bad_shape");
      return;
    }
    for (let i = 0; i < parsed.length; i++) this.#message(parsed[i], recv);
    this.sink.flush();
  }

  #message(m: unknown, recv: number): void {
    if (typeof m !== "object" || m === null) {
      this.sink.decodeError("bad_shape");
      return;
    }
    const msg = m as Record<string, unknown>;
    const T = msg.T;
    if (typeof T !== "string") {
      this.sink.decodeError("bad_shape");
      return;
    }
    switch (T) {
      case "t":
        return this.#trade(msg, recv);
      case "q":
        return this.#quote(msg, recv);
      case "o":
        return this.#book(msg, recv);
      case "b":
      case "u":
        return this.#bar(msg, MINUTE, recv);
      case "d":
        return this.#bar(msg, DAY, recv);
      case "success":
      case "subscription":
        this.onControl(msg as AlpacaControl);
        return;
      case "error":
        this.sink.decodeError("venue_error");
        this.onControl(msg as AlpacaControl);
        return;
      default:
        if (PASS_THROUGH.has(T)) {
          this.passThrough++;
          return;
        }
        this.sink.decodeError("unknown_type");
    }
  }

  #inst(msg: Record<string, unknown>): number {
    const S = msg.S;
    if (typeof S !== "string") {
      this.sink.decodeError("bad_field");
      return -1;
    }
    const inst = this.#bySymbol.get(S);
    if (inst === undefined) {
      this.sink.decodeError("unknown_symbol");
      return -1;
    }
    return inst.index;
  }

  // Messages of one event share a timestamp string (trade, book, quote), so remember the last one.
  #lastTs = "";
  #lastMicros = NaN;

  #time(v: unknown): number {
    if (typeof v !== "string") return NaN;
    if (v === this.#lastTs) return this.#lastMicros;
    const us = parseRfc3339Micros(v);
    this.#lastTs = v;
    this.#lastMicros = us;
    return us;
  }

  /** Scales a JSON number to units; -1 marks invalid (NaN, infinite, negative, not a number). */
  #units(v: unknown, scale: number): number {
    if (typeof v !== "number" || !(v >= 0) || v === Infinity) return -1;
    const u = Math.round(v * scale);
    return u <= Number.MAX_SAFE_INTEGER ? u : -1;
  }

  #trade(msg: Record<string, unknown>, recv: number): void {
    const inst = this.#inst(msg);
    if (inst < 0) return;
    const price = this.#units(msg.p, this.#priceScale[inst]!);
    const size = this.#units(msg.s, this.#qtyScale[inst]!);
    if (price <= 0 || size < 0) return this.sink.decodeError("bad_field");
    const ts = this.#time(msg.t);
    if (Number.isNaN(ts)) return this.sink.decodeError("bad_timestamp");
    // Crypto trade ids exceed 2^53 and arrive rounded by JSON.parse: such an id is recorded as 0
    // ("none"), never as a rounded value that may equal another trade's id.
    const id = typeof msg.i === "number" && Number.isSafeInteger(msg.i) ? msg.i : 0;
    const tks = msg.tks;
    this.decoded++;
    this.sink.trade(inst, price, size, id, tks === "B" ? 1 : tks === "S" ? 2 : 0, ts, recv);
  }

  #quote(msg: Record<string, unknown>, recv: number): void {
    const inst = this.#inst(msg);
    if (inst < 0) return;
    const ps = this.#priceScale[inst]!, qs = this.#qtyScale[inst]!;
    // A one-sided market quotes price 0 on the empty side, so 0 is valid here.
    const bp = this.#units(msg.bp, ps), bs = this.#units(msg.bs, qs);
    const ap = this.#units(msg.ap, ps), as = this.#units(msg.as, qs);
    if (bp < 0 || bs < 0 || ap < 0 || as < 0) return this.sink.decodeError("bad_field");
    const ts = this.#time(msg.t);
    if (Number.isNaN(ts)) return this.sink.decodeError("bad_timestamp");
    this.decoded++;
    this.sink.quote(inst, bp, bs, ap, as, ts, recv);
  }

  #book(msg: Record<string, unknown>, recv: number): void {
    const inst = this.#inst(msg);
    if (inst < 0) return;
    const ts = this.#time(msg.t);
    if (Number.isNaN(ts)) return this.sink.decodeError("bad_timestamp");
    const bids = msg.b ?? [], asks = msg.a ?? [];
    if (!Array.isArray(bids) || !Array.isArray(asks)) return this.sink.decodeError("bad_field");
    const ps = this.#priceScale[inst]!, qs = this.#qtyScale[inst]!;
    // Validate the whole message before writing any level: a half-applied update corrupts the book.
    for (const side of [bids, asks]) {
      for (let i = 0; i < side.length; i++) {
        const l = side[i] as { p?: unknown; s?: unknown } | null;
        if (
          typeof l !== "object" || l === null || this.#units(l.p, ps) <= 0 ||
          this.#units(l.s, qs) < 0
        ) {
          return this.sink.decodeError("bad_field");
        }
      }
    }
    const reset = msg.r === true;
    const total = bids.length + asks.length;
    this.decoded++;
    if (total === 0) {
      this.sink.bookLevel(inst, (reset ? RecordFlag.Reset : 0) | RecordFlag.End, 0, 0, ts, recv);
      return;
    }
    let k = 0;
    for (let sideIdx = 0; sideIdx < 2; sideIdx++) {
      const side = sideIdx === 0 ? bids : asks;
      for (let i = 0; i < side.length; i++, k++) {
        const l = side[i] as { p: number; s: number };
        const flags = (sideIdx === 1 ? RecordFlag.Ask : 0) |
          (k === 0 && reset ? RecordFlag.Reset : 0) |
          (k === total - 1 ? RecordFlag.End : 0);
        this.sink.bookLevel(inst, flags, Math.round(l.p * ps), Math.round(l.s * qs), ts, recv);
      }
    }
  }

  #bar(msg: Record<string, unknown>, tf: number, recv: number): void {
    const inst = this.#inst(msg);
    if (inst < 0) return;
    const ps = this.#priceScale[inst]!, qs = this.#qtyScale[inst]!;
    const o = this.#units(msg.o, ps), h = this.#units(msg.h, ps), l = this.#units(msg.l, ps);
    const c = this.#units(msg.c, ps), v = this.#units(msg.v, qs);
    if (o <= 0 || h <= 0 || l <= 0 || c <= 0 || v < 0 || l > h) {
      return this.sink.decodeError("bad_field");
    }
    // Alpaca stamps bars at the interval start; deno_rt stamps them at the close.
    const start = this.#time(msg.t);
    if (Number.isNaN(start)) return this.sink.decodeError("bad_timestamp");
    // Alpaca sends vw 0 for a bar without trades; deno_rt's own bars use the close then.
    const vw = typeof msg.vw === "number" && Number.isFinite(msg.vw) && msg.vw > 0
      ? msg.vw * ps
      : v === 0
      ? c
      : (o + h + l + c) / 4;
    const n = typeof msg.n === "number" && msg.n >= 0 ? msg.n : 0;
    this.decoded++;
    this.sink.bar(inst, tf, start, o, h, l, c, v, vw, n, recv);
  }
}
