/**
 * Runs strategies inside the engine: one StrategyContext per strategy (read-only views of books,
 * bars and positions, the engine clock, and `emit`), and dispatch of market events to the
 * strategies that trade the event's symbol. A throwing strategy is counted and logged; it does
 * not stop the others or the engine.
 */
import type { Bus } from "../bus/bus.ts";
import type { Clock, TimerId } from "../clock/clock.ts";
import type { MarketEngine } from "../data/market_engine.ts";
import type { Instrument, InstrumentTable } from "../domain/instrument.ts";
import type { Bar } from "../domain/market_events.ts";
import type { Fill, Signal } from "../domain/order.ts";
import type { PositionView, Strategy, StrategyContext } from "../strategy/strategy.ts";

/** What the host needs from the kernel. */
export interface StrategyHostDeps {
  readonly instruments: InstrumentTable;
  readonly market: MarketEngine;
  readonly bus: Bus;
  readonly clock: Clock;
  /** Signed position in lots and average price of instrument `inst`. */
  readonly position: (inst: number) => PositionView;
  /** Lots of `inst` once orders in flight finish (StrategyContext.expectedPosition). */
  readonly expectedPosition: (inst: number) => number;
  /** Receives every emitted signal. */
  readonly onSignal: (signal: Signal) => void;
  readonly log: (line: string) => void;
}

/** Hosts strategies and feeds them market events and fills. */
export class StrategyHost {
  readonly #byInst: Strategy[][];
  readonly #ctx = new Map<Strategy, StrategyContext>();
  readonly #timers: TimerId[] = [];
  readonly #wantsFills: boolean;
  /** Exceptions thrown by strategy hooks. */
  errors = 0;
  /** The message of the last exception, for callers that must not carry on after one. */
  lastError = "";
  /** What each strategy warmed up on at start, per symbol (see StrategyWarmup). */
  readonly warmups: Array<
    { strategy: string; symbol: string; timeframe: string; wanted: number; fed: number }
  > = [];
  /** Signals emitted on warm-up bars: dropped, they answer bars of the past. */
  warmupSignals = 0;
  /** Exceptions thrown on warm-up bars (logged; the strategy still trades). */
  warmupErrors = 0;

  /** Registers `strategies`; a strategy naming an unknown symbol is refused. */
  constructor(readonly deps: StrategyHostDeps, readonly strategies: readonly Strategy[]) {
    this.#byInst = deps.instruments.list().map(() => []);
    const ids = new Set<string>();
    for (const s of strategies) {
      if (ids.has(s.id)) throw new RangeError(`Duplicate strategy id '${s.id}'`);
      ids.add(s.id);
      for (const symbol of s.symbols) {
        const inst = deps.instruments.get(symbol);
        if (inst === undefined) {
          throw new RangeError(`Strategy '${s.id}' trades '${symbol}', which is not configured`);
        }
        this.#byInst[inst.index]!.push(s);
      }
      this.#ctx.set(s, this.#context(s));
    }
    this.#wantsFills = strategies.some((s) => s.onFill !== undefined);
  }

  /** Subscribes to market topics, calls onStart and starts strategy timers. */
  start(): void {
    const { bus, instruments } = this.deps;
    // Subscribe only to topics some strategy handles: a bus subscriber makes the engine build a
    // message object for every event of that topic.
    const wants = (hook: "onTrade" | "onQuote" | "onBar") =>
      this.strategies.some((s) => s[hook] !== undefined);
    if (wants("onTrade")) {
      bus.subscribe("market.trade", (t) => {
        for (const s of this.#byInst[instruments.get(t.symbol)!.index]!) {
          if (s.onTrade) {
            this.#call(s, () => s.onTrade!(this.#ctx.get(s)!, t));
          }
        }
      });
    }
    if (wants("onQuote")) {
      bus.subscribe("market.quote", (q) => {
        for (const s of this.#byInst[instruments.get(q.symbol)!.index]!) {
          if (s.onQuote) {
            this.#call(s, () => s.onQuote!(this.#ctx.get(s)!, q));
          }
        }
      });
    }
    if (wants("onBar")) {
      // Bars are the backtest's hot path: per-instrument lists of (strategy, context) built once,
      // and no closure per call.
      const byInst = this.#byInst.map((list) =>
        list.filter((s) => s.onBar !== undefined).map((s) => ({ s, ctx: this.#ctx.get(s)! }))
      );
      let lastSymbol = "", last = byInst[0] ?? [];
      bus.subscribe("market.bar", (b) => {
        if (b.symbol !== lastSymbol) {
          last = byInst[instruments.get(b.symbol)!.index]!;
          lastSymbol = b.symbol;
        }
        const list = last;
        for (let i = 0; i < list.length; i++) {
          const { s, ctx } = list[i]!;
          try {
            s.onBar!(ctx, b);
          } catch (e) {
            this.#failed(s, e);
          }
        }
      });
    }
    for (const s of this.strategies) {
      if (s.onStart) this.#call(s, () => s.onStart!(this.#ctx.get(s)!));
      this.#warmUp(s);
      if (s.onTimer && s.timerMs !== undefined && s.timerMs > 0) {
        this.#timers.push(
          this.deps.clock.setInterval(
            s.timerMs,
            () => this.#call(s, () => s.onTimer!(this.#ctx.get(s)!, this.deps.clock.nowMicros())),
          ),
        );
      }
    }
  }

  /** Stops strategy timers. */
  stop(): void {
    for (const t of this.#timers) this.deps.clock.clearTimer(t);
  }

  /** Hands a fill to the strategies trading its symbol (the order's source first). */
  onFill(fill: Fill): void {
    if (!this.#wantsFills) return;
    const inst = this.deps.instruments.get(fill.symbol);
    if (inst === undefined) return;
    for (const s of this.#byInst[inst.index]!) {
      if (s.onFill) {
        this.#call(s, () => s.onFill!(this.#ctx.get(s)!, fill));
      }
    }
  }

  /**
   * Feeds `s` the closed bars its warm-up asks for that the market engine holds (the live node
   * loads them from the venue first; a backtest holds none), through a context whose emit drops.
   */
  #warmUp(s: Strategy): void {
    const w = s.warmup;
    if (w === undefined || s.onBar === undefined || !(w.bars > 0)) return;
    const ctx = this.#ctx.get(s)!;
    const quiet: StrategyContext = { ...ctx, emit: () => void this.warmupSignals++ };
    for (const symbol of s.symbols) {
      const inst = this.deps.instruments.get(symbol)!.index;
      const bars = this.deps.market.bars(inst, w.timeframe, w.bars) ?? [];
      for (const bar of bars) {
        try {
          s.onBar(quiet, bar);
        } catch (e) {
          // Counted apart from `errors`, which refuse a strategy that cannot start: a bad
          // historical bar is no reason not to trade.
          this.warmupErrors++;
          this.deps.log(
            `strategy ${s.id} failed on a warm-up bar: ${
              e instanceof Error ? e.message : String(e)
            }`,
          );
        }
      }
      this.warmups.push({
        strategy: s.id,
        symbol,
        timeframe: w.timeframe,
        wanted: w.bars,
        fed: bars.length,
      });
    }
  }

  #call(s: Strategy, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.#failed(s, e);
    }
  }

  #failed(s: Strategy, e: unknown): void {
    this.errors++;
    this.lastError = e instanceof Error ? e.message : String(e);
    this.deps.log(`strategy ${s.id} failed: ${e instanceof Error ? e.message : String(e)}`);
  }

  #context(s: Strategy): StrategyContext {
    const { instruments, market, clock, onSignal } = this.deps;
    const inst = (symbol: string): Instrument => {
      const i = instruments.get(symbol);
      if (i === undefined) throw new RangeError(`Strategy '${s.id}': unknown symbol '${symbol}'`);
      return i;
    };
    const empty: readonly Bar[] = [];
    return {
      now: () => clock.nowMicros(),
      instrument: inst,
      book: (symbol) => market.books[inst(symbol).index]!,
      bars: (symbol, timeframe, n) => market.bars(inst(symbol).index, timeframe, n) ?? empty,
      position: (symbol) => this.deps.position(inst(symbol).index),
      expectedPosition: (symbol) => this.deps.expectedPosition(inst(symbol).index),
      emit: (signal) => onSignal(signal),
    };
  }
}
