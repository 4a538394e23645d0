/**
 * Checks one row's field texts and writes them, in integer units, into a ReplayEvent slot. Shared
 * by the CSV and JSON-lines readers so both formats accept and reject exactly the same values.
 */
import type { DecodeErrorReason } from "../../data/ring_layout.ts";
import { pow10 } from "../../domain/fixed_point.ts";
import type { Instrument } from "../../domain/instrument.ts";
import { parseTimestampMicros } from "../../domain/timestamp.ts";
import { decimalToUnits } from "../../domain/decimal_units.ts";
import { EventKind, type ReplayEvent } from "./replay_event.ts";

/** Undefined when the row was written into the slot, else the reason it was rejected. */
export type RowResult = DecodeErrorReason | undefined;

/** A field's text; undefined or "" when the row does not have it. */
export type FieldText = string | undefined;

// Plain decimal or scientific notation; Number() alone would also take "0x1f" or "Infinity".
const NUMBER_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

const price = (inst: Instrument, t: FieldText) =>
  t === undefined ? NaN : decimalToUnits(t, inst.priceDecimals);
const qty = (inst: Instrument, t: FieldText) =>
  t === undefined ? NaN : decimalToUnits(t, inst.qtyDecimals);

/** Epoch µs of an ISO 8601 / RFC 3339 or epoch-milliseconds text; NaN when malformed. */
export function timestampOf(text: FieldText): number {
  if (text === undefined) return NaN;
  const us = parseTimestampMicros(text.trim());
  return Number.isSafeInteger(us) ? us : NaN;
}

/** Writes a trade; rejects a non-positive price or a negative size. */
export function fillTrade(
  ev: ReplayEvent,
  inst: Instrument,
  ts: FieldText,
  px: FieldText,
  sz: FieldText,
): RowResult {
  const t = timestampOf(ts);
  if (Number.isNaN(t)) return "bad_timestamp";
  const p = price(inst, px), s = qty(inst, sz);
  if (!(p > 0) || !(s >= 0)) return "bad_field";
  ev.kind = EventKind.Trade;
  ev.inst = inst.index;
  ev.ts = ev.at = t;
  ev.price = p;
  ev.size = s;
  return undefined;
}

/**
 * Writes a quote; rejects negative values and a zero price on a side that has size. A side with
 * neither price nor size is an empty book side (a one-sided market) and is kept.
 */
export function fillQuote(
  ev: ReplayEvent,
  inst: Instrument,
  ts: FieldText,
  bidPx: FieldText,
  bidSz: FieldText,
  askPx: FieldText,
  askSz: FieldText,
): RowResult {
  const t = timestampOf(ts);
  if (Number.isNaN(t)) return "bad_timestamp";
  const bp = price(inst, bidPx),
    bs = qty(inst, bidSz),
    ap = price(inst, askPx),
    as = qty(inst, askSz);
  if (!(bp >= 0 && bs >= 0 && ap >= 0 && as >= 0)) return "bad_field";
  if ((bp === 0 && bs > 0) || (ap === 0 && as > 0)) return "bad_field";
  ev.kind = EventKind.Quote;
  ev.inst = inst.index;
  ev.ts = ev.at = t;
  ev.bidPx = bp;
  ev.bidSz = bs;
  ev.askPx = ap;
  ev.askSz = as;
  return undefined;
}

/** Bar fields as texts, in file column names. */
export interface BarTexts {
  timestamp: FieldText;
  open: FieldText;
  high: FieldText;
  low: FieldText;
  close: FieldText;
  volume: FieldText;
  vwap: FieldText;
  trade_count: FieldText;
}

/**
 * Writes a bar starting at its timestamp with interval `tfMicros` (0 while still unknown);
 * rejects non-positive prices, negative volume, high < low, a bad vwap or trade count.
 */
export function fillBar(
  ev: ReplayEvent,
  inst: Instrument,
  f: BarTexts,
  tfMicros: number,
): RowResult {
  const t = timestampOf(f.timestamp);
  if (Number.isNaN(t)) return "bad_timestamp";
  const o = price(inst, f.open),
    h = price(inst, f.high),
    l = price(inst, f.low),
    c = price(inst, f.close);
  const v = qty(inst, f.volume);
  if (!(o > 0 && h > 0 && l > 0 && c > 0 && v >= 0) || h < l) return "bad_field";
  let vwap = (o + h + l + c) / 4;
  if (f.vwap !== undefined && f.vwap !== "") {
    // vwap is an average, not an exact price: a float in price units is what the sink takes.
    if (!NUMBER_RE.test(f.vwap)) return "bad_field";
    vwap = Number(f.vwap) * pow10(inst.priceDecimals);
    if (!(vwap > 0) || !Number.isFinite(vwap)) return "bad_field";
  }
  let count = 0;
  if (f.trade_count !== undefined && f.trade_count !== "") {
    count = NUMBER_RE.test(f.trade_count) ? Number(f.trade_count) : NaN;
    if (!Number.isSafeInteger(count) || count < 0) return "bad_field";
  }
  ev.kind = EventKind.Bar;
  ev.inst = inst.index;
  ev.ts = t;
  ev.at = t + tfMicros;
  ev.tfMicros = tfMicros;
  ev.open = o;
  ev.high = h;
  ev.low = l;
  ev.close = c;
  ev.volume = v;
  ev.vwap = vwap;
  ev.count = count;
  return undefined;
}
