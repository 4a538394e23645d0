/**
 * A trailing stop's arithmetic, in exact integer ticks: the water mark it trails (the highest
 * print since submission for a sell, the lowest for a buy) and the stop price that mark gives.
 * Alpaca: "If you set [trail_price] to 2.00 for a sell trailing stop, the stop price is always
 * hwm - 2.00"; "[trail_percent] 1.0 for a sell trailing stop, the stop price is always hwm * 0.99"
 * (docs.alpaca.markets/docs/orders-at-alpaca § Trailing Stop Orders).
 */
import { parseScaled, pow10 } from "../../core/domain/fixed_point.ts";
import { type Instrument, tickSizeAt } from "../../core/domain/instrument.ts";
import type { OrderSide } from "../../core/domain/order.ts";

/** Decimals a trail_percent may have: the percent math works in 10^-4 %. */
export const TRAIL_PERCENT_DECIMALS = 4;

/** True when a print at `price` moves the water mark `mark` (0: none yet) of a `side` stop. */
export function movesMark(side: OrderSide, mark: number, price: number): boolean {
  return mark === 0 || (side === "sell" ? price > mark : price < mark);
}

/**
 * The stop price, in ticks, of a `side` trailing stop at water mark `mark`: mark ∓ `trailPrice`,
 * or mark × (1 ∓ `trailPercent` / 100) computed exactly and rounded to the nearest tick.
 * @example
 * ```ts
 * import { makeInstrument } from "../../core/domain/instrument.ts";
 * import { trailingStopPrice } from "./trailing_stop.ts";
 * const aapl = makeInstrument("AAPL", 0, { venue: "ALPACA" });
 * trailingStopPrice(aapl, "sell", 1_020_000, { trailPercent: 1.5 }); // 1_004_700 (100.47)
 * ```
 */
export function trailingStopPrice(
  inst: Instrument,
  side: OrderSide,
  mark: number,
  trail: { readonly trailPrice?: number; readonly trailPercent?: number },
): number {
  const sell = side === "sell";
  if (trail.trailPrice !== undefined) {
    return sell ? mark - trail.trailPrice : mark + trail.trailPrice;
  }
  const hundred = 100n * BigInt(pow10(TRAIL_PERCENT_DECIMALS));
  const p = BigInt(
    parseScaled(String(trail.trailPercent), TRAIL_PERCENT_DECIMALS, "trail_percent"),
  );
  const scaled = BigInt(mark) * (sell ? hundred - p : hundred + p); // the stop × hundred
  const tick = BigInt(tickSizeAt(inst, Number(scaled / hundred)));
  const d = hundred * tick;
  return Number((2n * scaled + d) / (2n * d) * tick); // nearest tick, halves up
}
