import assert from "node:assert/strict";
import { makeInstrument } from "../../../core/domain/instrument.ts";
import {
  barTriggers,
  fillLiquidity,
  type FillSettings,
  matchBar,
  matchQuote,
  matchTrade,
  type OrderTerms,
  participationCap,
  quoteTriggers,
  resolveFillRules,
  tradeTriggers,
} from "../../../core/matching/bar_fill_model.ts";

// AAPL prices are 10^-4 dollars; usd(c) is $100.00 + c cents.
const aapl = makeInstrument("AAPL", 0, { venue: "SIM" });
const usd = (cents: number): number => 1_000_000 + cents * 100;
const PLAIN = resolveFillRules();
const TOUCH = resolveFillRules({ limitFillOnTouch: true });

const market = (side: "buy" | "sell"): OrderTerms => ({
  side,
  type: "market",
  limitPrice: 0,
  stopPrice: 0,
});
const limit = (side: "buy" | "sell", px: number): OrderTerms => ({
  side,
  type: "limit",
  limitPrice: px,
  stopPrice: 0,
});
const stop = (side: "buy" | "sell", px: number): OrderTerms => ({
  side,
  type: "stop",
  limitPrice: 0,
  stopPrice: px,
});
const stopLimit = (side: "buy" | "sell", stopPx: number, limitPx: number): OrderTerms => ({
  side,
  type: "stop_limit",
  limitPrice: limitPx,
  stopPrice: stopPx,
});

/** Price of 10 lots on a bar [open, high, low] with 1,000 volume, untriggered unless said. */
function bar(
  terms: OrderTerms,
  [o, h, l]: [number, number, number],
  rules = PLAIN,
  triggered = false,
): number {
  return matchBar(aapl, rules, terms, triggered, 10, o, h, l, 1_000);
}

Deno.test("resolveFillRules() defaults to no slippage, trade-through limits and no volume cap", () => {
  assert.deepEqual(PLAIN, {
    slippage: { kind: "none" },
    limitFillOnTouch: false,
    participationPpm: 0,
  });
  assert.equal(participationCap(PLAIN, 0), Number.MAX_SAFE_INTEGER);
});

Deno.test("resolveFillRules() refuses a participation rate outside (0, 1] and bad slippage", () => {
  for (const r of [0, -0.1, 1.5, NaN]) {
    assert.throws(() => resolveFillRules({ participationRate: r }), /'participationRate'/);
  }
  const bad = { slippage: { kind: "fixed_bps", bps: -2 } } as FillSettings;
  assert.throws(() => resolveFillRules(bad), /'bps'/);
});

Deno.test("participationCap() is floor(rate × volume), exact for crypto-sized volumes", () => {
  const tenth = resolveFillRules({ participationRate: 0.1 });
  assert.equal(participationCap(tenth, 305), 30);
  assert.equal(participationCap(tenth, 9), 0);
  assert.equal(participationCap(resolveFillRules({ participationRate: 1 }), 305), 305);
  // 5,000 BTC in 10^-9 lots: the product with the ppm rate passes 2^53, the result is exact.
  assert.equal(participationCap(tenth, 5_000_000_000_003), 500_000_000_000);
});

Deno.test("matchBar() fills a market order at the open, with slippage from there", () => {
  assert.equal(bar(market("buy"), [usd(0), usd(50), usd(-50)]), usd(0));
  assert.equal(bar(market("sell"), [usd(0), usd(50), usd(-50)]), usd(0));
  const slip = resolveFillRules({ slippage: { kind: "fixed_bps", bps: 2 } });
  assert.equal(bar(market("buy"), [usd(0), usd(50), usd(-50)], slip), usd(2));
  assert.equal(bar(market("sell"), [usd(0), usd(50), usd(-50)], slip), usd(-2));
});

Deno.test("matchBar() fills a limit when the bar trades through it, at the limit", () => {
  assert.equal(bar(limit("buy", usd(-10)), [usd(0), usd(5), usd(-11)]), usd(-10));
  assert.equal(bar(limit("sell", usd(10)), [usd(0), usd(11), usd(-5)]), usd(10));
  assert.equal(bar(limit("buy", usd(-10)), [usd(0), usd(5), usd(-9)]), 0);
  assert.equal(bar(limit("sell", usd(10)), [usd(0), usd(9), usd(-5)]), 0);
});

Deno.test("matchBar() needs a trade-through by default and fills on touch only when asked", () => {
  assert.equal(bar(limit("buy", usd(-10)), [usd(0), usd(5), usd(-10)]), 0);
  assert.equal(bar(limit("sell", usd(10)), [usd(0), usd(10), usd(-5)]), 0);
  assert.equal(bar(limit("buy", usd(-10)), [usd(0), usd(5), usd(-10)], TOUCH), usd(-10));
  assert.equal(bar(limit("sell", usd(10)), [usd(0), usd(10), usd(-5)], TOUCH), usd(10));
});

Deno.test("matchBar() fills a limit the bar gapped through at the better open", () => {
  assert.equal(bar(limit("buy", usd(-10)), [usd(-20), usd(-15), usd(-25)]), usd(-20));
  assert.equal(bar(limit("sell", usd(10)), [usd(20), usd(25), usd(15)]), usd(20));
  // A sub-penny open rounds against the trader and still stays within the limit.
  assert.equal(bar(limit("buy", usd(-10)), [usd(-20) + 50, usd(-15), usd(-25)]), usd(-19));
});

Deno.test("matchBar() never slips a limit fill", () => {
  const slip = resolveFillRules({ slippage: { kind: "fixed_bps", bps: 50 } });
  assert.equal(bar(limit("buy", usd(-10)), [usd(0), usd(5), usd(-11)], slip), usd(-10));
});

Deno.test("matchBar() elects a stop when the bar reaches it and fills at the stop plus slippage", () => {
  assert.equal(barTriggers(stop("buy", usd(10)), usd(10), usd(0)), true);
  assert.equal(barTriggers(stop("buy", usd(10)), usd(9), usd(0)), false);
  assert.equal(barTriggers(stop("sell", usd(-10)), usd(0), usd(-10)), true);
  assert.equal(bar(stop("buy", usd(10)), [usd(0), usd(9), usd(-5)]), 0);
  assert.equal(bar(stop("buy", usd(10)), [usd(0), usd(12), usd(-5)]), usd(10));
  assert.equal(bar(stop("sell", usd(-10)), [usd(0), usd(5), usd(-12)]), usd(-10));
  const slip = resolveFillRules({ slippage: { kind: "fixed_bps", bps: 1 } });
  // $100.10 + 1 bp = $100.11001: a buy pays $100.12; $99.90 − 1 bp = $99.89001: a sell gets $99.89.
  assert.equal(bar(stop("buy", usd(10)), [usd(0), usd(12), usd(-5)], slip), usd(12));
  assert.equal(bar(stop("sell", usd(-10)), [usd(0), usd(5), usd(-12)], slip), usd(-11));
});

Deno.test("matchBar() fills a stop the bar gapped through at the open, not at the stop", () => {
  assert.equal(bar(stop("buy", usd(10)), [usd(30), usd(35), usd(25)]), usd(30));
  assert.equal(bar(stop("sell", usd(-10)), [usd(-30), usd(-25), usd(-35)]), usd(-30));
});

Deno.test("matchBar() fills a stop elected on an earlier bar at this bar's open", () => {
  assert.equal(bar(stop("buy", usd(10)), [usd(5), usd(6), usd(4)], PLAIN, true), usd(5));
});

Deno.test("matchBar() fills a stop-limit elected inside the bar at the stop when the limit is beyond it", () => {
  assert.equal(bar(stopLimit("buy", usd(10), usd(15)), [usd(0), usd(20), usd(-5)]), usd(10));
  assert.equal(bar(stopLimit("sell", usd(-10), usd(-15)), [usd(0), usd(5), usd(-20)]), usd(-10));
  // Not elected: nothing.
  assert.equal(bar(stopLimit("buy", usd(10), usd(15)), [usd(0), usd(9), usd(-5)]), 0);
});

Deno.test("matchBar() does not fill a stop-limit elected inside the bar when only the low could reach the limit", () => {
  // Limit below the stop: the low of $99.50 may have come before the trigger at $100.10.
  assert.equal(bar(stopLimit("buy", usd(10), usd(5)), [usd(0), usd(20), usd(-50)]), 0);
  assert.equal(bar(stopLimit("sell", usd(-10), usd(-5)), [usd(0), usd(50), usd(-20)]), 0);
  // Limit at the stop: the trigger print only touches it.
  assert.equal(bar(stopLimit("buy", usd(10), usd(10)), [usd(0), usd(20), usd(-50)]), 0);
  assert.equal(
    bar(stopLimit("buy", usd(10), usd(10)), [usd(0), usd(20), usd(-50)], TOUCH),
    usd(10),
  );
});

Deno.test("matchBar() treats a stop-limit elected at the open as a limit for the whole bar", () => {
  // Gapped above the stop but below the limit: fills at the open.
  assert.equal(bar(stopLimit("buy", usd(10), usd(40)), [usd(30), usd(35), usd(25)]), usd(30));
  // Gapped above the limit too: fills at the limit once the bar trades back through it.
  assert.equal(bar(stopLimit("buy", usd(10), usd(20)), [usd(30), usd(35), usd(15)]), usd(20));
  assert.equal(bar(stopLimit("buy", usd(10), usd(20)), [usd(30), usd(35), usd(25)]), 0);
  assert.equal(
    bar(stopLimit("sell", usd(-10), usd(-20)), [usd(-30), usd(-15), usd(-35)]),
    usd(-20),
  );
});

Deno.test("matchBar() fills a stop-limit elected earlier like a limit", () => {
  const terms = stopLimit("buy", usd(10), usd(5));
  assert.equal(bar(terms, [usd(8), usd(9), usd(4)], PLAIN, true), usd(5));
  assert.equal(bar(terms, [usd(3), usd(9), usd(2)], PLAIN, true), usd(3));
  assert.equal(bar(terms, [usd(8), usd(9), usd(6)], PLAIN, true), 0);
});

Deno.test("fillLiquidity() is maker at the order's own limit and taker otherwise", () => {
  assert.equal(fillLiquidity(limit("buy", usd(0)), usd(0)), "maker");
  assert.equal(fillLiquidity(limit("buy", usd(0)), usd(-3)), "taker");
  assert.equal(fillLiquidity(stopLimit("buy", usd(5), usd(8)), usd(8)), "maker");
  assert.equal(fillLiquidity(market("buy"), usd(0)), "taker");
  assert.equal(fillLiquidity(stop("sell", usd(0)), usd(0)), "taker");
});

Deno.test("matchQuote() fills market buys at the ask and sells at the bid", () => {
  const q = (t: OrderTerms, bid: number, ask: number, trig = false): number =>
    matchQuote(aapl, PLAIN, t, trig, 10, bid, 100, ask, 100);
  assert.equal(q(market("buy"), usd(0), usd(2)), usd(2));
  assert.equal(q(market("sell"), usd(0), usd(2)), usd(0));
  assert.equal(q(market("buy"), usd(0), 0), 0); // no ask: nothing to take
});

Deno.test("matchQuote() fills a limit when the touch is at or through it, at the touch", () => {
  const q = (t: OrderTerms, bid: number, ask: number): number =>
    matchQuote(aapl, PLAIN, t, false, 10, bid, 100, ask, 100);
  assert.equal(q(limit("buy", usd(2)), usd(0), usd(2)), usd(2));
  assert.equal(q(limit("buy", usd(5)), usd(0), usd(2)), usd(2));
  assert.equal(q(limit("buy", usd(1)), usd(0), usd(2)), 0);
  assert.equal(q(limit("sell", usd(0)), usd(0), usd(2)), usd(0));
  assert.equal(q(limit("sell", usd(1)), usd(0), usd(2)), 0);
});

Deno.test("matchQuote() elects stops on the side they would trade and fills them on the same quote", () => {
  assert.equal(quoteTriggers(stop("buy", usd(2)), usd(0), usd(2)), true);
  assert.equal(quoteTriggers(stop("buy", usd(3)), usd(0), usd(2)), false);
  assert.equal(quoteTriggers(stop("sell", usd(0)), usd(0), usd(2)), true);
  assert.equal(quoteTriggers(stop("sell", usd(0)), 0, usd(2)), false); // no bid
  const q = (t: OrderTerms): number =>
    matchQuote(aapl, PLAIN, t, false, 10, usd(0), 100, usd(2), 100);
  assert.equal(q(stop("buy", usd(2))), usd(2));
  assert.equal(q(stop("buy", usd(3))), 0);
  assert.equal(q(stopLimit("buy", usd(1), usd(3))), usd(2));
  assert.equal(q(stopLimit("buy", usd(1), usd(1))), 0); // elected, but the ask is above the limit
});

Deno.test("matchTrade() fills market orders at the trade price plus slippage", () => {
  const slip = resolveFillRules({ slippage: { kind: "fixed_bps", bps: 1 } });
  assert.equal(matchTrade(aapl, PLAIN, market("buy"), false, 10, usd(0), 50), usd(0));
  assert.equal(matchTrade(aapl, slip, market("sell"), false, 10, usd(0), 50), usd(-1));
});

Deno.test("matchTrade() fills limits a trade went through at the limit, or touched when asked", () => {
  assert.equal(matchTrade(aapl, PLAIN, limit("buy", usd(0)), false, 10, usd(-1), 50), usd(0));
  assert.equal(matchTrade(aapl, PLAIN, limit("buy", usd(0)), false, 10, usd(0), 50), 0);
  assert.equal(matchTrade(aapl, TOUCH, limit("buy", usd(0)), false, 10, usd(0), 50), usd(0));
  assert.equal(matchTrade(aapl, PLAIN, limit("sell", usd(0)), false, 10, usd(1), 50), usd(0));
});

Deno.test("matchTrade() does not fill a stop on the print that elects it, only from the next", () => {
  const terms = stop("buy", usd(5));
  assert.equal(tradeTriggers(terms, usd(5)), true);
  assert.equal(tradeTriggers(terms, usd(4)), false);
  assert.equal(matchTrade(aapl, PLAIN, terms, false, 10, usd(6), 50), 0);
  assert.equal(matchTrade(aapl, PLAIN, terms, true, 10, usd(7), 50), usd(7));
  const sl = stopLimit("sell", usd(-5), usd(-6));
  assert.equal(matchTrade(aapl, PLAIN, sl, true, 10, usd(-5), 50), usd(-6));
  assert.equal(matchTrade(aapl, PLAIN, sl, true, 10, usd(-7), 50), 0);
});

Deno.test("matchBar() refuses an order type it has no rule for", () => {
  const trailing = { side: "buy", type: "trailing_stop", limitPrice: 0, stopPrice: 0 } as unknown;
  assert.throws(
    () => bar(trailing as OrderTerms, [usd(0), usd(1), usd(-1)]),
    /trailing_stop/,
  );
});
