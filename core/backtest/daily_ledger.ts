/**
 * The backtest's end-of-day books: on the first event of each UTC day it marks every position at
 * its last price and records the account's equity, cash, gross exposure and positions for the day
 * before, beside a buy-and-hold benchmark of the same symbols (equal cash to each, bought at its
 * first price, never traded again). A new day also starts the kernel's daily P&L session, as in
 * live. Equity comes from the exact portfolio; the float figures are for reporting only.
 */
import { unitsToNumber } from "../domain/fixed_point.ts";
import { formatQty, type InstrumentTable } from "../domain/instrument.ts";
import { type Cash, cashToNumber } from "../domain/money.ts";
import { formatRfc3339Micros } from "../domain/timestamp.ts";
import type { TradingKernel } from "../kernel/trading_kernel.ts";
import type { EquityPoint } from "./results.ts";

const DAY = 86_400_000_000;

/** Daily equity, benchmark and positions of one run. */
export class DailyLedger {
  readonly points: EquityPoint[] = [];
  /** date → symbol → decimal quantity, non-flat positions at the day's end. */
  readonly positions: Record<string, Record<string, string>> = {};
  readonly #last: Float64Array;
  readonly #units: Float64Array;
  readonly #alloc: number;
  #day = NaN;
  // The current day as [start, end) in µs: one event of the day in progress costs two compares.
  #dayStart = Infinity;
  #dayEnd = -Infinity;
  /** Instruments still without a first price (the benchmark buys at it). */
  #unpriced: number;

  /** Tracks `kernel`'s account; the benchmark splits `startingCash` equally. */
  constructor(
    readonly instruments: InstrumentTable,
    readonly kernel: TradingKernel,
    startingCash: Cash,
  ) {
    const n = instruments.size;
    this.#last = new Float64Array(n);
    this.#units = new Float64Array(n).fill(NaN);
    this.#alloc = cashToNumber(startingCash) / n;
    this.#unpriced = n;
  }

  /** Notes the latest price (ticks) of instrument `inst`. */
  price(inst: number, px: number): void {
    this.#last[inst] = px;
    if (this.#unpriced !== 0) this.#firstPrice(inst, px);
  }

  #firstPrice(inst: number, px: number): void {
    if (!Number.isNaN(this.#units[inst]!) || !(px > 0)) return;
    this.#units[inst] = this.#alloc / unitsToNumber(px, this.instruments.at(inst).priceDecimals);
    this.#unpriced--;
  }

  /** Called before each event with the time that dates it; a new day closes the previous one. */
  onEvent(dayTime: number, now: number): void {
    if (dayTime >= this.#dayStart && dayTime < this.#dayEnd) return;
    const day = Math.floor(dayTime / DAY);
    if (!Number.isNaN(this.#day)) {
      if (day < this.#day) return; // a late event of an earlier day belongs to the day in progress
      this.#close();
      this.kernel.portfolio.startSession(now);
    }
    this.#day = day;
    this.#dayStart = day * DAY;
    this.#dayEnd = this.#dayStart + DAY;
  }

  /** Closes the last day. */
  close(): void {
    if (!Number.isNaN(this.#day)) this.#close();
  }

  /** The benchmark's P&L per symbol at the last prices (its "trades", one per symbol). */
  benchmarkPnls(): number[] {
    const out: number[] = [];
    for (const inst of this.instruments.list()) {
      const units = this.#units[inst.index]!;
      if (Number.isNaN(units)) continue;
      out.push(units * this.#px(inst.index) - this.#alloc);
    }
    return out;
  }

  #px(i: number): number {
    return unitsToNumber(this.#last[i]!, this.instruments.at(i).priceDecimals);
  }

  #close(): void {
    const pf = this.kernel.portfolio;
    let benchmark = 0;
    const held: Record<string, string> = {};
    for (const inst of this.instruments.list()) {
      const i = inst.index;
      if (this.#last[i]! > 0) pf.mark(inst.symbol, this.#last[i]!);
      const units = this.#units[i]!;
      benchmark += Number.isNaN(units) ? this.#alloc : units * this.#px(i);
    }
    let gross = 0;
    for (const p of pf.positions()) {
      gross += Math.abs(cashToNumber(p.marketValue));
      held[p.symbol] = formatQty(this.instruments.get(p.symbol)!, p.qty);
    }
    const date = formatRfc3339Micros(this.#day * DAY).slice(0, 10);
    if (Object.keys(held).length > 0) this.positions[date] = held;
    this.points.push({
      date,
      equity: cashToNumber(pf.equity),
      benchmark,
      cash: cashToNumber(pf.cash),
      grossExposure: gross,
    });
  }
}
