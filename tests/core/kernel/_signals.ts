// Signals the kernel tests send, and the time they start at.
import type { Signal } from "../../../core/domain/order.ts";

export const T0 = 1_704_205_800_000_000; // 2024-01-02T14:30:00Z

/** A strategy's buy signal for `qty` lots of AAPL. */
export const buy = (
  qty: number,
  orderType: "market" | "limit" = "market",
  limitPrice = 0,
): Signal => ({
  strategyId: "test",
  symbol: "AAPL",
  action: "buy",
  confidence: 1,
  qty,
  targetNotional: 0n,
  orderType,
  limitPrice,
  time: T0,
});
