// A 1-lot AAPL buy fill at $100 for kernel tests: only its ids and execution time vary.
import type { Fill } from "../../../core/domain/order.ts";

/** Fill `id` of order `order`, executed (and received) at `venueTime`. */
export const testFill = (id: string, order: string, venueTime: number): Fill => ({
  fillId: id,
  clientOrderId: order,
  venueOrderId: `v-${order}`,
  symbol: "AAPL",
  side: "buy",
  qty: 1,
  price: 1_000_000,
  fee: 0n,
  liquidity: "taker",
  venueTime,
  recvTime: venueTime,
});
