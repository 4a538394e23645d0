import assert from "node:assert/strict";
import { checkSlippage } from "../../../core/execution/slippage.ts";

Deno.test("a limit order exactly at max_slippage_bps from mid passes; one tick further is refused", () => {
  // bid 99.95, ask 100.05 (ticks of 0.0001): mid 100.00; 50 bps = 0.50
  const bid = 999_500, ask = 1_000_500;
  assert.equal(checkSlippage("limit", 1_005_000, bid, ask, 50, 100), "");
  assert.equal(checkSlippage("limit", 1_005_001, bid, ask, 50, 100), "slippage");
  assert.equal(checkSlippage("limit", 995_000, bid, ask, 50, 100), "");
  assert.equal(checkSlippage("limit", 994_999, bid, ask, 50, 100), "slippage");
});

Deno.test("a market order is refused when the spread is wider than the limit, or with no market", () => {
  assert.equal(checkSlippage("market", 0, 999_500, 1_000_500, 50, 10), ""); // spread 10 bps
  assert.equal(checkSlippage("market", 0, 999_500, 1_000_501, 50, 10), "spread_too_wide");
  assert.equal(checkSlippage("market", 0, 0, 1_000_500, 50, 10), "no_market_data");
});

Deno.test("slippage math stays exact for crypto prices beyond 2^53 when scaled", () => {
  // BTC at 60,000 with 10^-6 ticks: 6e10 ticks; ×1e6 would overflow a double's integers
  const bid = 60_000_000_000, ask = 60_000_000_002;
  const mid2 = bid + ask;
  const edge = (mid2 + Math.floor((mid2 * 50) / 1e4)) / 2; // about 50 bps above mid
  assert.equal(checkSlippage("limit", Math.floor(edge) - 1, bid, ask, 50, 100), "");
  assert.equal(checkSlippage("limit", Math.floor(edge) + 2, bid, ask, 50, 100), "slippage");
});
