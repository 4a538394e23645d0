/**
 * Turns a finished BacktestEngine into BacktestResults (orders, fills, daily equity, round trips,
 * metrics of the strategy and of buy and hold), and serialises results deterministically: keys
 * sorted at every level, so the same inputs and seed give a byte-identical results.json.
 */
import { formatPrice, formatQty, type InstrumentTable } from "../domain/instrument.ts";
import { cashToNumber, formatCash } from "../domain/money.ts";
import { formatRfc3339Micros } from "../domain/timestamp.ts";
import type { BacktestEngine } from "./engine.ts";
import { computeMetrics } from "./metrics.ts";
import type { BacktestResults, FillRecord, OrderRecord } from "./results.ts";
import { roundTrips, tradedNotional } from "./round_trips.ts";

/** What the run was asked to do, for the report. */
export interface RunDescription {
  readonly strategy: string;
  readonly params: Readonly<Record<string, string | number | boolean>>;
  readonly execution: Readonly<Record<string, string | number | boolean>>;
  readonly seed: number;
}

/** Collects the results of a finished run. */
export function buildResults(engine: BacktestEngine, run: RunDescription): BacktestResults {
  const { instruments } = engine.options;
  const kernel = engine.kernel;
  const fills = engine.fills();
  const trades = roundTrips(fills, instruments);
  const points = engine.ledger.points;
  const time = (t: number) => Number.isFinite(t) ? formatRfc3339Micros(t) : "";
  const startCash = cashToNumber(engine.options.startingCash);
  return {
    version: 1,
    strategy: run.strategy,
    params: run.params,
    symbols: instruments.list().map((i) => i.symbol),
    from: time(engine.first),
    to: time(engine.last),
    startingCash: formatCash(engine.options.startingCash),
    endingEquity: formatCash(kernel.portfolio.equity),
    seed: run.seed,
    execution: run.execution,
    events: engine.events,
    metrics: computeMetrics({
      equity: points,
      tradePnls: trades.map((t) => Number(t.pnl)),
      tradedNotional: cashToNumber(tradedNotional(fills, instruments)),
    }),
    benchmark: computeMetrics({
      equity: points.map((p) => ({
        date: p.date,
        equity: p.benchmark,
        grossExposure: p.benchmark,
      })),
      tradePnls: engine.ledger.benchmarkPnls(),
      tradedNotional: startCash,
    }),
    equity: points,
    positions: engine.ledger.positions,
    orders: orderRecords(engine, instruments),
    fills: fills.map((f): FillRecord => {
      const inst = instruments.get(f.symbol)!;
      return {
        fillId: f.fillId,
        clientOrderId: f.clientOrderId,
        time: formatRfc3339Micros(f.venueTime),
        symbol: f.symbol,
        side: f.side,
        qty: formatQty(inst, f.qty),
        price: formatPrice(inst, f.price),
        fee: formatCash(f.fee),
        liquidity: f.liquidity,
      };
    }),
    trades,
    refusals: Object.fromEntries(engine.refusals),
  };
}

function orderRecords(engine: BacktestEngine, instruments: InstrumentTable): OrderRecord[] {
  return engine.orders().map((q) => {
    const inst = instruments.get(q.symbol)!;
    return {
      clientOrderId: q.clientOrderId,
      time: formatRfc3339Micros(q.createdAt),
      symbol: q.symbol,
      side: q.side,
      type: q.type,
      tif: q.tif,
      qty: formatQty(inst, q.qty),
      limitPrice: q.limitPrice > 0 ? formatPrice(inst, q.limitPrice) : null,
      stopPrice: q.stopPrice > 0 ? formatPrice(inst, q.stopPrice) : null,
      status: q.status,
      filledQty: formatQty(inst, q.filledQty),
      source: q.source,
    };
  });
}

/** JSON with object keys sorted at every level and two-space indentation, newline-terminated. */
export function stableJson(value: unknown): string {
  const parts: string[] = [];
  writeJson(value, "", (s) => parts.push(s));
  return parts.join("") + "\n";
}

/**
 * Writes stableJson(value) to `path` piece by piece: a run with hundreds of thousands of orders
 * has results.json of hundreds of megabytes, and neither a sorted copy of the results nor the
 * whole text is ever held.
 */
export function writeStableJson(path: string, value: unknown): void {
  using file = Deno.openSync(path, { write: true, create: true, truncate: true });
  const enc = new TextEncoder();
  let buf = "";
  const flush = () => {
    const bytes = enc.encode(buf);
    for (let at = 0; at < bytes.length;) at += file.writeSync(bytes.subarray(at));
    buf = "";
  };
  writeJson(value, "", (s) => {
    buf += s;
    if (buf.length > 1 << 20) flush();
  });
  buf += "\n";
  flush();
}

// Keys as JSON.stringify orders an object built with them in sorted order: integer-like keys
// (array indices) first, ascending; the rest in sorted order.
const INDEX_KEY = /^(?:0|[1-9]\d{0,9})$/;
function sortedKeys(o: object): string[] {
  const keys = Object.keys(o).sort();
  if (!keys.some((k) => INDEX_KEY.test(k) && Number(k) < 2 ** 32 - 1)) return keys;
  const isIndex = (k: string) => INDEX_KEY.test(k) && Number(k) < 2 ** 32 - 1;
  return [
    ...keys.filter(isIndex).sort((a, b) => Number(a) - Number(b)),
    ...keys.filter((k) => !isIndex(k)),
  ];
}

/** `value` as JSON.stringify(value-with-sorted-keys, null, 2) writes it, to `out` in pieces. */
function writeJson(value: unknown, indent: string, out: (s: string) => void): void {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    const inner = indent + "  ";
    let first = true;
    for (const k of sortedKeys(o)) {
      const v = o[k];
      if (v === undefined || typeof v === "function" || typeof v === "symbol") continue;
      out(first ? "{\n" + inner : ",\n" + inner);
      first = false;
      out(JSON.stringify(k) + ": ");
      writeJson(v, inner, out);
    }
    out(first ? "{}" : "\n" + indent + "}");
    return;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return out("[]");
    const inner = indent + "  ";
    for (let i = 0; i < value.length; i++) {
      out(i === 0 ? "[\n" + inner : ",\n" + inner);
      const v = value[i];
      if (v === undefined || typeof v === "function" || typeof v === "symbol") out("null");
      else writeJson(v, inner, out);
    }
    return out("\n" + indent + "]");
  }
  out(JSON.stringify(value));
}
