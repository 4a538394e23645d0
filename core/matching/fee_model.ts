/**
 * Fee models for simulated fills. A fee model prices one fill; it is called once per fill, so a
 * minimum applies per fill, not per order (an order filled in three pieces pays three minimums,
 * as at venues that bill each execution separately). Brokers that bill a minimum per order are
 * served by orderMinimumFee, which the caller applies across an order's fills.
 */
import type { Instrument } from "../domain/instrument.ts";
import { applyBps, type Cash, divRound, notional } from "../domain/money.ts";
import type { Fill } from "../domain/order.ts";

/** Which side of the trade the fill was: resting (maker) or crossing (taker). */
export type Liquidity = Fill["liquidity"];

/** The fee in exact Cash for one fill of `qty` lots at `price` ticks of `inst`. */
export type FeeModel = (inst: Instrument, qty: number, price: number, liquidity: Liquidity) => Cash;

/** Charges nothing: the engine's default. */
export const zeroFee: FeeModel = (): Cash => 0n;

/**
 * Charges `perShare` Cash per whole unit of the base asset (one share, one BTC), rounded half away
 * from zero to the Cash unit when a fill holds a fraction of a unit.
 * @example
 * ```ts
 * import { makeInstrument } from "../domain/instrument.ts";
 * import { parseCash } from "../domain/money.ts";
 * import { perShareFee } from "./fee_model.ts";
 * const aapl = makeInstrument("AAPL", 0, { venue: "SIM" });
 * perShareFee(parseCash("0.005"))(aapl, 100, 1_872_500, "taker"); // parseCash("0.5")
 * ```
 */
export function perShareFee(perShare: Cash): FeeModel {
  return (inst, qty) => divRound(perShare * BigInt(qty), 10n ** BigInt(inst.qtyDecimals));
}

/**
 * Charges basis points of the fill's notional; makers may pay a different rate (negative for a
 * rebate). Rounded half away from zero to the Cash unit by applyBps.
 * @example
 * ```ts
 * import { makeInstrument } from "../domain/instrument.ts";
 * import { bpsFee } from "./fee_model.ts";
 * const btc = makeInstrument("BTC/USD", 0, { venue: "SIM" });
 * bpsFee(25, 15)(btc, 1_000_000_000, 60_000_000_000, "taker"); // 150 USD in Cash
 * ```
 */
export function bpsFee(takerBps: number, makerBps: number = takerBps): FeeModel {
  return (inst, qty, price, liquidity) =>
    applyBps(notional(inst, price, qty), liquidity === "maker" ? makerBps : takerBps);
}

/** Wraps `model` so that every fill pays at least `minPerFill`. */
export function withMinimum(model: FeeModel, minPerFill: Cash): FeeModel {
  return (inst, qty, price, liquidity) => {
    const fee = model(inst, qty, price, liquidity);
    return fee < minPerFill ? minPerFill : fee;
  };
}

/** Adds the fees of several models (e.g. a per-share commission plus a bps regulatory fee). */
export function sumFees(...models: readonly FeeModel[]): FeeModel {
  return (inst, qty, price, liquidity) => {
    let total = 0n;
    for (const m of models) total += m(inst, qty, price, liquidity);
    return total;
  };
}

/**
 * The fee to charge on an order's latest fill so that the order's fees so far total
 * max(`computedTotal`, `minPerOrder`), where `computedTotal` is the model's fees of all its fills
 * including this one and `chargedSoFar` what its earlier fills were charged. The first fill thus
 * carries the top-up to the minimum and later fills pay only what the computed fees exceed it by,
 * so however an order is split its total is exact.
 * @example
 * ```ts
 * import { parseCash } from "../domain/money.ts";
 * import { orderMinimumFee } from "./fee_model.ts";
 * const min = parseCash("1");
 * orderMinimumFee(parseCash("0.3"), 0n, min); // parseCash("1"): the first fill pays the minimum
 * orderMinimumFee(parseCash("0.6"), min, min); // 0n: the order is still under its minimum
 * orderMinimumFee(parseCash("1.2"), min, min); // parseCash("0.2"): only the excess
 * ```
 */
export function orderMinimumFee(computedTotal: Cash, chargedSoFar: Cash, minPerOrder: Cash): Cash {
  return (computedTotal > minPerOrder ? computedTotal : minPerOrder) - chargedSoFar;
}
