import assert from "node:assert/strict";
import { join } from "node:path";
import { formatCash, parseCash } from "../../../core/domain/money.ts";
import { harness, roundTrips } from "./_harness.ts";
import { buy } from "./_signals.ts";

Deno.test("a signal goes through risk to the venue and back as a fill, position and P&L, every step on the bus", async () => {
  const h = await harness();
  const topics: string[] = [];
  h.bus.subscribe("signal.", (_m, t) => topics.push(t));
  h.bus.subscribe("risk.", (_m, t) => topics.push(t));
  h.bus.subscribe("order.", (_m, t) => topics.push(t));
  h.quoteAapl(1_000_000, 1_000_100); // 100.00 / 100.01
  h.kernel.onSignal(buy(10));
  await h.run(50);
  assert.deepEqual(topics, [
    "signal.generated",
    "risk.approved",
    "order.submitted",
    "order.accepted",
    "order.filled",
  ]);
  assert.equal(h.kernel.positionQty(0), 10);
  assert.equal(h.kernel.fills.length, 1);
  assert.equal(h.kernel.fills[0]!.price, 1_000_100, "bought at the ask");
  const pf = h.kernel.portfolio.totals();
  assert.equal(formatCash(pf.cash), "98999.90");
  h.kv.close();
});

Deno.test("a fill is durable in the journal before order.filled is published", async () => {
  const log: string[] = [];
  const h = await harness({
    onJournal: (e) => e.type === "fill" && log.push(`durable ${e.fill.fillId}`),
  });
  h.bus.subscribe("order.filled", (u) => log.push(`published ${u.fill!.fillId}`));
  h.bus.subscribe("order.partially_filled", (u) => log.push(`published ${u.fill!.fillId}`));
  h.quoteAapl(1_000_000, 1_000_100, 4); // only 4 at the ask: a market order for 10 fills 4, then no liquidity
  h.kernel.onSignal(buy(3));
  h.kernel.onSignal(buy(1));
  await h.run(50);
  assert.ok(log.length >= 4);
  for (let i = 0; i < log.length; i += 2) {
    assert.match(log[i]!, /^durable /);
    assert.equal(log[i + 1], log[i]!.replace("durable", "published"));
  }
  h.kv.close();
});

Deno.test("a risk rejection is published with its reason code and counted; no order leaves", async () => {
  const h = await harness({ risk: { defaults: { max_quantity: "5" } } });
  const rejected: string[] = [];
  h.bus.subscribe("risk.rejected", (d) => rejected.push(d.reason!));
  h.quoteAapl(1_000_000, 1_000_100);
  h.kernel.onSignal(buy(6));
  h.kernel.onSignal(buy(1, "limit", 1_100_000)); // 10% above mid: the slippage guard refuses it
  await h.run(20);
  assert.deepEqual(rejected, ["max_quantity", "slippage"]);
  assert.equal(h.kernel.risk.rejections().max_quantity, 1);
  assert.equal(h.kernel.orders.size, 0);
  h.kv.close();
});

Deno.test("without a book the slippage guard and the mark use the last quote (venues without depth)", async () => {
  const h = await harness();
  const inst = h.instruments.get("AAPL")!.index;
  h.kernel.onSignal(buy(1));
  await h.run(5);
  assert.equal(h.kernel.refusals.get("no_market_data"), 1, "no book, no quote: refused");
  const now = h.clock.nowMicros();
  h.market.onQuote(inst, 1_000_000, 300, 1_000_200, 200, now, now);
  assert.equal(h.kernel.markPrice(inst), 1_000_100);
  const order = {
    clientOrderId: "q1",
    symbol: "AAPL",
    side: "buy" as const,
    type: "limit" as const,
    tif: "day" as const,
    qty: 1,
    limitPrice: 1_000_100,
    stopPrice: 0,
    source: "test",
    createdAt: now,
  };
  assert.equal(h.kernel.check(order, h.instruments.get("AAPL")!), "", "the quote is the market");
  h.kv.close();
});

Deno.test("halting the kill switch cancels working orders and refuses new ones; it survives a restart", async () => {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "k.kv");
  {
    const h = await harness({ kv: await Deno.openKv(path) });
    h.quoteAapl(1_000_000, 1_000_100);
    h.kernel.onSignal(buy(5, "limit", 999_900)); // rests below the bid
    await h.run(20);
    assert.equal(h.kernel.orders.open().length, 1);
    await h.pump(h.kernel.setKillSwitch("halted", "operator"));
    await h.run(20);
    assert.equal(h.kernel.orders.open().length, 0, "working order canceled");
    const rejected: string[] = [];
    h.bus.subscribe("risk.rejected", (d) => rejected.push(d.reason!));
    h.kernel.onSignal(buy(1));
    assert.deepEqual(rejected, ["kill_switch_halted"]);
    await h.venue.flushed();
    h.kv.close();
  }
  const again = await harness({ kv: await Deno.openKv(path) });
  assert.equal(again.kernel.risk.killSwitch.state, "halted");
  assert.equal(again.kernel.risk.killSwitch.reason, "operator");
  assert.equal(again.kernel.orders.list()[0]!.status, "canceled");
  again.kv.close();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("after a restart positions are rebuilt from the journal and agree with the venue", async () => {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "r.kv");
  let before: string;
  {
    const h = await harness({ kv: await Deno.openKv(path) });
    h.quoteAapl(1_000_000, 1_000_100);
    h.kernel.onSignal(buy(7));
    await h.run(30);
    await h.until(() => h.kernel.positionQty(0) === 7);
    h.quoteAapl(1_000_200, 1_000_300);
    h.kernel.onSignal({ ...buy(0), action: "close" });
    h.kernel.onSignal(buy(2));
    await h.run(30);
    await h.until(() => h.kernel.fillsApplied === 3);
    before = JSON.stringify({
      pos: h.kernel.positionQty(0),
      fills: h.kernel.fills.map((f) => f.fillId),
      realized: formatCash(h.kernel.portfolio.totals().realized),
    });
    await h.venue.flushed();
    h.kv.close();
  }
  const again = await harness({ kv: await Deno.openKv(path) });
  assert.equal(
    JSON.stringify({
      pos: again.kernel.positionQty(0),
      fills: again.kernel.fills.map((f) => f.fillId),
      realized: formatCash(again.kernel.portfolio.totals().realized),
    }),
    before,
  );
  assert.deepEqual(again.differences, []);
  assert.equal(again.kernel.ready, true);
  assert.equal(
    again.kernel.portfolio.totals().realized,
    parseCash("0.07"),
    "7 bought at 100.01, sold at 100.02",
  );
  again.kv.close();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a working order can be replaced (new id, new price) and then canceled", async () => {
  const h = await harness();
  h.quoteAapl(1_000_000, 1_000_100);
  h.kernel.onSignal(buy(5, "limit", 999_500)); // rests below the bid
  await h.run(20);
  const [old] = h.kernel.orders.open();
  assert.ok(old !== undefined);
  const replaced = await h.pump(
    h.kernel.replace(old.request.clientOrderId, { limitPrice: 999_600, qty: 3 }),
  );
  await h.run(20);
  assert.ok(typeof replaced !== "string");
  assert.equal(h.kernel.orders.get(old.request.clientOrderId)!.status, "replaced");
  assert.notEqual(replaced.request.clientOrderId, old.request.clientOrderId);
  assert.deepEqual([replaced.status, replaced.request.qty, replaced.request.limitPrice], [
    "new",
    3,
    999_600,
  ]);
  assert.equal(h.kernel.openBuyQty(0), 3, "only the replacement is working");
  await h.pump(h.kernel.cancel(replaced.request.clientOrderId));
  await h.run(20);
  assert.equal(h.kernel.orders.get(replaced.request.clientOrderId)!.status, "canceled");
  assert.equal(h.kernel.openBuyQty(0), 0);
  assert.equal(h.kernel.openOrderExposure(), 0n, "no cash left reserved");
  h.kv.close();
});

Deno.test("no order leaves while the venue's order reports are not flowing, and orders resume after", async () => {
  let up = false;
  const h = await harness({ venueReady: () => up });
  const rejected: string[] = [];
  h.bus.subscribe("risk.rejected", (d) => rejected.push(d.reason!));
  h.quoteAapl(1_000_000, 1_000_100);
  h.kernel.onSignal(buy(1));
  assert.deepEqual(rejected, ["venue_disconnected"]);
  assert.equal(h.kernel.orders.size, 0);
  assert.equal(h.kernel.refusals.get("venue_disconnected"), 1);
  up = true;
  h.kernel.onSignal(buy(1));
  await h.run(20);
  await h.until(() => h.kernel.fillsApplied === 1);
  assert.equal(h.kernel.positionQty(0), 1);
  h.kv.close();
});

Deno.test("a resting limit order fills when the market trades through its price", async () => {
  const h = await harness();
  h.quoteAapl(1_000_000, 1_000_100);
  h.kernel.onSignal(buy(3, "limit", 999_900)); // below the bid: rests
  await h.run(20);
  assert.equal(h.kernel.orders.open().length, 1);
  const now = h.clock.nowMicros();
  h.market.onTrade(0, 999_800, 10, 1, 2, now, now); // a print below our limit
  await h.run(20);
  assert.equal(h.kernel.positionQty(0), 3);
  assert.equal(h.kernel.fills[0]!.price, 999_900, "filled at our limit, as maker");
  h.kv.close();
});

/** A fresh harness (latency 0, adopting unknown orders) after `n` round trips of 1 AAPL. */
async function afterRoundTrips(n: number, keepFinished?: number, kv?: Deno.Kv) {
  const h = await harness({ keepFinished, kv, adoptUnknownOrders: true, latencyMs: 0 });
  h.quoteAapl(1_000_000, 1_000_100);
  await roundTrips(h, n);
  return h;
}

Deno.test("an always-on kernel forgets the oldest finished orders and fills beyond keep_finished_orders; positions, P&L and totals are unchanged", async () => {
  const all = await afterRoundTrips(8);
  const kept = await afterRoundTrips(8, 3);
  assert.equal(all.kernel.orders.size, 16);
  assert.ok(kept.kernel.orders.size <= 3 + 1, `held ${kept.kernel.orders.size}`);
  assert.ok(kept.kernel.fills.length <= 3 + 1, `held ${kept.kernel.fills.length} fills`);
  assert.equal(kept.kernel.orders.added, 16);
  assert.equal(kept.kernel.fillsApplied, 16);
  // by sequence number: the ids' times differ when a slow disk makes one run wait longer
  const ids = (k: typeof all.kernel) =>
    k.orders.list().map((o) => o.request.clientOrderId.split("-").at(-1));
  assert.deepEqual(ids(kept.kernel), ids(all.kernel).slice(0, kept.kernel.orders.size), "newest");
  const totals = (k: typeof all.kernel) => {
    const t = k.portfolio.totals();
    return [formatCash(t.cash), formatCash(t.realized), formatCash(t.fees), k.positionQty(0)];
  };
  assert.deepEqual(totals(kept.kernel), totals(all.kernel));
  all.kv.close();
  kept.kv.close();
});

Deno.test("a late repeat of a forgotten order's fill is not applied again, live or in a recovery", async () => {
  const h = await afterRoundTrips(8, 3);
  const before = h.kernel.portfolio.totals();
  const old = h.kernel.orders.added; // every order so far
  assert.ok(h.kernel.orders.size < old);
  // The first fill of all, long forgotten: the venue repeats it (a gap recovery may).
  const first = (await h.pump(h.venue.fillsSince(undefined)))[0]!;
  assert.equal(h.kernel.orders.get(first.clientOrderId), undefined, "its order is forgotten");
  assert.equal(h.kernel.hasFill(first), true, "known to be applied");
  await h.kernel.applyUpdate({
    event: "fill",
    fill: first,
    order: (await h.pump(h.venue.getOrderByClientId(first.clientOrderId)))!,
  }, true);
  assert.equal(h.kernel.fillsApplied, 16, "not applied twice");
  assert.equal(h.kernel.positionQty(0), 0);
  assert.equal(formatCash(h.kernel.portfolio.totals().cash), formatCash(before.cash));
  assert.equal(h.kernel.orders.get(first.clientOrderId), undefined, "not adopted back");
  h.kv.close();
});

Deno.test("a restart replays the whole journal into a bounded kernel and agrees with the venue", async () => {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "k.kv");
  const h = await afterRoundTrips(8, 3, await Deno.openKv(path));
  const cash = formatCash(h.kernel.portfolio.totals().cash);
  await h.venue.flushed();
  await h.journal.flushed();
  h.kv.close();
  const again = await harness({ kv: await Deno.openKv(path), keepFinished: 3 });
  assert.deepEqual(again.differences, []);
  assert.equal(again.kernel.ready, true);
  assert.equal(again.kernel.fillsApplied, 16);
  assert.ok(again.kernel.orders.size <= 4);
  assert.equal(formatCash(again.kernel.portfolio.totals().cash), cash);
  again.kv.close();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a fill of an order the kernel never knew, reported late, is still adopted after finished orders were forgotten", async () => {
  const h = await harness({ keepFinished: 3, adoptUnknownOrders: true, latencyMs: 0 });
  h.quoteAapl(1_000_000, 1_000_100);
  // bought by hand at the broker now; its report is late
  const executed = h.clock.nowMicros();
  const manual = {
    clientOrderId: "by-hand",
    symbol: "AAPL",
    side: "buy" as const,
    type: "market" as const,
    tif: "day" as const,
    qty: 2,
    limitPrice: 0,
    stopPrice: 0,
    source: "manual",
    createdAt: executed,
  };
  // meanwhile: an order rests and is canceled, then round trips finish and get forgotten
  h.clock.advanceBy(1_000_000);
  h.kernel.onSignal(buy(1, "limit", 999_000));
  await h.run(4);
  await h.kernel.cancel(h.kernel.orders.open()[0]!.request.clientOrderId);
  await h.run(4);
  await roundTrips(h, 2);
  assert.ok(h.kernel.orders.get(h.kernel.orders.list().at(-1)!.request.clientOrderId));
  await h.kernel.applyUpdate({
    event: "fill",
    fill: {
      fillId: "by-hand-f1",
      clientOrderId: "by-hand",
      venueOrderId: "V-by-hand",
      symbol: "AAPL",
      side: "buy",
      qty: 2,
      price: 1_000_100,
      fee: 0n,
      liquidity: "taker",
      venueTime: executed,
      recvTime: h.clock.nowMicros(),
    },
    order: {
      clientOrderId: "by-hand",
      venueOrderId: "V-by-hand",
      request: manual,
      status: "filled",
      filledQty: 2,
      updatedAt: executed,
    },
  }, true);
  assert.equal(h.kernel.positionQty(0), 2, "adopted and applied");
  assert.equal(h.kernel.orders.get("by-hand")?.status, "filled");
  h.kv.close();
});
