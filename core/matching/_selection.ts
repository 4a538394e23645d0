/**
 * Which of a symbol's open orders a market event reaches, already in the order they are served
 * (private to core/matching). Each returns undefined when none is reached, so a quiet tick does
 * not allocate.
 */
import {
  byLimitPriority,
  byStopPriority,
  isPendingStop,
  isRestingLimit,
  type WorkingOrder,
} from "./_working_order.ts";

/**
 * Resting limits a print at `price` went through (buy: price < limit, sell: price > limit) or,
 * with `touch`, reached, in price-time priority.
 */
export function tradedThrough(
  list: readonly WorkingOrder[],
  price: number,
  touch: boolean,
): WorkingOrder[] | undefined {
  let out: WorkingOrder[] | undefined;
  for (const w of list) {
    if (!isRestingLimit(w)) continue;
    const limit = w.req.limitPrice;
    const through = w.req.side === "buy" ? price < limit : price > limit;
    if (through || (touch && price === limit)) (out ??= []).push(w);
  }
  return out?.sort(byLimitPriority);
}

/** Untriggered stops a print at `price` elects (buy: price ≥ stop, sell: price ≤ stop), in trigger order. */
export function stopsHit(list: readonly WorkingOrder[], price: number): WorkingOrder[] | undefined {
  let out: WorkingOrder[] | undefined;
  for (const w of list) {
    if (!isPendingStop(w)) continue;
    const stop = w.req.stopPrice;
    if (w.req.side === "buy" ? price >= stop : price <= stop) (out ??= []).push(w);
  }
  return out?.sort(byStopPriority);
}

/**
 * Resting limits the top of book now crosses (buy limit ≥ best ask, sell limit ≤ best bid; an
 * empty side, price 0, crosses nothing), in price-time priority.
 */
export function crossedBy(
  list: readonly WorkingOrder[],
  bestBid: number,
  bestAsk: number,
): WorkingOrder[] | undefined {
  let out: WorkingOrder[] | undefined;
  for (const w of list) {
    if (!isRestingLimit(w)) continue;
    const limit = w.req.limitPrice;
    const crosses = w.req.side === "buy"
      ? bestAsk > 0 && limit >= bestAsk
      : bestBid > 0 && limit <= bestBid;
    if (crosses) (out ??= []).push(w);
  }
  return out?.sort(byLimitPriority);
}
