import assert from "node:assert/strict";
import { InstrumentTable, parsePrice, parseQty } from "../../../core/domain/instrument.ts";
import {
  applyBps,
  type Cash,
  formatCash,
  notional,
  parseCash,
} from "../../../core/domain/money.ts";
import type { Fill, OrderSide } from "../../../core/domain/order.ts";
import { Portfolio } from "../../../core/portfolio/mod.ts";

const table = new InstrumentTable(["AAPL", "MSFT", "BTC/USD"], "SIM");
const aapl = table.get("AAPL")!;
const btc = table.get("BTC/USD")!;
const $ = formatCash;

let seq = 0;
/** A fill of `qty` (decimal string) `symbol` at `price` (decimal string) paying `fee` dollars. */
function fill(symbol: string, side: OrderSide, qty: string, price: string, fee: string): Fill {
  const inst = table.get(symbol)!;
  seq++;
  return {
    fillId: `f${seq}`,
    clientOrderId: `c${seq}`,
    venueOrderId: `v${seq}`,
    symbol,
    side,
    qty: parseQty(inst, qty),
    price: parsePrice(inst, price),
    fee: parseCash(fee),
    liquidity: "taker",
    venueTime: seq,
    recvTime: seq,
  };
}

/** Totals formatted as dollars, for one readable deepEqual per step. */
function totals(pf: Portfolio): Record<string, string> {
  return Object.fromEntries(Object.entries(pf.totals()).map(([k, v]) => [k, $(v as Cash)]));
}

Deno.test("Portfolio P&L, cash and equity over a scripted round trip match the hand computation", () => {
  const pf = new Portfolio(table, parseCash("100000"));
  // 1. buy 100 @ 10.00, fee 1.00: cash 100000 − 1000 − 1 = 98999; value 1000; equity 99999
  pf.applyFill(fill("AAPL", "buy", "100", "10.00", "1.00"));
  assert.deepEqual(totals(pf), {
    cash: "98999.00",
    equity: "99999.00",
    realized: "0.00",
    unrealized: "0.00",
    fees: "1.00",
    dailyPnl: "-1.00",
  });
  // 2. buy 50 @ 10.30, fee 0.50: cash 98999 − 515 − 0.5 = 98483.50; cost 1515, avg 10.10;
  //    marked at the fill 10.30: value 150 × 10.30 = 1545, unrealized 30; equity 100028.50
  pf.applyFill(fill("AAPL", "buy", "50", "10.30", "0.50"));
  assert.equal(pf.position("AAPL").avgPrice, parsePrice(aapl, "10.10"));
  assert.deepEqual(totals(pf), {
    cash: "98483.50",
    equity: "100028.50",
    realized: "0.00",
    unrealized: "30.00",
    fees: "1.50",
    dailyPnl: "28.50",
  });
  // 3a. sell 70 @ 10.50, fee 0.70: removed cost 1515 × 70/150 = 707, realized 735 − 707 = 28;
  //     cash 98483.50 + 735 − 0.70 = 99217.80; 80 left, cost 808, value 840, unrealized 32;
  //     equity 99217.80 + 840 = 100057.80 (= 100000 − 2.20 fees + 28 + 32)
  pf.applyFill(fill("AAPL", "sell", "70", "10.50", "0.70"));
  assert.deepEqual(totals(pf), {
    cash: "99217.80",
    equity: "100057.80",
    realized: "28.00",
    unrealized: "32.00",
    fees: "2.20",
    dailyPnl: "57.80",
  });
  // 3b. sell 50 @ 10.50, fee 0.50: removed 808 × 50/80 = 505, realized += 525 − 505 = 20 → 48;
  //     cash 99217.80 + 525 − 0.50 = 99742.30; 30 left, cost 303, value 315, unrealized 12
  pf.applyFill(fill("AAPL", "sell", "50", "10.50", "0.50"));
  assert.deepEqual(totals(pf), {
    cash: "99742.30",
    equity: "100057.30",
    realized: "48.00",
    unrealized: "12.00",
    fees: "2.70",
    dailyPnl: "57.30",
  });
  // 4. flip: sell 80 @ 10.40, fee 0.80: closes 30 (realized += 312 − 303 = 9 → 57) and opens
  //    short 50 @ 10.40 (cost −520); cash 99742.30 + 832 − 0.80 = 100573.50; value −520;
  //    equity 100053.50 (= 100000 − 3.50 + 57)
  pf.applyFill(fill("AAPL", "sell", "80", "10.40", "0.80"));
  const short = pf.position("AAPL");
  assert.equal(short.qty, -50);
  assert.equal(short.avgPrice, parsePrice(aapl, "10.40"));
  assert.equal($(short.costBasis), "-520.00");
  assert.deepEqual(totals(pf), {
    cash: "100573.50",
    equity: "100053.50",
    realized: "57.00",
    unrealized: "0.00",
    fees: "3.50",
    dailyPnl: "53.50",
  });
  // mark 10.60: a short loses as the price rises: value −530, unrealized −10, equity 100043.50
  pf.mark("AAPL", parsePrice(aapl, "10.60"));
  assert.equal($(pf.position("AAPL").unrealized), "-10.00");
  assert.equal($(pf.totals().equity), "100043.50");
  // 5. buy 50 @ 10.00 to flat, fee 0.50: realized += 520 − 500 = 20 → 77;
  //    cash 100573.50 − 500 − 0.50 = 100073.00 = equity (= 100000 − 4.00 + 77)
  pf.applyFill(fill("AAPL", "buy", "50", "10.00", "0.50"));
  assert.deepEqual(totals(pf), {
    cash: "100073.00",
    equity: "100073.00",
    realized: "77.00",
    unrealized: "0.00",
    fees: "4.00",
    dailyPnl: "73.00",
  });
  const flat = pf.position("AAPL");
  assert.equal(flat.qty, 0);
  assert.equal(flat.avgPrice, 0);
  assert.equal(flat.costBasis, 0n);
  assert.equal($(flat.realized), "77.00");
  assert.deepEqual(pf.positions(), []);
});

Deno.test("Portfolio books a BTC fill exactly where a double loses the last digits", () => {
  const pf = new Portfolio(table, parseCash("100000"));
  // 0.123456789 BTC × 60123.456789 = 123456789 × 60123456789 × 10^-15
  //   = 7422648918750190521 × 10^-15 = 7422.648918750190521 (by long multiplication);
  // the double product prints 7422.648918750191: the trailing 0521 is gone.
  const qty = parseQty(btc, "0.123456789"), price = parsePrice(btc, "60123.456789");
  assert.notEqual(String(0.123456789 * 60123.456789), "7422.648918750190521");
  assert.notEqual(BigInt(qty * price), 7_422_648_918_750_190_521n); // above 2^53: rounded
  const cost = notional(btc, price, qty);
  assert.equal($(cost), "7422.648918750190521");
  // fee 25 bps: 7422.648918750190521 × 0.0025 = 18.5566222968754763025 → …763 (half away)
  const fee = applyBps(cost, 25);
  assert.equal($(fee), "18.556622296875476303");
  pf.applyFill({ ...fill("BTC/USD", "buy", "0.123456789", "60123.456789", "0"), fee });
  assert.equal($(pf.cash), "92558.794458952934002697"); // 100000 − 7422.648918750190521 − fee
  assert.equal(pf.position("BTC/USD").avgPrice, price);
  // sell at 61000.000001: realized = 0.123456789 × 876.543212 = 123456789 × 876543212 × 10^-15
  //   = 108.215210373266268
  pf.applyFill(fill("BTC/USD", "sell", "0.123456789", "61000.000001", "0"));
  const t = pf.totals();
  assert.equal($(t.realized), "108.215210373266268");
  assert.equal($(t.equity), "100089.658588076390791697"); // 100000 + 108.215… − 18.556…
  assert.equal(t.equity, parseCash("100000") + t.realized - t.fees);
});

Deno.test("Portfolio.totals() values shorts negative in equity and sums every instrument", () => {
  const pf = new Portfolio(table, parseCash("10000"));
  pf.applyFill(fill("AAPL", "buy", "10", "100.00", "0"));
  pf.applyFill(fill("MSFT", "sell", "5", "400.00", "0"));
  // cash 10000 − 1000 + 2000 = 11000; value +1000 − 2000; equity 10000
  assert.equal($(pf.totals().equity), "10000.00");
  pf.mark("AAPL", parsePrice(aapl, "101.00")); // +10
  pf.mark("MSFT", parsePrice(table.get("MSFT")!, "390.00")); // short gains 5 × 10 = +50
  const t = pf.totals();
  assert.equal($(t.cash), "11000.00");
  assert.equal($(t.unrealized), "60.00");
  assert.equal($(t.equity), "10060.00"); // 11000 + 1010 − 1950
  assert.deepEqual(pf.positions().map((p) => [p.symbol, p.qty, $(p.marketValue)]), [
    ["AAPL", 10, "1010.00"],
    ["MSFT", -5, "-1950.00"],
  ]);
});

Deno.test("Portfolio daily P&L counts from the equity at startSession, fees included", () => {
  const pf = new Portfolio(table, parseCash("10000"));
  assert.equal(pf.sessionStart, undefined);
  pf.applyFill(fill("AAPL", "buy", "100", "10.00", "1.00"));
  pf.mark("AAPL", parsePrice(aapl, "10.20")); // yesterday's close: equity 10000 − 1 + 20 = 10019
  pf.startSession(1_710_163_800_000_000);
  assert.equal(pf.sessionStart, 1_710_163_800_000_000);
  assert.equal($(pf.sessionStartEquity), "10019.00");
  assert.equal($(pf.totals().dailyPnl), "0.00");
  // today: mark 10.50 (+30 unrealized), sell 100 @ 10.50 paying 1.00 → daily 30 − 1 = 29
  pf.mark("AAPL", parsePrice(aapl, "10.50"));
  assert.equal($(pf.totals().dailyPnl), "30.00");
  pf.applyFill(fill("AAPL", "sell", "100", "10.50", "1.00"));
  const t = pf.totals();
  assert.equal($(t.dailyPnl), "29.00");
  assert.equal($(t.realized), "50.00"); // lifetime: (10.50 − 10.00) × 100
  assert.equal(t.dailyPnl, t.equity - pf.sessionStartEquity);
});

Deno.test("Portfolio rejects a fill or mark for a symbol it does not trade and keeps its cash", () => {
  const pf = new Portfolio(table, parseCash("10000"));
  assert.throws(
    () => pf.applyFill({ ...fill("AAPL", "buy", "1", "10.00", "0"), symbol: "TSLA" }),
    /Cannot apply fill: symbol "TSLA" is not traded/,
  );
  assert.throws(() => pf.mark("TSLA", 1), /Cannot mark: symbol "TSLA"/);
  assert.throws(() => pf.applyFill({ ...fill("AAPL", "buy", "1", "10.00", "0"), qty: 0 }), /'qty'/);
  assert.equal($(pf.cash), "10000.00");
});

Deno.test("Portfolio.position() returns a frozen snapshot that later fills do not change", () => {
  const pf = new Portfolio(table, parseCash("10000"));
  pf.applyFill(fill("AAPL", "buy", "10", "10.00", "0"));
  const snap = pf.position("AAPL");
  pf.applyFill(fill("AAPL", "buy", "10", "10.00", "0"));
  assert.equal(snap.qty, 10);
  assert.ok(Object.isFrozen(snap));
});

Deno.test("Portfolio equity and daily P&L follow every fill and mark (no stale value between reads)", () => {
  const pf = new Portfolio(table, parseCash("10000"));
  assert.equal($(pf.equity), "10000.00");
  pf.applyFill(fill("AAPL", "buy", "10", "100", "1"));
  assert.equal($(pf.equity), "9999.00");
  assert.equal($(pf.equity), "9999.00", "read twice, same value");
  pf.mark("AAPL", parsePrice(aapl, "110"));
  assert.equal($(pf.equity), "10099.00");
  assert.equal($(pf.dailyPnl), "99.00");
  pf.startSession(1);
  assert.equal($(pf.dailyPnl), "0.00");
  pf.applyFill(fill("AAPL", "sell", "10", "105", "1"));
  assert.equal($(pf.equity), "10048.00");
  assert.equal(pf.equity, pf.totals().equity);
  assert.equal(pf.dailyPnl, pf.totals().dailyPnl);
});
