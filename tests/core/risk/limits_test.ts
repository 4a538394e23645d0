import assert from "node:assert/strict";
import { riskConfigSchema } from "../../../schemas/risk.ts";
import { resolveRiskLimits } from "../../../core/risk/limits.ts";
import { AAPL, BTC, limitsFor, table, usd } from "./_stub.ts";

Deno.test("riskConfigSchema.parse({}) yields the documented defaults", () => {
  assert.deepEqual(riskConfigSchema.parse({}), {
    defaults: {
      max_position_value: "100000",
      max_order_value: "25000",
      max_quantity: "10000",
      max_open_orders: 20,
      price_collar_bps: 100,
      short_selling: false,
    },
    max_daily_loss: "5000",
    max_drawdown: "10000",
    max_orders_per_second: 10,
    symbols: {},
  });
});

Deno.test("riskConfigSchema fills defaults left out of a partial defaults block", () => {
  const c = riskConfigSchema.parse({ defaults: { max_open_orders: 5 } });
  assert.equal(c.defaults.max_open_orders, 5);
  assert.equal(c.defaults.max_order_value, "25000");
});

Deno.test("riskConfigSchema rejects unknown keys, numbers for money and bad symbols", () => {
  assert.equal(riskConfigSchema.safeParse({ max_daily_los: "1" }).success, false);
  assert.equal(riskConfigSchema.safeParse({ max_daily_loss: 5000 }).success, false);
  assert.equal(riskConfigSchema.safeParse({ max_daily_loss: "-5" }).success, false);
  assert.equal(riskConfigSchema.safeParse({ symbols: { aapl: {} } }).success, false);
  assert.equal(
    riskConfigSchema.safeParse({ symbols: { AAPL: { max_open_orders: 1.5 } } }).success,
    false,
  );
  assert.equal(riskConfigSchema.safeParse({ max_orders_per_second: 0 }).success, false);
});

Deno.test("resolveRiskLimits() applies per-symbol overrides over defaults, in exact units", () => {
  const L = limitsFor({
    defaults: { max_quantity: "500", short_selling: false },
    max_daily_loss: "2500.50",
    symbols: {
      "BTC/USD": { max_quantity: "2.5", max_position_value: "250000.75", short_selling: true },
    },
  });
  assert.equal(L.maxQuantity[AAPL], 500);
  assert.equal(L.maxQuantity[BTC], 2_500_000_000);
  assert.equal(L.maxPositionValue[AAPL]!.cash, usd("100000"));
  assert.equal(L.maxPositionValue[BTC]!.cash, usd("250000.75"));
  assert.equal(L.maxOrderValue[BTC]!.cash, usd("25000"));
  assert.equal(L.shortSelling[AAPL], 0);
  assert.equal(L.shortSelling[BTC], 1);
  assert.equal(L.maxOpenOrders[BTC], 20);
  assert.equal(L.priceCollarBps[AAPL], 100);
  assert.equal(L.maxDailyLoss, usd("2500.50"));
  assert.equal(L.dailyLossFloor, -usd("2500.50"));
  assert.equal(L.maxDrawdown, usd("10000"));
  assert.equal(L.maxOrdersPerSecond, 10);
  assert.equal(L.cashScale[AAPL]!.cash, 10n ** 14n, "one $0.0001 tick × one share");
  assert.equal(L.cashScale[BTC]!.cash, 10n ** 3n, "one 10^-6 $ tick × 10^-9 BTC");
});

Deno.test("resolveRiskLimits() names the key when a quantity is finer than the lot", () => {
  assert.throws(
    () => limitsFor({ symbols: { AAPL: { max_quantity: "10.5" } } }),
    /'risk\.symbols\.AAPL\.max_quantity' allows at most 0 decimals/,
  );
  assert.throws(
    () => limitsFor({ defaults: { max_quantity: "0.1" } }),
    /'risk\.defaults\.max_quantity'/,
  );
});

Deno.test("resolveRiskLimits() ignores overrides for symbols it does not trade", () => {
  const L = limitsFor({ symbols: { MSFT: { max_quantity: "1" } } });
  assert.equal(L.maxQuantity.length, 2);
  assert.equal(L.maxQuantity[AAPL], 10_000);
});

Deno.test("resolveRiskLimits() refuses instruments out of index order", () => {
  const list = [...table.list()].reverse();
  assert.throws(() => resolveRiskLimits(riskConfigSchema.parse({}), list), /has index 1 at 0/);
});
