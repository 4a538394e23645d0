/**
 * Taking liquidity from an L2 book view. Our own fills never change the feed's book, so a caller
 * that matches several of our orders in one call passes `skip`: the lots of that book side our
 * earlier orders already took in the same call, counted from the best level.
 */
import type { OrderSide } from "../domain/order.ts";
import type { BookView } from "../strategy/strategy.ts";

/** Book side an order of `side` takes from: asks (1) for a buy, bids (0) for a sell. */
export function oppositeSide(side: OrderSide): 0 | 1 {
  return side === "buy" ? 1 : 0;
}

/** True when a level at `price` is at or better than `bound` for an order of `side`. */
export function withinBound(side: OrderSide, price: number, bound: number): boolean {
  return side === "buy" ? price <= bound : price >= bound;
}

/**
 * Lots an order of `side` could take at or better than `bound`, minus `skip` already taken.
 * `bound` is ±Infinity for a market order.
 */
export function depthWithin(book: BookView, side: OrderSide, bound: number, skip: number): number {
  const bs = oppositeSide(side);
  let total = 0;
  for (let i = 0;; i++) {
    const price = book.levelPrice(bs, i);
    if (price === undefined || !withinBound(side, price, bound)) break;
    total += book.levelSize(bs, i);
  }
  return Math.max(0, total - skip);
}

/**
 * Takes up to `qty` lots for an order of `side` from the best level outwards, stopping at `bound`,
 * after skipping the first `skip` lots; calls `take(price, lots)` once per level used and returns
 * the lots taken.
 */
export function walkBook(
  book: BookView,
  side: OrderSide,
  bound: number,
  qty: number,
  skip: number,
  take: (price: number, lots: number) => void,
): number {
  const bs = oppositeSide(side);
  let left = qty, toSkip = skip;
  for (let i = 0; left > 0; i++) {
    const price = book.levelPrice(bs, i);
    if (price === undefined || !withinBound(side, price, bound)) break;
    let size = book.levelSize(bs, i);
    const skipped = Math.min(size, toSkip);
    size -= skipped;
    toSkip -= skipped;
    if (size <= 0) continue;
    const lots = Math.min(size, left);
    left -= lots;
    take(price, lots);
  }
  return qty - left;
}
