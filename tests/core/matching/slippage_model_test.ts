import assert from "node:assert/strict";
import { makeInstrument } from "../../../core/domain/instrument.ts";
import {
  assertSlippage,
  quoteTakePrice,
  roundAdverse,
  type SlippageModel,
  slippedPrice,
} from "../../../core/matching/slippage_model.ts";

// AAPL prices are 10^-4 dollars (a cent is 100 above $1); BTC/USD prices are 10^-6 dollars, tick 1.
const aapl = makeInstrument("AAPL", 0, { venue: "SIM" });
const btc = makeInstrument("BTC/USD", 1, { venue: "SIM" });
const usd100 = (cents: number): number => 1_000_000 + cents * 100;

Deno.test("slippedPrice() with none keeps an on-tick price and rounds an off-tick one adversely", () => {
  const none: SlippageModel = { kind: "none" };
  assert.equal(slippedPrice(aapl, none, "buy", usd100(0), 100, 1_000), usd100(0));
  // A sub-penny print at $100.0050 is not an order price: buys pay $100.01, sells get $100.00.
  assert.equal(slippedPrice(aapl, none, "buy", 1_000_050, 100, 1_000), usd100(1));
  assert.equal(slippedPrice(aapl, none, "sell", 1_000_050, 100, 1_000), usd100(0));
});

Deno.test("slippedPrice() with fixed_bps adds the bps adversely, rounded away from the trader", () => {
  const three: SlippageModel = { kind: "fixed_bps", bps: 3 };
  assert.equal(slippedPrice(aapl, three, "buy", usd100(0), 1, 0), usd100(3));
  assert.equal(slippedPrice(aapl, three, "sell", usd100(0), 1, 0), usd100(-3));
  // 1.5 bp of $100 is 1.5 cents: a buy pays $100.02, a sell receives $99.98.
  const half: SlippageModel = { kind: "fixed_bps", bps: 1.5 };
  assert.equal(slippedPrice(aapl, half, "buy", usd100(0), 1, 0), usd100(2));
  assert.equal(slippedPrice(aapl, half, "sell", usd100(0), 1, 0), usd100(-2));
  // Crypto ticks are single units: $60,000 + 1 bp = $60,006 exactly.
  assert.equal(
    slippedPrice(btc, { kind: "fixed_bps", bps: 1 }, "buy", 60_000_000_000, 1, 0),
    60_006_000_000,
  );
});

Deno.test("slippedPrice() lands on the tick of the price it reaches across the $1 boundary", () => {
  const five: SlippageModel = { kind: "fixed_bps", bps: 5 };
  // $0.9999 + 5 bp = $1.00039995: at or above $1 the tick is a cent, so a buy pays $1.01.
  assert.equal(slippedPrice(aapl, five, "buy", 9_999, 1, 0), 10_100);
  // $1.00 − 5 bp = $0.9995: below $1 the tick is 10^-4, so that price is valid as it is.
  assert.equal(slippedPrice(aapl, five, "sell", 10_000, 1, 0), 9_995);
});

Deno.test("slippedPrice() with spread_share pays a share of the assumed spread beyond the price", () => {
  // Assumed spread 10 bp of $100 = 10 cents; half of it beyond the mid is the touch, 5 cents away.
  const atTouch: SlippageModel = { kind: "spread_share", share: 0.5, assumedSpreadBps: 10 };
  assert.equal(slippedPrice(aapl, atTouch, "buy", usd100(0), 1, 0), usd100(5));
  assert.equal(slippedPrice(aapl, atTouch, "sell", usd100(0), 1, 0), usd100(-5));
  // 0.25 × 10 cents = 2.5 cents: rounded to 3 cents against the trader on either side.
  const quarter: SlippageModel = { kind: "spread_share", share: 0.25, assumedSpreadBps: 10 };
  assert.equal(slippedPrice(aapl, quarter, "buy", usd100(0), 1, 0), usd100(3));
  assert.equal(slippedPrice(aapl, quarter, "sell", usd100(0), 1, 0), usd100(-3));
});

Deno.test("slippedPrice() with volume scales linearly with the fill's share of the volume, capped", () => {
  const impact: SlippageModel = { kind: "volume", bpsAtFullVolume: 10 };
  // 100 of 1,000 lots = 1 bp = 1 cent; 500 of 1,000 = 5 bp.
  assert.equal(slippedPrice(aapl, impact, "buy", usd100(0), 100, 1_000), usd100(1));
  assert.equal(slippedPrice(aapl, impact, "sell", usd100(0), 500, 1_000), usd100(-5));
  // More than the volume, or no volume at all, pays the cap (default: the full-volume rate).
  assert.equal(slippedPrice(aapl, impact, "buy", usd100(0), 5_000, 1_000), usd100(10));
  assert.equal(slippedPrice(aapl, impact, "buy", usd100(0), 1, 0), usd100(10));
  const capped: SlippageModel = { kind: "volume", bpsAtFullVolume: 10, maxBps: 4 };
  assert.equal(slippedPrice(aapl, capped, "buy", usd100(0), 500, 1_000), usd100(4));
  // 1 of 3 lots = 3.33 bp = 3.33 cents: a buy pays 4 cents, a sell gives up 4 cents.
  assert.equal(slippedPrice(aapl, impact, "buy", usd100(0), 1, 3), usd100(4));
  assert.equal(slippedPrice(aapl, impact, "sell", usd100(0), 1, 3), usd100(-4));
});

Deno.test("quoteTakePrice() takes the ask for buys and the bid for sells, then slips from there", () => {
  const bid = usd100(0), ask = usd100(2);
  assert.equal(quoteTakePrice(aapl, { kind: "none" }, "buy", bid, ask, 10, 100), ask);
  assert.equal(quoteTakePrice(aapl, { kind: "none" }, "sell", bid, ask, 10, 100), bid);
  const one: SlippageModel = { kind: "fixed_bps", bps: 1 };
  // $100.02 + 1 bp = $100.030002: just past a cent, so a buy pays $100.04.
  assert.equal(quoteTakePrice(aapl, one, "buy", bid, ask, 10, 100), usd100(4));
  assert.equal(quoteTakePrice(aapl, one, "sell", bid, ask, 10, 100), usd100(-1));
  // The volume model measures the fill against the size shown on the side it takes.
  const impact: SlippageModel = { kind: "volume", bpsAtFullVolume: 2 };
  assert.equal(quoteTakePrice(aapl, impact, "buy", bid, ask, 100, 100), usd100(5));
});

Deno.test("quoteTakePrice() with spread_share prices from the quote's mid: 0.5 is the touch", () => {
  const bid = usd100(0), ask = usd100(4);
  const share = (s: number): SlippageModel => ({
    kind: "spread_share",
    share: s,
    assumedSpreadBps: 0,
  });
  assert.equal(quoteTakePrice(aapl, share(0.5), "buy", bid, ask, 1, 1), ask);
  assert.equal(quoteTakePrice(aapl, share(0.5), "sell", bid, ask, 1, 1), bid);
  assert.equal(quoteTakePrice(aapl, share(0), "buy", bid, ask, 1, 1), usd100(2));
  assert.equal(quoteTakePrice(aapl, share(1), "buy", bid, ask, 1, 1), usd100(6));
  // Spread 3 cents, mid $100.015: a quarter beyond is $100.0225 (buy pays $100.03) and
  // $100.0075 (sell receives $100.00).
  assert.equal(quoteTakePrice(aapl, share(0.25), "buy", bid, usd100(3), 1, 1), usd100(3));
  assert.equal(quoteTakePrice(aapl, share(0.25), "sell", bid, usd100(3), 1, 1), usd100(0));
});

Deno.test("quoteTakePrice() with spread_share on a one-sided quote uses the assumed spread", () => {
  const model: SlippageModel = { kind: "spread_share", share: 0.5, assumedSpreadBps: 10 };
  assert.equal(quoteTakePrice(aapl, model, "buy", 0, usd100(0), 1, 1), usd100(5));
});

Deno.test("roundAdverse() never returns less than the smallest price", () => {
  assert.equal(roundAdverse(btc, "sell", -5n, 1n), 1);
  const model: SlippageModel = { kind: "spread_share", share: 10, assumedSpreadBps: 0 };
  assert.equal(quoteTakePrice(btc, model, "sell", 100, 200, 1, 1), 1);
});

Deno.test("assertSlippage() names a bad rate or kind", () => {
  assert.throws(() => assertSlippage({ kind: "fixed_bps", bps: -1 }), /'bps'.*-1/);
  assert.throws(() => assertSlippage({ kind: "fixed_bps", bps: 10_000 }), /'bps'/);
  assert.throws(() => assertSlippage({ kind: "fixed_bps", bps: NaN }), /'bps'/);
  assert.throws(
    () => assertSlippage({ kind: "spread_share", share: -0.1, assumedSpreadBps: 0 }),
    /'share'/,
  );
  assert.throws(
    () => assertSlippage({ kind: "volume", bpsAtFullVolume: 5, maxBps: Infinity }),
    /'maxBps'/,
  );
  assert.throws(() => assertSlippage({ kind: "random" } as unknown as SlippageModel), /"random"/);
  assertSlippage({ kind: "volume", bpsAtFullVolume: 5 });
});
