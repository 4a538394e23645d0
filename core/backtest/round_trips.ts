/**
 * Round trips from fills: per symbol, a trip opens when the position leaves flat and closes when it
 * returns to flat. P&L is exact Cash (sells − buys − fees of the trip's fills); only the return is
 * a float. Trips still open after the last fill are not listed: their P&L is not realised yet and
 * shows in the equity curve instead.
 */
import type { Instrument, InstrumentTable } from "../domain/instrument.ts";
import { formatPrice, formatQty } from "../domain/instrument.ts";
import { type Cash, cashPerLotToTicks, divRound, formatCash, notional } from "../domain/money.ts";
import type { Fill } from "../domain/order.ts";
import { formatRfc3339Micros } from "../domain/timestamp.ts";
import type { RoundTrip } from "./results.ts";

/** A trip in progress for one symbol; quantities in lots, money in Cash. */
interface OpenTrip {
  readonly inst: Instrument;
  /** +1 long, −1 short: the side of the fill that opened it. */
  readonly sign: 1 | -1;
  readonly entryTime: number;
  /** Signed open lots; never 0 while the trip is open. */
  position: number;
  /** Largest |position| so far. */
  maxAbs: number;
  /** Lots and notional of the fills that grew the position. */
  entryQty: number;
  entryNotional: Cash;
  /** Lots and notional of the fills that shrank it. */
  exitQty: number;
  exitNotional: Cash;
  fees: Cash;
}

function instrumentOf(instruments: InstrumentTable, fill: Fill): Instrument {
  const inst = instruments.get(fill.symbol);
  if (inst === undefined) {
    throw new RangeError(
      `Cannot build round trips: fill ${fill.fillId} has unknown symbol ${fill.symbol}`,
    );
  }
  return inst;
}

function checkFill(fill: Fill): void {
  for (const field of ["qty", "price"] as const) {
    const v = fill[field];
    if (!Number.isSafeInteger(v) || v <= 0) {
      throw new RangeError(
        `Cannot build round trips: fill ${fill.fillId} '${field}' must be a positive integer, got ${v}`,
      );
    }
  }
}

function open(inst: Instrument, fill: Fill, qty: number, fee: Cash): OpenTrip {
  const sign = fill.side === "buy" ? 1 : -1;
  return {
    inst,
    sign,
    entryTime: fill.venueTime,
    position: sign * qty,
    maxAbs: qty,
    entryQty: qty,
    entryNotional: notional(inst, fill.price, qty),
    exitQty: 0,
    exitNotional: 0n,
    fees: fee,
  };
}

function grow(trip: OpenTrip, fill: Fill, fee: Cash): void {
  trip.position += trip.sign * fill.qty;
  if (!Number.isSafeInteger(trip.position)) {
    throw new RangeError(`Cannot build round trips: position in ${fill.symbol} overflows`);
  }
  trip.maxAbs = Math.max(trip.maxAbs, Math.abs(trip.position));
  trip.entryQty += fill.qty;
  trip.entryNotional += notional(trip.inst, fill.price, fill.qty);
  trip.fees += fee;
}

function shrink(trip: OpenTrip, price: number, qty: number, fee: Cash): void {
  trip.position -= trip.sign * qty;
  trip.exitQty += qty;
  trip.exitNotional += notional(trip.inst, price, qty);
  trip.fees += fee;
}

function close(trip: OpenTrip, exitTime: number, symbol: string): RoundTrip {
  const { inst } = trip;
  // Flat to flat, so the lots bought equal the lots sold and sells − buys − fees is the realised P&L.
  const gross = trip.sign > 0
    ? trip.exitNotional - trip.entryNotional
    : trip.entryNotional - trip.exitNotional;
  const pnl = gross - trip.fees;
  return {
    symbol,
    direction: trip.sign > 0 ? "long" : "short",
    qty: formatQty(inst, trip.maxAbs),
    entryTime: formatRfc3339Micros(trip.entryTime),
    exitTime: formatRfc3339Micros(exitTime),
    entryPrice: formatPrice(inst, cashPerLotToTicks(inst, trip.entryNotional, trip.entryQty)),
    exitPrice: formatPrice(inst, cashPerLotToTicks(inst, trip.exitNotional, trip.exitQty)),
    pnl: formatCash(pnl),
    // Both bigints are far below 2^1024, and each conversion is within half an ulp, so the ratio
    // is as good as a float gets; prices are > 0, so the entry notional is too.
    returnPct: Number(pnl) / Number(trip.entryNotional),
  };
}

/**
 * Walks fills in the order given (each symbol's fills in execution order) and returns the closed
 * round trips in the order they closed. A fill that crosses zero closes the trip and opens the
 * opposite one with the rest of its quantity, its fee split pro rata (rounded half away from zero
 * on the closing part; the opening part takes the exact remainder). Trips open after the last
 * fill are not listed. Throws on an unknown symbol or a non-positive quantity or price.
 * @example
 * ```ts
 * import { InstrumentTable } from "../domain/instrument.ts";
 * import { parseCash } from "../domain/money.ts";
 * import type { Fill } from "../domain/order.ts";
 * import { roundTrips } from "./round_trips.ts";
 * const table = new InstrumentTable(["AAPL"], "SIM");
 * const fill = (side: "buy" | "sell", price: number, venueTime: number): Fill => ({
 *   fillId: `f${venueTime}`, clientOrderId: "c", venueOrderId: "v", symbol: "AAPL", side,
 *   qty: 100, price, fee: parseCash("1"), liquidity: "taker", venueTime, recvTime: venueTime,
 * });
 * const [trip] = roundTrips([fill("buy", 100_000, 1), fill("sell", 105_000, 2)], table);
 * trip?.pnl; // "48.00": 1050 − 1000 − 2 of fees
 * ```
 */
export function roundTrips(fills: readonly Fill[], instruments: InstrumentTable): RoundTrip[] {
  const openTrips = new Map<string, OpenTrip>();
  const out: RoundTrip[] = [];
  for (const fill of fills) {
    checkFill(fill);
    const inst = instrumentOf(instruments, fill);
    const trip = openTrips.get(fill.symbol);
    if (trip === undefined) {
      openTrips.set(fill.symbol, open(inst, fill, fill.qty, fill.fee));
      continue;
    }
    if ((fill.side === "buy" ? 1 : -1) === trip.sign) {
      grow(trip, fill, fill.fee);
      continue;
    }
    const held = Math.abs(trip.position);
    if (fill.qty < held) {
      shrink(trip, fill.price, fill.qty, fill.fee);
      continue;
    }
    const closeFee = fill.qty === held
      ? fill.fee
      : divRound(fill.fee * BigInt(held), BigInt(fill.qty));
    shrink(trip, fill.price, held, closeFee);
    out.push(close(trip, fill.venueTime, fill.symbol));
    openTrips.delete(fill.symbol);
    if (fill.qty > held) {
      openTrips.set(fill.symbol, open(inst, fill, fill.qty - held, fill.fee - closeFee));
    }
  }
  return out;
}

/**
 * Total traded notional, Σ qty × price over every fill (buys and sells alike), exact.
 * @example
 * ```ts
 * import { InstrumentTable } from "../domain/instrument.ts";
 * import { formatCash } from "../domain/money.ts";
 * import { tradedNotional } from "./round_trips.ts";
 * const table = new InstrumentTable(["AAPL"], "SIM");
 * const base = { clientOrderId: "c", venueOrderId: "v", symbol: "AAPL", qty: 10, fee: 0n } as const;
 * const fills = [
 *   { ...base, fillId: "1", side: "buy", price: 100_000, liquidity: "taker", venueTime: 1, recvTime: 1 },
 *   { ...base, fillId: "2", side: "sell", price: 110_000, liquidity: "maker", venueTime: 2, recvTime: 2 },
 * ] as const;
 * formatCash(tradedNotional(fills, table)); // "210.00"
 * ```
 */
export function tradedNotional(fills: readonly Fill[], instruments: InstrumentTable): Cash {
  let total = 0n;
  for (const fill of fills) {
    checkFill(fill);
    total += notional(instrumentOf(instruments, fill), fill.price, fill.qty);
  }
  return total;
}
