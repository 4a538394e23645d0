import assert from "node:assert/strict";
import { makeInstrument, parsePrice } from "../../../core/domain/instrument.ts";
import { formatCash, notional, parseCash } from "../../../core/domain/money.ts";
import { SeededRng } from "../../../core/domain/seeded_rng.ts";
import { Position } from "../../../core/portfolio/position.ts";

const aapl = makeInstrument("AAPL", 0, { venue: "SIM" }); // price ticks 10^-4, whole shares
const px = (s: string): number => parsePrice(aapl, s);
const $ = formatCash;
const NO_FEE = 0n;

Deno.test("Position.applyFill() adds to the cost basis when the position grows", () => {
  const pos = new Position(aapl);
  pos.applyFill("buy", 100, px("10.00"), parseCash("1"));
  pos.applyFill("buy", 50, px("10.30"), parseCash("0.5"));
  // cost = 100 × 10.00 + 50 × 10.30 = 1000 + 515 = 1515; avg = 1515 / 150 = 10.10
  assert.equal(pos.qty, 150);
  assert.equal($(pos.costBasis), "1515.00");
  assert.equal(pos.avgPrice, px("10.10"));
  assert.equal($(pos.realized), "0.00");
  assert.equal($(pos.fees), "1.50");
});

Deno.test("Position.applyFill() realizes (exit − avg entry) × reduced qty on a reduction", () => {
  const pos = new Position(aapl);
  pos.applyFill("buy", 100, px("10.00"), NO_FEE);
  pos.applyFill("buy", 50, px("10.30"), NO_FEE);
  pos.applyFill("sell", 70, px("10.50"), NO_FEE);
  // removed cost = 1515 × 70 / 150 = 707; realized = 735 − 707 = 28 = (10.50 − 10.10) × 70
  assert.equal($(pos.realized), "28.00");
  assert.equal($(pos.costBasis), "808.00");
  assert.equal(pos.avgPrice, px("10.10"));
});

Deno.test("Position.applyFill() keeps realized + remaining cost exact when the cost does not divide evenly", () => {
  const pos = new Position(aapl);
  pos.applyFill("buy", 1, px("10.00"), NO_FEE);
  pos.applyFill("buy", 2, px("10.01"), NO_FEE);
  // cost = 10.00 + 20.02 = 30.02 over 3 shares: 10.006666…
  pos.applyFill("sell", 1, px("10.50"), NO_FEE);
  // removed = 30.02e18 / 3 = 10006666666666666666.67 units → 10006666666666666667 (half away)
  assert.equal(pos.costBasis, 20_013_333_333_333_333_333n);
  assert.equal(pos.realized, 10_500_000_000_000_000_000n - 10_006_666_666_666_666_667n);
  // cost removed (exit − realized) + cost remaining = the original 30.02, to the last unit
  assert.equal(parseCash("10.50") - pos.realized + pos.costBasis, parseCash("30.02"));
  pos.applyFill("sell", 2, px("10.50"), NO_FEE);
  // Flat: every unit of cost has been realized, none lost: 3 × 10.50 − 30.02 = 1.48
  assert.equal(pos.qty, 0);
  assert.equal(pos.costBasis, 0n);
  assert.equal($(pos.realized), "1.48");
});

Deno.test("Position.applyFill() crossing zero closes the long and opens a short at the fill price", () => {
  const pos = new Position(aapl);
  pos.applyFill("buy", 100, px("10.00"), NO_FEE);
  pos.applyFill("sell", 150, px("10.40"), NO_FEE);
  // closes 100: realized = (10.40 − 10.00) × 100 = 40; opens short 50 @ 10.40, cost −520
  assert.equal(pos.qty, -50);
  assert.equal($(pos.realized), "40.00");
  assert.equal($(pos.costBasis), "-520.00");
  assert.equal(pos.avgPrice, px("10.40"));
  pos.applyFill("buy", 80, px("10.00"), NO_FEE);
  // closes the short: realized += (10.40 − 10.00) × 50 = 20; opens long 30 @ 10.00
  assert.equal(pos.qty, 30);
  assert.equal($(pos.realized), "60.00");
  assert.equal($(pos.costBasis), "300.00");
});

Deno.test("Position.unrealized() gains for a short when the price falls and loses when it rises", () => {
  const pos = new Position(aapl);
  pos.applyFill("sell", 50, px("10.40"), NO_FEE);
  assert.equal($(pos.unrealized()), "0.00");
  // market value −50 × 10.00 = −500; −500 − (−520) = +20
  assert.equal($(pos.unrealized(px("10.00"))), "20.00");
  // −50 × 10.60 = −530; −530 − (−520) = −10
  pos.mark(px("10.60"));
  assert.equal($(pos.marketValue()), "-530.00");
  assert.equal($(pos.unrealized()), "-10.00");
});

Deno.test("Position.avgPrice rounds half away from zero for longs and shorts", () => {
  const long = new Position(aapl);
  long.applyFill("buy", 1, 10_000, NO_FEE);
  long.applyFill("buy", 1, 10_001, NO_FEE);
  assert.equal(long.avgPrice, 10_001); // 10000.5 ticks → 10001
  const short = new Position(aapl);
  short.applyFill("sell", 1, 10_000, NO_FEE);
  short.applyFill("sell", 1, 10_001, NO_FEE);
  assert.equal(short.avgPrice, 10_001);
  assert.equal(new Position(aapl).avgPrice, 0);
});

Deno.test("Position.applyFill() rejects a non-positive or fractional qty or price and changes nothing", () => {
  const pos = new Position(aapl);
  pos.applyFill("buy", 10, px("10.00"), parseCash("1"));
  assert.throws(
    () => pos.applyFill("buy", 0, px("10.00"), 0n),
    /'qty' must be a positive integer, got 0/,
  );
  assert.throws(() => pos.applyFill("sell", 1.5, px("10.00"), 0n), /'qty'.*got 1.5/);
  assert.throws(() => pos.applyFill("sell", 1, -1, 0n), /'price'.*got -1/);
  assert.throws(() => pos.mark(0), /'price'.*got 0/);
  assert.equal(pos.qty, 10);
  assert.equal($(pos.fees), "1.00");
  assert.equal($(pos.costBasis), "100.00");
});

Deno.test("Position keeps realized = cash flows + open cost over random fills (property)", () => {
  const rng = new SeededRng(7);
  for (let run = 0; run < 50; run++) {
    const pos = new Position(aapl);
    let flows = 0n; // + sale proceeds − purchase costs, fees left out
    for (let i = 0; i < 40; i++) {
      const side = rng.int(2) === 0 ? "buy" : "sell";
      const qty = 1 + rng.int(300);
      const price = 1 + rng.int(5_000_000);
      pos.applyFill(side, qty, price, NO_FEE);
      const value = notional(aapl, price, qty);
      flows += side === "buy" ? -value : value;
      assert.equal(pos.realized, flows + pos.costBasis);
      if (pos.qty === 0) assert.equal(pos.costBasis, 0n);
      assert.equal(Math.sign(Number(pos.costBasis)), Math.sign(pos.qty));
    }
  }
});
