import assert from "node:assert/strict";
import {
  type BacktestFees,
  type BacktestSettings,
  BacktestVenue,
} from "../../../core/backtest/backtest_venue.ts";
import { idHash } from "../../../core/backtest/_text_column.ts";
import { SimClock } from "../../../core/clock/sim_clock.ts";
import { OrderBook } from "../../../core/data/order_book.ts";
import { InstrumentTable } from "../../../core/domain/instrument.ts";
import { type Cash, notional, parseCash } from "../../../core/domain/money.ts";
import type { TradeUpdate } from "../../../core/execution/trading_client.ts";
import { VenueError } from "../../../core/execution/venue_error.ts";
import { bpsFee, perShareFee } from "../../../core/matching/fee_model.ts";
import { MatchingEngine } from "../../../core/matching/matching_engine.ts";
import { SimTrading } from "../../../core/venues/sim/sim_trading.ts";
import { req } from "../matching/_builders.ts";

// AAPL (index 0) prices are 10^-4 dollars: usd(c) is $100.00 + c cents. Bars are one minute.
const T0 = 1_704_205_800_000_000; // 2024-01-02T14:30:00Z
const MIN = 60_000_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const usd = (cents: number): number => 1_000_000 + cents * 100;
const CASH = parseCash("1000000");

function setup(settings?: BacktestSettings, fees?: BacktestFees, idPrefix?: string) {
  const instruments = new InstrumentTable(["AAPL", "BTC/USD"], "SIM");
  const clock = new SimClock(T0);
  const venue = new BacktestVenue({
    instruments,
    clock,
    settings,
    fees,
    idPrefix,
    startingCash: CASH,
  });
  const updates: TradeUpdate[] = [];
  venue.onTradeUpdate((u) => updates.push(u));
  return { clock, venue, updates, instruments };
}

/** Minute bar i of AAPL, [T0 + i·MIN, T0 + (i+1)·MIN), from `start` (default T0). */
function bar(
  venue: BacktestVenue,
  i: number,
  [o, h, l, c]: [number, number, number, number],
  volume = 10_000,
  start = T0,
): void {
  venue.onBar(0, o, h, l, c, volume, start + i * MIN, start + (i + 1) * MIN);
}

const events = (us: readonly TradeUpdate[]): string[] => us.map((u) => u.event);
/** [clientOrderId, qty, price] of each fill. */
const fills = (us: readonly TradeUpdate[]): Array<[string, number, number]> =>
  us.flatMap((u) => u.fill ? [[u.fill.clientOrderId, u.fill.qty, u.fill.price]] : []);

/** Two different ids `${prefix}<n>` with one 32-bit idHash, found by search. */
function collidingIds(prefix: string): [string, string] {
  const byHash = new Map<number, string>();
  for (let i = 0;; i++) {
    const id = `${prefix}${i}`, h = idHash(id), seen = byHash.get(h);
    if (seen !== undefined) return [seen, id];
    byHash.set(h, id);
  }
}

async function rejectsWith(p: Promise<unknown>, kind: string, message?: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof VenueError, `expected a VenueError, got ${e}`);
    assert.equal(e.kind, kind);
    if (message !== undefined) assert.match(e.message, message);
    return true;
  });
}

Deno.test("BacktestVenue.submitOrder() reports accepted synchronously, then resolves with the new order", async () => {
  const { venue, updates } = setup();
  const pending = venue.submitOrder(req("c1"));
  assert.deepEqual(events(updates), ["accepted"]);
  const order = await pending;
  assert.equal(order.status, "new");
  assert.equal(order.venueOrderId, "BT-1");
  assert.deepEqual(updates[0]!.order, order);
});

Deno.test("BacktestVenue reports submit and cancel exactly as SimTrading does", async () => {
  const instruments = new InstrumentTable(["AAPL", "BTC/USD"], "SIM");
  const clock = new SimClock(T0);
  const sim = await SimTrading.open({
    instruments,
    clock,
    matching: new MatchingEngine(instruments),
    book: () => new OrderBook("AAPL"),
    latencyMs: 0,
    startingCash: CASH,
  });
  const bt = setup(undefined, undefined, "SIM");
  const simUpdates: TradeUpdate[] = [];
  sim.onTradeUpdate((u) => simUpdates.push(u));
  const order = req("c1", { type: "limit", limitPrice: usd(-50) });
  assert.deepEqual(await bt.venue.submitOrder(order), await sim.submitOrder(order));
  await bt.venue.cancelOrder("c1");
  await sim.cancelOrder("c1");
  assert.deepEqual(bt.updates, simUpdates);
  assert.deepEqual(events(bt.updates), ["accepted", "canceled"]);
  await rejectsWith(bt.venue.submitOrder(req("c2", { qty: 0 })), "rejected");
  await rejectsWith(sim.submitOrder(req("c2", { qty: 0 })), "rejected");
  assert.deepEqual(bt.updates, simUpdates);
});

Deno.test("BacktestVenue fills a market order at the next bar's open, not on the bar that produced the signal", async () => {
  const { clock, venue, updates } = setup();
  clock.advanceTo(T0 + MIN); // bar 0 closed; the strategy reacts to it
  await venue.submitOrder(req("c1"));
  bar(venue, 0, [usd(0), usd(10), usd(-10), usd(5)]); // the signal bar: it opened before the order
  assert.deepEqual(events(updates), ["accepted"]);
  bar(venue, 1, [usd(7), usd(12), usd(3), usd(9)]);
  assert.deepEqual(events(updates), ["accepted", "fill"]);
  const fill = updates[1]!.fill!;
  assert.deepEqual([fill.fillId, fill.qty, fill.price, fill.liquidity], [
    "BT-1-1",
    100,
    usd(7),
    "taker",
  ]);
  assert.equal(fill.venueTime, T0 + MIN);
  assert.equal(updates[1]!.order.status, "filled");
});

Deno.test("BacktestVenue latency moves an order's first fill to the first bar opening after it arrives", async () => {
  const { clock, venue, updates } = setup({ latencyMs: 1 });
  clock.advanceTo(T0 + MIN);
  await venue.submitOrder(req("c1"));
  bar(venue, 1, [usd(7), usd(12), usd(3), usd(9)]);
  assert.deepEqual(fills(updates), []);
  bar(venue, 2, [usd(8), usd(12), usd(3), usd(9)]);
  assert.deepEqual(fills(updates), [["c1", 100, usd(8)]]);
});

Deno.test("BacktestVenue slips market fills adversely onto the tick", async () => {
  const { venue, updates } = setup({ slippage: { kind: "fixed_bps", bps: 1.5 } });
  await venue.submitOrder(req("b"));
  await venue.submitOrder(req("s", { side: "sell" }));
  bar(venue, 0, [usd(0), usd(10), usd(-10), usd(5)]);
  // 1.5 bp of $100 is 1.5 cents: the buy pays $100.02, the sell receives $99.98.
  assert.deepEqual(fills(updates), [["b", 100, usd(2)], ["s", 100, usd(-2)]]);
});

Deno.test("BacktestVenue caps fills at the participation rate and keeps the rest working across bars", async () => {
  const { venue, updates } = setup({ participationRate: 0.1 });
  await venue.submitOrder(req("c1", { qty: 70 }));
  for (let i = 0; i < 4; i++) bar(venue, i, [usd(i), usd(10), usd(-10), usd(0)], 305);
  assert.deepEqual(events(updates), ["accepted", "partial_fill", "partial_fill", "fill"]);
  assert.deepEqual(fills(updates), [["c1", 30, usd(0)], ["c1", 30, usd(1)], ["c1", 10, usd(2)]]);
  assert.deepEqual(updates.slice(1).map((u) => u.order.filledQty), [30, 60, 70]);
  assert.deepEqual(updates.slice(1).map((u) => u.order.status), [
    "partially_filled",
    "partially_filled",
    "filled",
  ]);
});

Deno.test("BacktestVenue shares a bar's participation budget among orders of one side, in acceptance order", async () => {
  const { venue, updates } = setup({ participationRate: 0.1 });
  await venue.submitOrder(req("b1", { qty: 20 }));
  await venue.submitOrder(req("b2", { qty: 20 }));
  await venue.submitOrder(req("s1", { qty: 20, side: "sell" }));
  bar(venue, 0, [usd(0), usd(10), usd(-10), usd(0)], 300);
  assert.deepEqual(fills(updates), [["b1", 20, usd(0)], ["b2", 10, usd(0)], ["s1", 20, usd(0)]]);
});

Deno.test("BacktestVenue rests a limit until a bar trades through it, then fills as maker at the limit", async () => {
  const { venue, updates } = setup();
  await venue.submitOrder(req("c1", { type: "limit", limitPrice: usd(-10), tif: "gtc" }));
  bar(venue, 0, [usd(0), usd(5), usd(-10), usd(0)]); // touch only
  bar(venue, 1, [usd(0), usd(5), usd(-11), usd(0)]);
  assert.deepEqual(fills(updates), [["c1", 100, usd(-10)]]);
  assert.equal(updates[1]!.fill!.liquidity, "maker");
  assert.equal(updates[1]!.fill!.venueTime, T0 + MIN);
});

Deno.test("BacktestVenue fills a limit on touch when limitFillOnTouch is set, and at a gapped open as taker", async () => {
  const touch = setup({ limitFillOnTouch: true });
  await touch.venue.submitOrder(req("c1", { type: "limit", limitPrice: usd(-10) }));
  bar(touch.venue, 0, [usd(0), usd(5), usd(-10), usd(0)]);
  assert.deepEqual(fills(touch.updates), [["c1", 100, usd(-10)]]);
  const gap = setup();
  await gap.venue.submitOrder(req("c1", { type: "limit", limitPrice: usd(-10) }));
  bar(gap.venue, 0, [usd(-30), usd(-20), usd(-40), usd(-25)]);
  assert.deepEqual(fills(gap.updates), [["c1", 100, usd(-30)]]);
  assert.equal(gap.updates[1]!.fill!.liquidity, "taker");
});

Deno.test("BacktestVenue fills a stop on the bar that reaches it, at the open when the bar gaps past it", async () => {
  const { venue, updates } = setup();
  await venue.submitOrder(req("up", { type: "stop", stopPrice: usd(10) }));
  await venue.submitOrder(req("dn", { type: "stop", stopPrice: usd(-40), side: "sell" }));
  bar(venue, 0, [usd(0), usd(9), usd(-5), usd(0)]);
  assert.deepEqual(fills(updates), []);
  bar(venue, 1, [usd(0), usd(12), usd(-5), usd(0)]);
  bar(venue, 2, [usd(-50), usd(-45), usd(-55), usd(-50)]);
  assert.deepEqual(fills(updates), [["up", 100, usd(10)], ["dn", 100, usd(-50)]]);
});

Deno.test("BacktestVenue fills a stop elected without volume at the next bar's open", async () => {
  const { venue, updates } = setup({ participationRate: 0.5 });
  await venue.submitOrder(req("up", { type: "stop", stopPrice: usd(10) }));
  bar(venue, 0, [usd(0), usd(12), usd(-5), usd(0)], 0);
  assert.deepEqual(fills(updates), []);
  bar(venue, 1, [usd(3), usd(4), usd(2), usd(3)], 1_000);
  assert.deepEqual(fills(updates), [["up", 100, usd(3)]]);
});

Deno.test("BacktestVenue holds a stop-limit elected inside a bar until the next bar when its limit is below the stop", async () => {
  const { venue, updates } = setup();
  await venue.submitOrder(
    req("c1", { type: "stop_limit", stopPrice: usd(10), limitPrice: usd(5), tif: "gtc" }),
  );
  bar(venue, 0, [usd(0), usd(12), usd(-20), usd(0)]); // the low may have come before the trigger
  assert.deepEqual(fills(updates), []);
  bar(venue, 1, [usd(8), usd(9), usd(4), usd(6)]);
  assert.deepEqual(fills(updates), [["c1", 100, usd(5)]]);
});

Deno.test("BacktestVenue expires a day order at the first event of the next session, before matching it", async () => {
  const { venue, updates } = setup();
  await venue.submitOrder(req("day", { type: "limit", limitPrice: usd(-10) }));
  await venue.submitOrder(req("gtc", { type: "limit", limitPrice: usd(-10), tif: "gtc" }));
  bar(venue, 0, [usd(0), usd(5), usd(-5), usd(0)]);
  bar(venue, 0, [usd(0), usd(5), usd(-20), usd(0)], 10_000, T0 + DAY);
  assert.deepEqual(events(updates), ["accepted", "accepted", "expired", "fill"]);
  assert.equal(updates[2]!.order.clientOrderId, "day");
  assert.equal(updates[2]!.order.updatedAt, T0 + DAY);
  assert.deepEqual(fills(updates), [["gtc", 100, usd(-10)]]);
});

Deno.test("BacktestVenue: a day order sent after the session (a Friday evening) works the next session", async () => {
  const { venue, updates, clock } = setup();
  // Sent on Saturday (T0 is a Tuesday); the next bar is Monday's.
  clock.advanceTo(T0 + 4 * DAY);
  await venue.submitOrder(req("weekend", { type: "limit", limitPrice: usd(-10) }));
  bar(venue, 0, [usd(0), usd(5), usd(-20), usd(0)], 10_000, T0 + 6 * DAY);
  assert.deepEqual(events(updates), ["accepted", "fill"], "not expired before its first session");
  await venue.submitOrder(req("next", { type: "limit", limitPrice: usd(-30) }));
  bar(venue, 0, [usd(0), usd(5), usd(-5), usd(0)], 10_000, T0 + 6 * DAY + HOUR);
  bar(venue, 0, [usd(0), usd(5), usd(-5), usd(0)], 10_000, T0 + 7 * DAY);
  assert.deepEqual(events(updates).slice(2), ["accepted", "expired"], "then it lives one session");
});

Deno.test("BacktestVenue asks the injected sessionDay when sessions end", async () => {
  const { venue, updates } = setup({ sessionDay: (t) => Math.floor(t / HOUR) });
  await venue.submitOrder(req("c1", { type: "limit", limitPrice: usd(-10) }));
  bar(venue, 29, [usd(0), usd(5), usd(-5), usd(0)]); // 14:59, same hour
  bar(venue, 30, [usd(0), usd(5), usd(-5), usd(0)]); // 15:00, the next session
  assert.deepEqual(events(updates), ["accepted", "expired"]);
});

Deno.test("BacktestVenue.expireDayOrders() expires working day orders and keeps gtc ones", async () => {
  const { venue, updates } = setup();
  await venue.submitOrder(req("day", { type: "limit", limitPrice: usd(-10) }));
  await venue.submitOrder(req("gtc", { type: "limit", limitPrice: usd(-10), tif: "gtc" }));
  venue.expireDayOrders();
  assert.deepEqual(events(updates), ["accepted", "accepted", "expired"]);
  assert.deepEqual((await venue.openOrders()).map((o) => o.clientOrderId), ["gtc"]);
});

Deno.test("BacktestVenue fills an ioc order as far as its first eligible bar allows and cancels the rest", async () => {
  const { clock, venue, updates } = setup({ participationRate: 0.1 });
  clock.advanceTo(T0 + MIN);
  await venue.submitOrder(req("c1", { qty: 50, tif: "ioc" }));
  bar(venue, 0, [usd(0), usd(5), usd(-5), usd(0)], 300); // before it arrived: no effect
  bar(venue, 1, [usd(1), usd(5), usd(-5), usd(0)], 300);
  assert.deepEqual(events(updates), ["accepted", "partial_fill", "canceled"]);
  assert.deepEqual(fills(updates), [["c1", 30, usd(1)]]);
  assert.equal(updates[2]!.order.filledQty, 30);
});

Deno.test("BacktestVenue cancels an ioc limit its first eligible bar does not reach", async () => {
  const { venue, updates } = setup();
  await venue.submitOrder(req("c1", { type: "limit", limitPrice: usd(-10), tif: "ioc" }));
  bar(venue, 0, [usd(0), usd(5), usd(-5), usd(0)]);
  assert.deepEqual(events(updates), ["accepted", "canceled"]);
});

Deno.test("BacktestVenue fills a fok order only in full on its first eligible bar", async () => {
  const { venue, updates } = setup({ participationRate: 0.1 });
  await venue.submitOrder(req("big", { qty: 50, tif: "fok" }));
  await venue.submitOrder(req("small", { qty: 20, tif: "fok" }));
  await venue.submitOrder(req("far", { type: "limit", limitPrice: usd(-10), qty: 5, tif: "fok" }));
  bar(venue, 0, [usd(0), usd(5), usd(-5), usd(0)], 300);
  assert.deepEqual(events(updates).slice(3), ["canceled", "fill", "canceled"]);
  assert.deepEqual(fills(updates), [["small", 20, usd(0)]]);
  assert.equal(updates[3]!.order.filledQty, 0);
});

Deno.test("BacktestVenue charges per-share fees with the minimum per order topped up on the first fill", async () => {
  const fees = { model: perShareFee(parseCash("0.005")), minPerOrder: parseCash("1") };
  const { venue, updates } = setup({ participationRate: 0.5 }, fees);
  // 100 shares in fills of 40, 40 and 20 compute $0.50: the first fill pays the $1.00 minimum.
  await venue.submitOrder(req("small", { qty: 100 }));
  for (let i = 0; i < 3; i++) bar(venue, i, [usd(0), usd(5), usd(-5), usd(0)], 80);
  // 300 shares in fills of 150 compute $0.75 + $0.75: $1.00 first, then only the excess $0.50.
  await venue.submitOrder(req("large", { qty: 300 }));
  for (let i = 3; i < 5; i++) bar(venue, i, [usd(0), usd(5), usd(-5), usd(0)], 300);
  const feeOf = (id: string): Cash[] =>
    updates.flatMap((u) => u.fill?.clientOrderId === id ? [u.fill.fee] : []);
  assert.deepEqual(feeOf("small"), [parseCash("1"), 0n, 0n]);
  assert.deepEqual(feeOf("large"), [parseCash("1"), parseCash("0.5")]);
  const account = await venue.account();
  const paid = 400n * BigInt(usd(0)) * 10n ** 14n; // 400 shares at $100.00 in Cash units
  assert.equal(account.cash, CASH - paid - parseCash("2.5"));
});

Deno.test("BacktestVenue charges bps fees on notional at the maker or taker rate", async () => {
  const { venue, updates } = setup(undefined, { model: bpsFee(1, 0.5) });
  await venue.submitOrder(req("mkt", { qty: 100 }));
  await venue.submitOrder(req("lmt", { type: "limit", limitPrice: usd(-10), qty: 100 }));
  bar(venue, 0, [usd(0), usd(5), usd(-20), usd(0)]);
  // $10,000 × 1 bp = $1.00 taker; $9,990 × 0.5 bp = $0.4995 maker.
  assert.deepEqual(updates.flatMap((u) => u.fill ? [[u.fill.liquidity, u.fill.fee]] : []), [
    ["taker", parseCash("1")],
    ["maker", parseCash("0.4995")],
  ]);
});

Deno.test("BacktestVenue fills a market order at the ask of the first quote after it arrives", async () => {
  const { clock, venue, updates } = setup({
    slippage: { kind: "spread_share", share: 0.25, assumedSpreadBps: 0 },
  });
  clock.advanceTo(T0 + 1_000);
  await venue.submitOrder(req("b", { qty: 10 }));
  venue.onQuote(0, usd(0), 500, usd(4), 500, T0); // older than the order
  venue.onQuote(0, usd(0), 500, usd(4), 500, T0 + 1_000);
  // A quarter of the 4-cent spread beyond the $100.02 mid.
  assert.deepEqual(fills(updates), [["b", 10, usd(3)]]);
  assert.equal(updates[1]!.fill!.venueTime, T0 + 1_000);
});

Deno.test("BacktestVenue fills trade-driven stops from the print after the one that elects them", async () => {
  const { venue, updates } = setup({ participationRate: 0.5 });
  await venue.submitOrder(req("c1", { type: "stop", stopPrice: usd(5), qty: 40 }));
  venue.onTrade(0, usd(6), 100, T0 + 1);
  assert.deepEqual(fills(updates), []);
  venue.onTrade(0, usd(7), 60, T0 + 2);
  venue.onTrade(0, usd(8), 100, T0 + 3);
  assert.deepEqual(fills(updates), [["c1", 30, usd(7)], ["c1", 10, usd(8)]]);
});

Deno.test("BacktestVenue.cancelOrder() cancels a working order and refuses unknown or finished ones", async () => {
  const { venue, updates } = setup();
  await venue.submitOrder(req("c1", { type: "limit", limitPrice: usd(-10) }));
  await venue.cancelOrder("c1");
  assert.deepEqual(events(updates), ["accepted", "canceled"]);
  assert.equal((await venue.getOrderByClientId("c1"))?.status, "canceled");
  await rejectsWith(venue.cancelOrder("c1"), "invalid_request", /order is canceled/);
  await rejectsWith(venue.cancelOrder("nope"), "invalid_request", /unknown clientOrderId/);
  bar(venue, 0, [usd(-20), usd(-15), usd(-25), usd(-20)]);
  assert.deepEqual(fills(updates), []);
});

Deno.test("BacktestVenue.replaceOrder() replaces a working order with a new one that keeps its own fills", async () => {
  const { venue, updates } = setup({ participationRate: 0.1 });
  await venue.submitOrder(req("c1", { type: "limit", limitPrice: usd(-10), tif: "gtc" }));
  bar(venue, 0, [usd(0), usd(5), usd(-20), usd(0)], 300);
  const next = await venue.replaceOrder(
    "c1",
    req("c2", { type: "limit", limitPrice: usd(-5), qty: 70, tif: "gtc" }),
  );
  assert.deepEqual(events(updates), ["accepted", "partial_fill", "replaced", "accepted"]);
  assert.deepEqual([next.status, next.venueOrderId], ["new", "BT-2"]);
  assert.deepEqual(
    [(await venue.getOrderByClientId("c1"))?.status, updates[2]!.order.filledQty],
    ["replaced", 30],
  );
  assert.deepEqual((await venue.openOrders()).map((o) => o.clientOrderId), ["c2"]);
  bar(venue, 1, [usd(0), usd(5), usd(-6), usd(0)], 300);
  assert.deepEqual(fills(updates), [["c1", 30, usd(-10)], ["c2", 30, usd(-5)]]);
});

Deno.test("BacktestVenue.replaceOrder() refuses unknown orders, finished ones and changes of side", async () => {
  const { venue } = setup();
  await venue.submitOrder(req("c1", { type: "limit", limitPrice: usd(-10) }));
  const next = req("c2", { type: "limit", limitPrice: usd(-5) });
  await rejectsWith(venue.replaceOrder("nope", next), "invalid_request", /unknown/);
  await rejectsWith(
    venue.replaceOrder("c1", { ...next, side: "sell" }),
    "invalid_request",
    /keep the symbol, side and type/,
  );
  await rejectsWith(venue.replaceOrder("c1", { ...next, clientOrderId: "c1" }), "invalid_request");
  await rejectsWith(venue.replaceOrder("c1", { ...next, qty: 0 }), "invalid_request", /qty/);
  await venue.cancelOrder("c1");
  await rejectsWith(venue.replaceOrder("c1", next), "invalid_request", /order is canceled/);
});

Deno.test("BacktestVenue.submitOrder() rejects invalid and duplicate orders without a report", async () => {
  const { venue, updates } = setup();
  await rejectsWith(venue.submitOrder(req("q", { qty: 0 })), "rejected", /qty/);
  await rejectsWith(venue.submitOrder(req("s", { symbol: "MSFT" })), "rejected", /unknown symbol/);
  await rejectsWith(
    venue.submitOrder(req("t", { type: "limit", limitPrice: usd(0) + 50 })),
    "rejected",
    /off the tick/,
  );
  assert.deepEqual(updates, []);
  assert.equal(await venue.getOrderByClientId("q"), undefined);
  await venue.submitOrder(req("c1"));
  await rejectsWith(venue.submitOrder(req("c1")), "duplicate_client_order_id");
  await assert.rejects(venue.submitOrder(req("n", { qty: NaN })), RangeError);
});

Deno.test("BacktestVenue keeps the account, positions and fills of its executions", async () => {
  const { venue, instruments } = setup();
  await venue.submitOrder(req("c1"));
  await venue.submitOrder(req("c2", { side: "sell", qty: 40 }));
  bar(venue, 0, [usd(0), usd(5), usd(-5), usd(0)]);
  assert.deepEqual(await venue.positions(), [{ symbol: "AAPL", qty: 60 }]);
  const all = await venue.fillsSince(undefined);
  assert.deepEqual(all.map((f) => f.fillId), ["BT-1-1", "BT-2-1"]);
  assert.deepEqual((await venue.fillsSince("BT-1-1")).map((f) => f.fillId), ["BT-2-1"]);
  bar(venue, 1, [usd(0), usd(15), usd(-5), usd(10)]); // marks the position at the close
  const account = await venue.account();
  const cash = CASH - notional(instruments.at(0), usd(0), 60);
  assert.equal(account.cash, cash);
  assert.equal(account.equity, cash + notional(instruments.at(0), usd(10), 60));
});

Deno.test("BacktestVenue throws on corrupt market data and unknown instrument indexes", () => {
  const { venue } = setup();
  assert.throws(() => venue.onBar(0, usd(0), usd(-1), usd(-5), usd(0), 10, T0, T0 + MIN), /bar/);
  assert.throws(() => venue.onBar(0, usd(0), usd(1), usd(-5), usd(0), -1, T0, T0 + MIN), /bar/);
  assert.throws(() => venue.onBar(7, usd(0), usd(1), usd(-5), usd(0), 10, T0, T0 + MIN), /7/);
  assert.throws(() => venue.onQuote(0, usd(0), 1.5, usd(1), 1, T0), /quote/);
  assert.throws(() => venue.onTrade(0, 0, 10, T0), /trade/);
});

Deno.test("BacktestVenue reproduces the same reports for the same inputs", async () => {
  const run = async (): Promise<TradeUpdate[]> => {
    const { venue, updates } = setup({ participationRate: 0.2, latencyMs: 5 });
    await venue.submitOrder(req("a", { qty: 90 }));
    await venue.submitOrder(req("b", { type: "limit", limitPrice: usd(-3), side: "sell" }));
    for (let i = 1; i < 5; i++) bar(venue, i, [usd(i), usd(i + 5), usd(i - 5), usd(i)], 200);
    return updates;
  };
  assert.deepEqual(await run(), await run());
});

Deno.test("BacktestVenue refuses an id reused after thousands of done orders, and accepts a new id whose hash collides", async () => {
  const { venue } = setup();
  for (let i = 0; i < 3_000; i++) {
    await venue.submitOrder(req(`c${i}`, { qty: 1 }));
    bar(venue, i, [usd(0), usd(5), usd(-5), usd(0)]);
  }
  assert.equal((await venue.getOrderByClientId("c17"))?.status, "filled");
  // The first id, ids at the index's growth points, the last one.
  for (const id of ["c0", "c17", "c511", "c512", "c1023", "c1024", "c2048", "c2999"]) {
    await rejectsWith(venue.submitOrder(req(id)), "duplicate_client_order_id");
  }
  await rejectsWith(venue.cancelOrder("c17"), "invalid_request", /order is filled/);
  // Two different ids with one 32-bit hash: the second is new, not a reuse.
  const pair = collidingIds("x");
  await venue.submitOrder(req(pair[0]));
  const second = await venue.submitOrder(req(pair[1]));
  assert.equal(second.status, "new");
});

Deno.test("BacktestVenue with keepFinished keeps the account exact when forgotten fills' notionals pass 2^53", async () => {
  // BTC/USD (index 1): prices in 10^-6, quantities in 10^-9. 1.5 BTC at $60,000 is 9 × 10^22
  // units of 10^-18: 1.5e9 lots × 6e10 ticks = 9e19, far past 2^53 as a product of the two.
  const instruments = new InstrumentTable(["AAPL", "BTC/USD"], "SIM");
  const make = (keepFinished?: number) =>
    new BacktestVenue({
      instruments,
      clock: new SimClock(T0),
      fees: { model: bpsFee(10, 10) },
      startingCash: parseCash("100000000"),
      keepFinished,
    });
  const all = make(), kept = make(2);
  const px = (i: number) => 60_000_000_000 + i * 1_234_567; // $60,000 and up, in 10^-6
  for (const venue of [all, kept]) {
    for (let i = 0; i < 40; i++) {
      const side = i % 4 === 3 ? "sell" : "buy";
      await venue.submitOrder(
        req(`b${i}`, { symbol: "BTC/USD", qty: 1_500_000_000 + i * 7, side }),
      );
      const p = px(i);
      venue.onBar(1, p, p + 1_000_000, p - 1_000_000, p, 1e12, T0 + i * MIN, T0 + (i + 1) * MIN);
    }
  }
  assert.equal((await all.fillsSince(undefined)).length, 40);
  assert.ok((await kept.fillsSince(undefined)).length <= 3, "the oldest fills forgotten");
  const a = await all.account(), k = await kept.account();
  assert.deepEqual(k, a);
  // And against the fills themselves, in exact bigints.
  let cash = parseCash("100000000");
  for (const f of await all.fillsSince(undefined)) {
    const inst = instruments.get("BTC/USD")!;
    cash += notional(inst, f.price, f.side === "buy" ? -f.qty : f.qty) - f.fee;
  }
  assert.equal(a.cash, cash);
  assert.deepEqual(await kept.positions(), await all.positions());
});

Deno.test("BacktestVenue with keepFinished holds only the newest finished orders and fills, refuses every old id, and keeps the account exact", async () => {
  const instruments = new InstrumentTable(["AAPL", "BTC/USD"], "SIM");
  const fees = { model: perShareFee(parseCash("0.005")), minPerOrder: parseCash("1") };
  const make = (keepFinished?: number) => {
    const venue = new BacktestVenue({
      instruments,
      clock: new SimClock(T0),
      fees,
      startingCash: CASH,
      keepFinished,
    });
    return venue;
  };
  assert.throws(() => make(0), RangeError);
  const all = make(), kept = make(4);
  for (const venue of [all, kept]) {
    for (let i = 0; i < 200; i++) {
      const side = i % 3 === 2 ? "sell" : "buy";
      await venue.submitOrder(req(`c${i}`, { qty: 10 + (i % 7), side }));
      bar(venue, i, [usd(i % 13), usd(20), usd(-20), usd(i % 11)]);
    }
  }
  assert.deepEqual(await kept.account(), await all.account());
  assert.deepEqual(await kept.positions(), await all.positions());
  assert.ok((await kept.fillsSince(undefined)).length <= 5, "only the newest fills held");
  assert.equal((await all.fillsSince(undefined)).length, 200);
  assert.equal(await kept.getOrderByClientId("c3"), undefined, "forgotten");
  assert.equal((await kept.getOrderByClientId("c199"))?.status, "filled");
  await rejectsWith(kept.submitOrder(req("c3")), "duplicate_client_order_id");
  // An id whose 32-bit hash collides with a forgotten one is still new.
  const pair = collidingIds("x");
  await kept.submitOrder(req(pair[0], { qty: 1 }));
  for (let i = 0; i < 10; i++) {
    await kept.submitOrder(req(`d${i}`, { qty: 1 }));
    bar(kept, 200 + i, [usd(0), usd(5), usd(-5), usd(0)]);
  }
  assert.equal(await kept.getOrderByClientId(pair[0]), undefined, "forgotten");
  assert.equal((await kept.submitOrder(req(pair[1]))).status, "new");
  await rejectsWith(kept.submitOrder(req(pair[0])), "duplicate_client_order_id");
});
