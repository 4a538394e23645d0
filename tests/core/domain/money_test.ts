import assert from "node:assert/strict";
import { type Instrument, InstrumentTable } from "../../../core/domain/instrument.ts";
import {
  cashToNumber,
  formatCashRounded,
  notional,
  parseCash,
} from "../../../core/domain/money.ts";

Deno.test("cashToNumber() is exact for whole amounts and keeps the fraction", () => {
  assert.equal(cashToNumber(parseCash("100000")), 100_000);
  assert.equal(cashToNumber(parseCash("-2500.25")), -2500.25);
  assert.equal(cashToNumber(parseCash("0.000000000000000001")), 1e-18);
});

Deno.test("formatCashRounded() rounds half away from zero to a fixed number of decimals", () => {
  assert.equal(formatCashRounded(parseCash("103502.5005")), "103502.50");
  assert.equal(formatCashRounded(parseCash("-0.005")), "-0.01");
  assert.equal(formatCashRounded(parseCash("7")), "7.00");
  assert.equal(formatCashRounded(parseCash("1.23456"), 4), "1.2346");
});

Deno.test("notional() is exact on both sides of 2^53 and for every instrument precision", () => {
  const table = new InstrumentTable(["AAPL", "BTC/USD"], "SIM");
  const aapl = table.get("AAPL")!, btc = table.get("BTC/USD")!;
  const exact = (inst: Instrument, price: number, qty: number) =>
    BigInt(price) * BigInt(qty) * 10n ** BigInt(18 - inst.priceDecimals - inst.qtyDecimals);
  const cases: Array<[Instrument, number, number]> = [
    [aapl, 1_872_500, 100],
    [aapl, 1_872_500, -100],
    [aapl, 1, 1],
    [btc, 6_512_345_678_901, 123_456_789], // product far above 2^53: the exact path
    [btc, 94_906_265, 94_906_267], // product just above 2^53
    [btc, 2 ** 26, 2 ** 27 - 1], // just below
  ];
  for (const [inst, price, qty] of cases) {
    assert.equal(notional(inst, price, qty), exact(inst, price, qty), `${price} × ${qty}`);
  }
  assert.throws(
    () => notional(aapl, 1.5, 2),
    RangeError,
    "a fractional price is not silently exact",
  );
});
