/**
 * The kernel's books: its orders, its portfolio and the working-order exposure, read by pre-trade
 * risk through RiskState. The trading kernel (trading_kernel.ts) builds on them and is the only
 * thing that changes them.
 */
import type { Cash } from "../domain/money.ts";
import { OrderManager } from "../execution/order_manager.ts";
import { Portfolio } from "../portfolio/portfolio.ts";
import type { RiskState } from "../risk/risk_state.ts";
import { Exposure } from "./exposure.ts";
import type { KernelDeps } from "./kernel_deps.ts";
import { markPrice } from "./market_prices.ts";

/** Orders, portfolio and exposure, as risk reads them. */
export class KernelBooks implements RiskState {
  readonly orders = new OrderManager();
  readonly portfolio: Portfolio;
  /** Positions and working quantities per instrument, and reserved cash. */
  protected readonly exposure: Exposure;

  /** Empty books for `deps.instruments`, with `deps.startingCash`. */
  constructor(readonly deps: KernelDeps) {
    this.exposure = new Exposure(deps.instruments.size);
    this.portfolio = new Portfolio(deps.instruments, deps.startingCash);
  }

  /** Signed position in lots. */
  positionQty(inst: number): number {
    return this.exposure.positionQty[inst]!;
  }

  /** Working orders of the instrument. */
  openOrderCount(inst: number): number {
    return this.orders.openCount(this.deps.instruments.at(inst).symbol);
  }

  /** Lots still working on buy orders. */
  openBuyQty(inst: number): number {
    return this.exposure.openBuy[inst]!;
  }

  /** Lots still working on sell orders. */
  openSellQty(inst: number): number {
    return this.exposure.openSell[inst]!;
  }

  /** Cash reserved by working buy orders at their limit (or the mark). */
  openOrderExposure(): Cash {
    return this.exposure.reservedCash;
  }

  /** Mid of the book (or of the last quote) in ticks, rounded; else the last trade; else 0. */
  markPrice(inst: number): number {
    return markPrice(this.deps.market, inst);
  }

  /** Realized + unrealized P&L since the session start. */
  dailyPnl(): Cash {
    return this.portfolio.dailyPnl;
  }

  /** Cash available (no margin). */
  buyingPower(): Cash {
    return this.portfolio.cash;
  }

  /** The venue's trading hours. */
  isMarketOpen(symbol: string, now: number): boolean {
    return this.deps.isMarketOpen(symbol, now);
  }
}
