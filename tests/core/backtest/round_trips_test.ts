import assert from "node:assert/strict";
import { roundTrips, tradedNotional } from "../../../core/backtest/round_trips.ts";
import { InstrumentTable } from "../../../core/domain/instrument.ts";
import { type Cash, formatCash, parseCash } from "../../../core/domain/money.ts";
import type { Fill } from "../../../core/domain/order.ts";

// AAPL: prices in 10^-4 dollars, whole shares. BTC/USD: prices in 10^-6, quantities in 10^-9.
const table = new InstrumentTable(["AAPL", "MSFT", "BTC/USD"], "SIM");
const T0 = Date.UTC(2024, 0, 2, 14, 30) * 1000;

let seq = 0;
/** A fill of `qty` lots at `price` (decimal dollars, AAPL/MSFT ticks of 10^-4) `minutes` after T0. */
function fill(
  side: "buy" | "sell",
  qty: number,
  price: string,
  options: { symbol?: string; fee?: Cash | string; minutes?: number } = {},
): Fill {
  const symbol = options.symbol ?? "AAPL";
  const inst = table.get(symbol)!;
  const [int, frac = ""] = price.split(".");
  const ticks = Number(int + frac.padEnd(inst.priceDecimals, "0"));
  const time = T0 + (options.minutes ?? seq) * 60_000_000;
  seq++;
  const fee = options.fee ?? 0n;
  return {
    fillId: `f${seq}`,
    clientOrderId: `c${seq}`,
    venueOrderId: `v${seq}`,
    symbol,
    side,
    qty,
    price: ticks,
    fee: typeof fee === "string" ? parseCash(fee) : fee,
    liquidity: "taker",
    venueTime: time,
    recvTime: time,
  };
}

Deno.test("roundTrips() turns a buy then a sell back to flat into one long trip", () => {
  const trips = roundTrips([
    fill("buy", 100, "10.00", { fee: "1", minutes: 0 }),
    fill("sell", 100, "10.50", { fee: "1", minutes: 90 }),
  ], table);
  assert.deepEqual(trips, [{
    symbol: "AAPL",
    direction: "long",
    qty: "100",
    entryTime: "2024-01-02T14:30:00.000000Z",
    exitTime: "2024-01-02T16:00:00.000000Z",
    entryPrice: "10.00",
    exitPrice: "10.50",
    pnl: "48.00",
    returnPct: 0.048,
  }]);
});

Deno.test("roundTrips() turns a sell then a buy back to flat into one short trip", () => {
  const [trip] = roundTrips([fill("sell", 50, "20.00"), fill("buy", 50, "19.00")], table);
  assert.equal(trip?.direction, "short");
  assert.equal(trip?.pnl, "50.00");
  assert.equal(trip?.returnPct, 0.05);
  assert.equal(trip?.entryPrice, "20.00");
  assert.equal(trip?.exitPrice, "19.00");
});

Deno.test("roundTrips() keeps one trip through adds and partial exits, with weighted prices and the largest size", () => {
  const trips = roundTrips([
    fill("buy", 100, "10.00"),
    fill("buy", 100, "12.00"),
    fill("sell", 50, "13.00"),
    fill("buy", 50, "11.00"),
    fill("sell", 200, "12.00"),
  ], table);
  assert.equal(trips.length, 1);
  const [trip] = trips;
  assert.equal(trip?.qty, "200");
  // Entries: 100 @ 10 + 100 @ 12 + 50 @ 11 = 2750 over 250 → 11.00.
  assert.equal(trip?.entryPrice, "11.00");
  // Exits: 50 @ 13 + 200 @ 12 = 3050 over 250 → 12.20.
  assert.equal(trip?.exitPrice, "12.20");
  assert.equal(trip?.pnl, "300.00");
  assert.equal(trip?.returnPct, 300 / 2750);
});

Deno.test("roundTrips() closes at a fill that crosses zero and opens the opposite trip with the rest", () => {
  const trips = roundTrips([
    fill("buy", 100, "10.00", { fee: "1" }),
    // 100 close the long, 50 open a short; the $3 fee splits $2 / $1.
    fill("sell", 150, "11.00", { fee: "3", minutes: 60 }),
    fill("buy", 50, "10.00", { fee: "0.5", minutes: 120 }),
  ], table);
  assert.equal(trips.length, 2);
  const [long, short] = trips;
  assert.equal(long?.direction, "long");
  assert.equal(long?.qty, "100");
  assert.equal(long?.pnl, "97.00");
  assert.equal(long?.exitTime, "2024-01-02T15:30:00.000000Z");
  assert.equal(short?.direction, "short");
  assert.equal(short?.qty, "50");
  assert.equal(short?.entryTime, "2024-01-02T15:30:00.000000Z");
  assert.equal(short?.entryPrice, "11.00");
  assert.equal(short?.pnl, "48.50");
});

Deno.test("roundTrips() splits a crossing fill's fee exactly: the two parts sum to the fee", () => {
  // 10^-17 of a dollar over 3 lots, 1 closing: the closing part rounds to 3, the rest takes 7.
  const trips = roundTrips([
    fill("buy", 1, "10.00"),
    fill("sell", 3, "10.00", { fee: 10n }),
    fill("buy", 2, "10.00"),
  ], table);
  assert.equal(trips[0]?.pnl, "-0.000000000000000003");
  assert.equal(trips[1]?.pnl, "-0.000000000000000007");
});

Deno.test("roundTrips() P&L over closed trips equals sells − buys − fees to the last 10^-18", () => {
  const fills = [
    fill("buy", 7, "10.01", { fee: 123_456_789n }),
    fill("sell", 10, "10.37", { fee: 987_654_321n }),
    fill("buy", 5, "9.99", { fee: 55_555_555n }),
    fill("sell", 2, "10.11", { fee: 1n }),
  ];
  // Positions 7, −3, 2, 0: three trips, two of them opened by crossing fills whose fees split.
  const trips = roundTrips(fills, table);
  assert.deepEqual(trips.map((t) => t.direction), ["long", "short", "long"]);
  const sum = trips.reduce((s, t) => s + parseCash(t.pnl), 0n);
  const sells = parseCash("103.70") + parseCash("20.22");
  const buys = parseCash("70.07") + parseCash("49.95");
  const fees = 123_456_789n + 987_654_321n + 55_555_555n + 1n;
  assert.equal(sum, sells - buys - fees);
});

Deno.test("roundTrips() does not list a trip still open after the last fill", () => {
  const trips = roundTrips([
    fill("buy", 10, "10.00"),
    fill("sell", 10, "11.00"),
    fill("buy", 5, "12.00"),
    fill("sell", 2, "12.50"),
  ], table);
  assert.equal(trips.length, 1);
  assert.equal(trips[0]?.pnl, "10.00");
});

Deno.test("roundTrips() tracks symbols separately and lists trips in the order they close", () => {
  const trips = roundTrips([
    fill("buy", 10, "10.00", { symbol: "AAPL" }),
    fill("sell", 5, "300.00", { symbol: "MSFT" }),
    fill("buy", 5, "290.00", { symbol: "MSFT" }),
    fill("sell", 10, "9.00", { symbol: "AAPL" }),
  ], table);
  assert.deepEqual(trips.map((t) => [t.symbol, t.direction, t.pnl]), [
    ["MSFT", "short", "50.00"],
    ["AAPL", "long", "-10.00"],
  ]);
  assert.equal(trips[1]?.returnPct, -0.1);
});

Deno.test("roundTrips() rounds average prices to the instrument's price precision", () => {
  // 0.1 BTC @ 60000.000001 and 0.2 BTC @ 60000.000002: the average 60000.0000016… rounds up.
  const trips = roundTrips([
    fill("buy", 100_000_000, "60000.000001", { symbol: "BTC/USD" }),
    fill("buy", 200_000_000, "60000.000002", { symbol: "BTC/USD" }),
    fill("sell", 300_000_000, "60010", { symbol: "BTC/USD" }),
  ], table);
  assert.equal(trips[0]?.qty, "0.3");
  assert.equal(trips[0]?.entryPrice, "60000.000002");
  assert.equal(trips[0]?.exitPrice, "60010");
  // 0.3 × 60010 − (0.1 × 60000.000001 + 0.2 × 60000.000002), exact.
  assert.equal(trips[0]?.pnl, "2.9999995");
});

Deno.test("roundTrips() throws on an unknown symbol or a non-positive quantity", () => {
  const bad = { ...fill("buy", 1, "1.00"), symbol: "TSLA" };
  assert.throws(() => roundTrips([bad], table), /unknown symbol TSLA/);
  const zero = { ...fill("buy", 1, "1.00"), qty: 0 };
  assert.throws(() => roundTrips([zero], table), /'qty' must be a positive integer, got 0/);
});

Deno.test("tradedNotional() sums |qty × price| over buys and sells exactly", () => {
  const fills = [
    fill("buy", 100, "10.00"),
    fill("sell", 150, "11.00"),
    fill("buy", 100_000_000, "60000.000001", { symbol: "BTC/USD" }),
  ];
  assert.equal(formatCash(tradedNotional(fills, table)), "8650.0000001");
  assert.equal(tradedNotional([], table), 0n);
});
