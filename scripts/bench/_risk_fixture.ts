// Shared setup of the risk benchmarks: a realistic account over 100 instruments (98 stocks, two
// crypto pairs), and a pre-built stream of orders that mostly pass, so every check runs.
import { riskConfigSchema } from "../../schemas/risk.ts";
import { InstrumentTable } from "../../core/domain/instrument.ts";
import { type Cash, parseCash } from "../../core/domain/money.ts";
import type { OrderRequest } from "../../core/domain/order.ts";
import { SeededRng } from "../../core/domain/seeded_rng.ts";
import { resolveRiskLimits } from "../../core/risk/limits.ts";
import { RiskEngine } from "../../core/risk/risk_engine.ts";
import type { RiskState } from "../../core/risk/risk_state.ts";
import { syntheticSymbols } from "./_stats.ts";

/** A RiskState over typed arrays, as the portfolio and order cache would hold it. */
class ArrayState implements RiskState {
  readonly pos: Float64Array;
  readonly openCount: Float64Array;
  readonly openBuy: Float64Array;
  readonly openSell: Float64Array;
  readonly mark: Float64Array;
  exposure: Cash = parseCash("150000");
  pnl: Cash = parseCash("-1234.56");
  power: Cash = parseCash("2000000");

  constructor(n: number) {
    this.pos = new Float64Array(n);
    this.openCount = new Float64Array(n);
    this.openBuy = new Float64Array(n);
    this.openSell = new Float64Array(n);
    this.mark = new Float64Array(n);
  }
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
  isMarketOpen(_symbol: string, _now: number): boolean {
    return true;
  }
}

/** The engine, its orders (a power-of-two count) and each order's instrument index. */
export interface RiskFixture {
  readonly risk: RiskEngine;
  readonly orders: readonly OrderRequest[];
  readonly insts: Int32Array;
}

/** Builds the fixture from `seed`; orders are spaced so the 1000/s rate limit rarely binds. */
export function riskFixture(seed = 1, count = 1 << 14): RiskFixture {
  const rng = new SeededRng(seed);
  const symbols = [...syntheticSymbols(98), "BTC/USD", "ETH/USD"];
  const table = new InstrumentTable(symbols, "SIM");
  const config = riskConfigSchema.parse({
    max_orders_per_second: 1000,
    symbols: {
      "BTC/USD": { max_quantity: "5", short_selling: true },
      "ETH/USD": { max_quantity: "50" },
    },
  });
  const state = new ArrayState(table.size);
  for (const inst of table.list()) {
    const i = inst.index;
    const crypto = inst.assetClass === "crypto";
    // stocks $20–$500 in $0.0001 ticks on whole cents; crypto $2,000–$60,000 in 10^-6 $
    state.mark[i] = crypto ? (2_000 + rng.int(58_000)) * 1e6 : (20 + rng.int(480)) * 10_000;
    const lot = crypto ? 10_000_000 : 1; // 0.01 coin or one share
    state.pos[i] = (rng.int(200) - 50) * lot;
    state.openCount[i] = rng.int(5);
    state.openBuy[i] = rng.int(20) * lot;
    state.openSell[i] = rng.int(20) * lot;
  }
  const orders: OrderRequest[] = [];
  const insts = new Int32Array(count);
  for (let k = 0; k < count; k++) {
    const inst = table.at(rng.int(table.size));
    const mid = state.mark[inst.index]!;
    const crypto = inst.assetClass === "crypto";
    const market = rng.next() < 0.2;
    // limit prices within ±0.5% of mid on the cent grid (stocks) or the tick (crypto)
    const off = Math.round(mid * (rng.next() - 0.5) * 0.01 / (crypto ? 1 : 100)) *
      (crypto ? 1 : 100);
    insts[k] = inst.index;
    orders.push({
      clientOrderId: `B-${k}`,
      symbol: inst.symbol,
      side: rng.next() < 0.5 ? "buy" : "sell",
      type: market ? "market" : "limit",
      tif: "day",
      qty: crypto ? (1 + rng.int(50)) * 1_000_000 : 1 + rng.int(60),
      limitPrice: market ? 0 : mid + off,
      stopPrice: 0,
      source: "bench",
      createdAt: 0,
    });
  }
  const risk = new RiskEngine(resolveRiskLimits(config, table.list()), state);
  return { risk, orders, insts };
}
