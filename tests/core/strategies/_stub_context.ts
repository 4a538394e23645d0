/**
 * A hand-written StrategyContext for strategy tests: a settable clock, positions the test moves
 * (or fills from emitted signals), and every emitted signal recorded in order.
 */
import { type Instrument, makeInstrument } from "../../../core/domain/instrument.ts";
import type { Bar } from "../../../core/domain/market_events.ts";
import type { Signal } from "../../../core/domain/order.ts";
import type { BookView, PositionView, StrategyContext } from "../../../core/strategy/strategy.ts";

/** Records signals and serves positions from a map; only AAPL and BTC/USD exist. */
export class StubContext implements StrategyContext {
  time = 1_700_000_000_000_000;
  readonly signals: Signal[] = [];
  readonly positions = new Map<string, number>();
  /** Signed lots sent and not yet filled, per symbol (the fill still being journaled). */
  readonly inFlight = new Map<string, number>();
  readonly #instruments = new Map<string, Instrument>([
    ["AAPL", makeInstrument("AAPL", 0, { venue: "SIM" })],
    ["BTC/USD", makeInstrument("BTC/USD", 1, { venue: "SIM" })],
  ]);

  now(): number {
    return this.time;
  }

  instrument(symbol: string): Instrument {
    const inst = this.#instruments.get(symbol);
    if (inst === undefined) throw new Error(`unknown symbol ${symbol}`);
    return inst;
  }

  book(_symbol: string): BookView {
    throw new Error("strategies under test do not read the book");
  }

  bars(_symbol: string, _timeframe: string, _n: number): readonly Bar[] {
    return [];
  }

  position(symbol: string): PositionView {
    return { qty: this.positions.get(symbol) ?? 0, avgPrice: 0 };
  }

  /** The position plus what is in flight (a close in flight flattens it, as the kernel's does). */
  expectedPosition(symbol: string): number {
    return (this.positions.get(symbol) ?? 0) + (this.inFlight.get(symbol) ?? 0);
  }

  emit(signal: Signal): void {
    this.signals.push(signal);
  }

  /** Sends `signal` without filling it: only the expected position moves. */
  send(signal: Signal): void {
    const expected = this.expectedPosition(signal.symbol);
    const next = signal.action === "close"
      ? 0
      : expected + (signal.action === "buy" ? signal.qty : -signal.qty);
    this.inFlight.set(signal.symbol, next - (this.positions.get(signal.symbol) ?? 0));
  }

  /** Fills `signal` at once: buy/sell move the position by its qty, close flattens it. */
  fill(signal: Signal): void {
    const pos = this.positions.get(signal.symbol) ?? 0;
    const next = signal.action === "close"
      ? 0
      : pos + (signal.action === "buy" ? signal.qty : -signal.qty);
    this.positions.set(signal.symbol, next);
  }
}

/** A closed 1m bar (or of `timeframe`) of `symbol` at `close` ticks; `i` spaces the timestamps. */
export function bar(
  i: number,
  close: number,
  options: { symbol?: string; timeframe?: string; empty?: boolean } = {},
): Bar {
  const start = 1_700_000_000_000_000 + i * 60_000_000;
  const end = start + 60_000_000;
  return {
    symbol: options.symbol ?? "AAPL",
    timeframe: options.timeframe ?? "1m",
    start,
    end,
    open: close,
    high: close,
    low: close,
    close,
    volume: options.empty ? 0 : 100,
    vwap: close,
    tradeCount: options.empty ? 0 : 1,
    empty: options.empty ?? false,
    source: "aggregated",
    venueTime: end,
    recvTime: end,
  };
}

/**
 * Feeds `closes` as bars through `onBar`, advancing the clock to each bar's end; returns, for
 * each signal, the index of the bar that produced it. With `autoFill`, signals fill at once;
 * with "in_flight" they are sent and never filled (their fills still on the way).
 */
export function drive(
  ctx: StubContext,
  onBar: (ctx: StubContext, bar: Bar) => void,
  closes: readonly number[],
  autoFill: boolean | "in_flight" = false,
): number[] {
  const at: number[] = [];
  closes.forEach((c, i) => {
    const b = bar(i, c);
    ctx.time = b.end;
    const before = ctx.signals.length;
    onBar(ctx, b);
    for (let k = before; k < ctx.signals.length; k++) {
      at.push(i);
      if (autoFill === "in_flight") ctx.send(ctx.signals[k]!);
      else if (autoFill) ctx.fill(ctx.signals[k]!);
    }
  });
  return at;
}
