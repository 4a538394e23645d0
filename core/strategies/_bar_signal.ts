/** The signal a bar-driven built-in strategy emits: market, or limit at the bar's close for entries. */
import type { Bar } from "../domain/market_events.ts";
import type { Signal } from "../domain/order.ts";
import type { StrategyContext } from "../strategy/strategy.ts";

/** Emits `action` for `qty` lots on `bar`'s symbol; closes always go as market orders (getting out must not wait). */
export function emitBarSignal(
  ctx: StrategyContext,
  strategyId: string,
  orderType: "market" | "limit",
  bar: Bar,
  action: Signal["action"],
  qty: number,
): void {
  const limit = orderType === "limit" && action !== "close";
  ctx.emit({
    strategyId,
    symbol: bar.symbol,
    action,
    confidence: 1,
    qty,
    targetNotional: 0n,
    orderType: limit ? "limit" : "market",
    limitPrice: limit ? bar.close : 0,
    time: ctx.now(),
  });
}
