import assert from "node:assert/strict";
import { makeInstrument } from "../../../core/domain/instrument.ts";
import { movesMark, trailingStopPrice } from "../../../scripts/sim_server/trailing_stop.ts";

const aapl = makeInstrument("AAPL", 0, { venue: "ALPACA" });
const btc = makeInstrument("BTC/USD", 1, { venue: "ALPACA" });

Deno.test("trailingStopPrice() trails a sell below and a buy above the mark by trail_price", () => {
  assert.equal(trailingStopPrice(aapl, "sell", 1_015_000, { trailPrice: 10_000 }), 1_005_000);
  assert.equal(trailingStopPrice(aapl, "buy", 980_000, { trailPrice: 10_000 }), 990_000);
});

Deno.test("trailingStopPrice() by trail_percent is exact, then rounded to the nearest tick", () => {
  // Alpaca's example: 1.0 % on a sell is hwm × 0.99.
  assert.equal(trailingStopPrice(aapl, "sell", 1_000_000, { trailPercent: 1 }), 990_000);
  // 101.50 × 0.985 = 99.9775 → 99.98; 100.01 × 1.015 = 101.51015 → 101.51.
  assert.equal(trailingStopPrice(aapl, "sell", 1_015_000, { trailPercent: 1.5 }), 999_800);
  assert.equal(trailingStopPrice(aapl, "buy", 1_000_100, { trailPercent: 1.5 }), 1_015_100);
  // Below $1 a US equity ticks in 10^-4: 0.5000 × 0.9875 = 0.49375 → 0.4938.
  assert.equal(trailingStopPrice(aapl, "sell", 5_000, { trailPercent: 1.25 }), 4_938);
  // Crypto ticks in single units: 60 000.000000 × 0.9999 exactly.
  assert.equal(
    trailingStopPrice(btc, "sell", 60_000_000_000, { trailPercent: 0.01 }),
    59_994_000_000,
  );
});

Deno.test("movesMark() takes higher prints for a sell, lower for a buy, and any first print", () => {
  assert.deepEqual(
    [movesMark("sell", 0, 5), movesMark("sell", 10, 11), movesMark("sell", 10, 10)],
    [true, true, false],
  );
  assert.deepEqual([movesMark("buy", 10, 9), movesMark("buy", 10, 11)], [true, false]);
});
