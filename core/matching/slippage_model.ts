/**
 * Slippage for simulated taker fills on bar, quote and trade data, in exact integer math. Every
 * model is adverse (buys pay more, sells receive less) and the result is rounded away from the
 * trader's favour onto the instrument's tick, so a fill price is always a price the venue could
 * print. Rates arrive as decimal numbers from config and are turned into integers once (bps to
 * 10^-4 bps, shares to parts per million), as applyBps does for fees; after that no float touches
 * a price.
 */
import { type Instrument, tickSizeAt } from "../domain/instrument.ts";
import type { OrderSide } from "../domain/order.ts";

/**
 * How much worse than the reference price a taker fill lands.
 * - `none`: at the reference price (bar open, trade price, or the touch of a quote).
 * - `fixed_bps`: `bps` basis points beyond the reference price.
 * - `spread_share`: `share` of the spread beyond the mid; 0.5 fills at the touch. Quotes bring
 *   their spread; bars and trades have none, so the reference price is taken as the mid and the
 *   spread as `assumedSpreadBps` of it (a one-sided quote is treated the same way).
 * - `volume`: linear impact, `bpsAtFullVolume` × fill qty / volume of the bar (quote size, trade
 *   size), capped at `maxBps` (default `bpsAtFullVolume`); no volume at all pays the cap.
 */
export type SlippageModel =
  | { readonly kind: "none" }
  | { readonly kind: "fixed_bps"; readonly bps: number }
  | { readonly kind: "spread_share"; readonly share: number; readonly assumedSpreadBps: number }
  | { readonly kind: "volume"; readonly bpsAtFullVolume: number; readonly maxBps?: number };

/** The model that never slips: the default. */
export const NO_SLIPPAGE: SlippageModel = Object.freeze({ kind: "none" });

// Basis points are carried as integers of 10^-4 bps, so a price multiplier is (BPS_ONE ± k) / BPS_ONE.
const BPS_SCALE = 10_000;
const BPS_ONE = 100_000_000n; // 10,000 bps × BPS_SCALE
const PPM = 1_000_000; // shares are carried as parts per million

/** Throws when `model` holds a rate that is not finite, negative, or would push a price to zero or below. */
export function assertSlippage(model: SlippageModel): void {
  const bps = (name: string, v: number): void => {
    if (!Number.isFinite(v) || v < 0 || v >= 10_000) {
      throw new RangeError(`slippage '${name}' must be in [0, 10000) bps, got ${v}`);
    }
  };
  switch (model.kind) {
    case "none":
      return;
    case "fixed_bps":
      return bps("bps", model.bps);
    case "spread_share":
      if (!Number.isFinite(model.share) || model.share < 0) {
        throw new RangeError(`slippage 'share' must be a finite number >= 0, got ${model.share}`);
      }
      return bps("assumedSpreadBps", model.assumedSpreadBps);
    case "volume":
      bps("bpsAtFullVolume", model.bpsAtFullVolume);
      if (model.maxBps !== undefined) bps("maxBps", model.maxBps);
      return;
    default:
      throw new RangeError(
        `slippage 'kind' must be none, fixed_bps, spread_share or volume, got ${
          JSON.stringify((model as { kind: unknown }).kind)
        }`,
      );
  }
}

/**
 * The taker price of `qty` lots against a bar open or a trade at `price` ticks, with `volume` lots
 * of the bar (or trade) as the volume model's yardstick; rounded adversely onto the tick.
 * @example
 * ```ts
 * import { makeInstrument } from "../domain/instrument.ts";
 * import { slippedPrice } from "./slippage_model.ts";
 * const aapl = makeInstrument("AAPL", 0, { venue: "SIM" });
 * // $100.00 + 5 bp = $100.05 for a buy.
 * slippedPrice(aapl, { kind: "fixed_bps", bps: 5 }, "buy", 1_000_000, 100, 10_000); // 1_000_500
 * ```
 */
export function slippedPrice(
  inst: Instrument,
  model: SlippageModel,
  side: OrderSide,
  price: number,
  qty: number,
  volume: number,
): number {
  const p = BigInt(price);
  switch (model.kind) {
    case "none":
      return roundAdverse(inst, side, p, 1n);
    case "fixed_bps":
      return beyond(inst, side, p, BigInt(bpsUnits(model.bps)), 1n);
    case "spread_share": {
      // share × spread beyond the mid, the spread being assumedSpreadBps of the price.
      const k = BigInt(Math.round(model.share * PPM)) * BigInt(bpsUnits(model.assumedSpreadBps));
      return beyond(inst, side, p, k, BigInt(PPM));
    }
    case "volume": {
      const [num, den] = impact(model, qty, volume);
      return beyond(inst, side, p, num, den);
    }
  }
}

/**
 * The taker price of `qty` lots on a quote: the ask for a buy, the bid for a sell, then the
 * model; spread_share prices from the mid of a two-sided quote instead. `size` is the displayed
 * size on the side taken (the volume model's yardstick). The side taken must be present (> 0).
 * @example
 * ```ts
 * import { makeInstrument } from "../domain/instrument.ts";
 * import { quoteTakePrice } from "./slippage_model.ts";
 * const aapl = makeInstrument("AAPL", 0, { venue: "SIM" });
 * // Quote 100.00 / 100.04, a quarter of the spread beyond the mid: 100.02 + 0.01 = 100.03.
 * const model = { kind: "spread_share", share: 0.25, assumedSpreadBps: 0 } as const;
 * quoteTakePrice(aapl, model, "buy", 1_000_000, 1_000_400, 100, 500); // 1_000_300
 * ```
 */
export function quoteTakePrice(
  inst: Instrument,
  model: SlippageModel,
  side: OrderSide,
  bid: number,
  ask: number,
  qty: number,
  size: number,
): number {
  const touch = side === "buy" ? ask : bid;
  if (model.kind !== "spread_share" || bid <= 0 || ask <= 0) {
    return slippedPrice(inst, model, side, touch, qty, size);
  }
  // price = mid ± share × spread = ((bid + ask) × PPM/2 ± sharePpm × (ask − bid)) / PPM
  const s = BigInt(Math.round(model.share * PPM)), spread = BigInt(ask - bid);
  const mid2 = BigInt(bid + ask) * BigInt(PPM / 2);
  const num = side === "buy" ? mid2 + s * spread : mid2 - s * spread;
  return roundAdverse(inst, side, num, BigInt(PPM));
}

/**
 * Rounds the exact price `num / den` ticks onto the instrument's tick away from the trader's
 * favour (buys up, sells down), never below the smallest positive price.
 */
export function roundAdverse(inst: Instrument, side: OrderSide, num: bigint, den: bigint): number {
  let q = num / den;
  const r = num % den;
  if (side === "buy" && r > 0n) q += 1n;
  if (side === "sell" && r < 0n) q -= 1n;
  let p = Number(q);
  if (!Number.isSafeInteger(p)) throw new RangeError(`slipped price ${q} is out of range`);
  if (p < 1) return 1;
  const tick = tickSizeAt(inst, p);
  const off = p % tick;
  if (off !== 0) p = side === "buy" ? p - off + tick : p - off;
  return p;
}

// price × (1 ± num / (den × BPS_ONE)), adverse for `side`, rounded onto the tick.
function beyond(inst: Instrument, side: OrderSide, p: bigint, num: bigint, den: bigint): number {
  const whole = den * BPS_ONE;
  return roundAdverse(inst, side, p * (side === "buy" ? whole + num : whole - num), whole);
}

// The volume model's rate as the fraction num / den of 10^-4 bps: full × qty / volume, capped.
function impact(
  model: { readonly bpsAtFullVolume: number; readonly maxBps?: number },
  qty: number,
  volume: number,
): [bigint, bigint] {
  const full = BigInt(bpsUnits(model.bpsAtFullVolume));
  const cap = BigInt(bpsUnits(model.maxBps ?? model.bpsAtFullVolume));
  const num = full * BigInt(qty), den = BigInt(volume);
  return volume <= 0 || num > cap * den ? [cap, 1n] : [num, den];
}

function bpsUnits(bps: number): number {
  return Math.round(bps * BPS_SCALE);
}
