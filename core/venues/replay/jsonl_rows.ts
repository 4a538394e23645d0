/**
 * JSON-lines files: one object per line with `type` ("bar" | "trade" | "quote"), `symbol`,
 * `timestamp` and the CSV column names as keys; values are numbers or decimal strings.
 */
import { parseTimeframe } from "../../data/timeframe.ts";
import type { InstrumentTable } from "../../domain/instrument.ts";
import type { ReplayEvent } from "./replay_event.ts";
import {
  type BarTexts,
  type FieldText,
  fillBar,
  fillQuote,
  fillTrade,
  type RowResult,
} from "./row_values.ts";

// Stands in for a value of the wrong JSON type (true, {}, []): no number parser accepts it, so the
// row is rejected with the same reason as unparsable text, even for optional fields.
const WRONG_TYPE = "\u0000";

/** The text of a JSON value as the shared row checks take it; numbers keep their shortest digits. */
function text(v: unknown): FieldText {
  if (v === undefined || v === null) return undefined;
  if (typeof v === "string") return v.trim();
  if (typeof v === "number") return String(v);
  return WRONG_TYPE;
}

/** Parses the lines of one JSON-lines file into event slots. */
export class JsonlRows {
  readonly #bar: BarTexts = {
    timestamp: undefined,
    open: undefined,
    high: undefined,
    low: undefined,
    close: undefined,
    volume: undefined,
    vwap: undefined,
    trade_count: undefined,
  };
  readonly #timeframes = new Map<string, number>();

  /**
   * @param fileSymbol symbol of rows without a `symbol` key
   * @param barTfMicros interval of bars without a `timeframe` key, 0 while the caller infers it
   */
  constructor(
    readonly instruments: InstrumentTable,
    readonly fileSymbol: string,
    public barTfMicros: number,
  ) {}

  /** Parses one line into `ev`; returns why it was rejected, if it was. */
  parse(line: string, ev: ReplayEvent): RowResult {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      return "malformed_json";
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return "bad_shape";
    const o = parsed as Record<string, unknown>;
    if (typeof o.type !== "string") return "bad_shape";
    if (o.type !== "bar" && o.type !== "trade" && o.type !== "quote") return "unknown_type";
    const symbol = o.symbol ?? this.fileSymbol;
    if (typeof symbol !== "string") return "bad_field";
    const inst = this.instruments.get(symbol);
    if (inst === undefined) return "unknown_symbol";
    switch (o.type) {
      case "trade":
        return fillTrade(ev, inst, text(o.timestamp), text(o.price), text(o.size));
      case "quote":
        return fillQuote(
          ev,
          inst,
          text(o.timestamp),
          text(o.bid_price),
          text(o.bid_size),
          text(o.ask_price),
          text(o.ask_size),
        );
      case "bar": {
        const tf = this.#timeframe(o.timeframe);
        if (tf < 0) return "bad_field";
        const b = this.#bar;
        b.timestamp = text(o.timestamp);
        b.open = text(o.open);
        b.high = text(o.high);
        b.low = text(o.low);
        b.close = text(o.close);
        b.volume = text(o.volume);
        b.vwap = text(o.vwap);
        b.trade_count = text(o.trade_count);
        return fillBar(ev, inst, b, tf);
      }
    }
  }

  /** A row's `timeframe` in µs, the file's when absent, -1 when not a valid label. */
  #timeframe(v: unknown): number {
    if (v === undefined || v === null) return this.barTfMicros;
    if (typeof v !== "string") return -1;
    let tf = this.#timeframes.get(v);
    if (tf === undefined) {
      try {
        tf = parseTimeframe(v);
      } catch {
        return -1;
      }
      this.#timeframes.set(v, tf);
    }
    return tf;
  }
}
