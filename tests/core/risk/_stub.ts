// Small builders shared by the risk tests: instruments, limits, a mutable RiskState and orders.
import { riskConfigSchema } from "../../../schemas/risk.ts";
import { InstrumentTable } from "../../../core/domain/instrument.ts";
import { type Cash, parseCash } from "../../../core/domain/money.ts";
import type { OrderRequest, OrderSide, OrderType } from "../../../core/domain/order.ts";
import { resolveRiskLimits, type RiskLimits } from "../../../core/risk/limits.ts";
import type { RiskState } from "../../../core/risk/risk_state.ts";

/** AAPL (index 0: ticks of $0.0001, whole shares) and BTC/USD (index 1: 10^-6 $, 10^-9 BTC). */
export const table = new InstrumentTable(["AAPL", "BTC/USD"], "SIM");
export const AAPL = 0;
export const BTC = 1;
export const aapl = table.at(AAPL);
export const btc = table.at(BTC);

/** Dollars as Cash. */
export const usd = (text: string): Cash => parseCash(text);

/** Limits from a raw `risk` config section (defaults for anything left out). */
export function limitsFor(config: unknown = {}): RiskLimits {
  return resolveRiskLimits(riskConfigSchema.parse(config), table.list());
}

/** A RiskState whose fields the test sets directly. */
export class StubState implements RiskState {
  pos = [0, 0];
  openCount = [0, 0];
  openBuy = [0, 0];
  openSell = [0, 0];
  mark = [2_500_000, 50_000_000_000]; // $250.00 and $50,000.000000
  exposure: Cash = 0n;
  pnl: Cash = 0n;
  power: Cash = usd("1000000");
  open = true;
  lastClockCall: [string, number] | null = null;

  positionQty(i: number): number {
    return this.pos[i]!;
  }
  openOrderCount(i: number): number {
    return this.openCount[i]!;
  }
  openBuyQty(i: number): number {
    return this.openBuy[i]!;
  }
  openSellQty(i: number): number {
    return this.openSell[i]!;
  }
  openOrderExposure(): Cash {
    return this.exposure;
  }
  markPrice(i: number): number {
    return this.mark[i]!;
  }
  dailyPnl(): Cash {
    return this.pnl;
  }
  buyingPower(): Cash {
    return this.power;
  }
  isMarketOpen(symbol: string, now: number): boolean {
    this.lastClockCall = [symbol, now];
    return this.open;
  }
}

/** An order with sensible defaults: a 100-lot AAPL limit buy at the stub's mark. */
export function order(
  over: {
    symbol?: string;
    side?: OrderSide;
    type?: OrderType;
    qty?: number;
    limitPrice?: number;
    stopPrice?: number;
  } = {},
): OrderRequest {
  const type = over.type ?? "limit";
  return {
    clientOrderId: "t-1",
    symbol: over.symbol ?? "AAPL",
    side: over.side ?? "buy",
    type,
    tif: "day",
    qty: over.qty ?? 100,
    limitPrice: over.limitPrice ?? (type === "limit" || type === "stop_limit" ? 2_500_000 : 0),
    stopPrice: over.stopPrice ?? 0,
    source: "test",
    createdAt: 0,
  };
}
