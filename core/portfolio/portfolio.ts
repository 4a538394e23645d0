/**
 * Cash, positions and equity of one account, all exact Cash (bigint). Fills move cash by their
 * notional and fee and update the instrument's Position; marks revalue positions. Because every
 * step is exact, equity = starting cash + realized + unrealized − fees holds without drift.
 */
import type { Instrument, InstrumentTable } from "../domain/instrument.ts";
import type { Cash } from "../domain/money.ts";
import type { Fill } from "../domain/order.ts";
import { Position, type PositionSnapshot } from "./position.ts";

/** Account-wide figures at the current marks. */
export interface PortfolioTotals {
  readonly cash: Cash;
  /** Cash + Σ market value (shorts count negative). */
  readonly equity: Cash;
  /** Σ realized P&L before fees. */
  readonly realized: Cash;
  /** Σ unrealized P&L at the last marks. */
  readonly unrealized: Cash;
  /** Σ fees paid. */
  readonly fees: Cash;
  /** Equity − equity at the session start: realized + unrealized change − fees since then. */
  readonly dailyPnl: Cash;
}

/** A portfolio's whole state (Portfolio.state). */
export interface PortfolioState {
  readonly cash: Cash;
  readonly sessionStart: number | undefined;
  readonly sessionStartEquity: Cash;
  readonly positions: readonly PositionSnapshot[];
}

/**
 * The account: cash and one Position per instrument of the table.
 * @example
 * ```ts
 * import { InstrumentTable } from "../domain/instrument.ts";
 * import { formatCash, parseCash } from "../domain/money.ts";
 * import { Portfolio } from "./portfolio.ts";
 * const pf = new Portfolio(new InstrumentTable(["AAPL"], "SIM"), parseCash("10000"));
 * pf.applyFill({
 *   fillId: "f1", clientOrderId: "c1", venueOrderId: "v1", symbol: "AAPL", side: "buy",
 *   qty: 100, price: 100_000, fee: parseCash("1"), liquidity: "taker", venueTime: 0, recvTime: 0,
 * });
 * pf.mark("AAPL", 101_000);
 * formatCash(pf.totals().equity); // "10099.00"
 * ```
 */
export class Portfolio {
  readonly #instruments: InstrumentTable;
  readonly #positions: Position[];
  #cash: Cash;
  #sessionStartEquity: Cash;
  #sessionStart: number | undefined = undefined;
  // Equity as last computed; undefined after a fill or mark. Risk reads it on every check and
  // the kill switch on every fill, far more often than it changes in a backtest.
  #equity: Cash | undefined = undefined;

  /** Starts flat with `startingCash`; daily P&L counts from here until startSession is called. */
  constructor(instruments: InstrumentTable, startingCash: Cash) {
    this.#instruments = instruments;
    this.#positions = instruments.list().map((inst) => new Position(inst));
    this.#cash = startingCash;
    this.#sessionStartEquity = startingCash;
  }

  #instrument(symbol: string, what: string): Instrument {
    const inst = this.#instruments.get(symbol);
    if (inst === undefined) {
      throw new RangeError(`Cannot ${what}: symbol ${JSON.stringify(symbol)} is not traded`);
    }
    return inst;
  }

  #position(symbol: string, what: string): Position {
    return this.#positions[this.#instrument(symbol, what).index]!;
  }

  /** Books one execution: cash −= notional for buys, += for sells, −= fee; updates the position. */
  applyFill(fill: Fill): void {
    const pos = this.#position(fill.symbol, "apply fill");
    // Position validates qty and price before anything changes, so cash moves only after it.
    const flow = pos.applyFill(fill.side, fill.qty, fill.price, fill.fee);
    this.#cash -= fill.fee === 0n ? flow : flow + fill.fee;
    this.#equity = undefined;
  }

  /** Revalues `symbol` at `priceTicks` (e.g. last trade or mid). */
  mark(symbol: string, priceTicks: number): void {
    this.#position(symbol, "mark").mark(priceTicks);
    this.#equity = undefined;
  }

  /** A read-only snapshot of the position in `symbol` (flat ones included). */
  position(symbol: string): PositionSnapshot {
    return this.#position(symbol, "read position").snapshot();
  }

  /**
   * Quantity and average price of instrument `inst` as strategies see them: the quantity at once,
   * the average price (a bigint division) only if read. Cheaper than position() on hot paths.
   */
  view(inst: number): { readonly qty: number; readonly avgPrice: number } {
    return new PositionView(this.#positions[inst]!);
  }

  /** Everything the portfolio holds, for a journal checkpoint: flat positions with P&L too. */
  state(): PortfolioState {
    return {
      cash: this.#cash,
      sessionStart: this.#sessionStart,
      sessionStartEquity: this.#sessionStartEquity,
      positions: this.#positions
        .filter((p) => p.qty !== 0 || p.realized !== 0n || p.fees !== 0n || p.markPrice !== 0)
        .map((p) => p.snapshot()),
    };
  }

  /** Puts back what state() returned. */
  restore(state: PortfolioState): void {
    this.#cash = state.cash;
    this.#sessionStart = state.sessionStart;
    this.#sessionStartEquity = state.sessionStartEquity;
    for (const p of state.positions) this.#position(p.symbol, "restore").restore(p);
    this.#equity = undefined;
  }

  /** Snapshots of every non-flat position, in instrument order. */
  positions(): PositionSnapshot[] {
    return this.#positions.filter((p) => p.qty !== 0).map((p) => p.snapshot());
  }

  /** Cash now (exact). */
  get cash(): Cash {
    return this.#cash;
  }

  /** Cash + Σ market value at the last marks. */
  get equity(): Cash {
    if (this.#equity !== undefined) return this.#equity;
    let equity = this.#cash;
    for (const p of this.#positions) equity += p.marketValue();
    return this.#equity = equity;
  }

  /** Equity − equity at the session start (totals().dailyPnl without the other sums). */
  get dailyPnl(): Cash {
    return this.equity - this.#sessionStartEquity;
  }

  /** Account-wide cash, equity, P&L and fees at the last marks. */
  totals(): PortfolioTotals {
    let marketValue = 0n, realized = 0n, unrealized = 0n, fees = 0n;
    for (const p of this.#positions) {
      marketValue += p.marketValue();
      realized += p.realized;
      unrealized += p.unrealized();
      fees += p.fees;
    }
    const equity = this.#cash + marketValue;
    return {
      cash: this.#cash,
      equity,
      realized,
      unrealized,
      fees,
      dailyPnl: equity - this.#sessionStartEquity,
    };
  }

  /**
   * Starts a trading day at `now` (epoch µs, usually from sessionStartMicros): daily P&L counts
   * from `equity` (default: the equity at the current marks; mark positions first).
   */
  startSession(now: number, equity: Cash = this.equity): void {
    this.#sessionStart = now;
    // A restart inside a session passes the equity journaled at its start, so a restart does not
    // reset the day's P&L (and with it the daily-loss limit).
    this.#sessionStartEquity = equity;
  }

  /** Epoch µs passed to the last startSession, or undefined before the first. */
  get sessionStart(): number | undefined {
    return this.#sessionStart;
  }

  /** Equity at the last startSession (starting cash before the first). */
  get sessionStartEquity(): Cash {
    return this.#sessionStartEquity;
  }
}

// A class, not an object literal with a getter: literals with accessors are slow to create.
class PositionView {
  readonly qty: number;
  readonly #position: Position;
  constructor(position: Position) {
    this.qty = position.qty;
    this.#position = position;
  }
  get avgPrice(): number {
    return this.#position.avgPrice;
  }
}
