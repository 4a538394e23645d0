import assert from "node:assert/strict";
import { KillSwitch } from "../../../core/risk/kill_switch.ts";
import { REASON, type RiskReason } from "../../../core/risk/reasons.ts";
import { RiskEngine } from "../../../core/risk/risk_engine.ts";
import { AAPL, BTC, limitsFor, order, StubState, usd } from "./_stub.ts";

const T = 1_700_000_000_000_000;
const SEC = 1_000_000;

function engine(config: unknown = {}, state = new StubState()): [RiskEngine, StubState] {
  return [new RiskEngine(limitsFor(config), state), state];
}

Deno.test("RiskEngine.check() approves an order within every limit", () => {
  const [risk, state] = engine();
  assert.equal(risk.check(order(), AAPL, T), 0);
  assert.deepEqual(state.lastClockCall, ["AAPL", T], "asks the venue clock with symbol and now");
  assert.equal(risk.approvals(), 1);
});

/** Asserts the reason for each step, then applies its fix, revealing the next failing check. */
function walk(check: () => number, steps: Array<[RiskReason, () => void]>): void {
  for (const [reason, fix] of steps) {
    assert.equal(check(), REASON[reason], `expected ${reason}`);
    fix();
  }
}

Deno.test("RiskEngine.check() reports the first failing check in the documented order", () => {
  const state = new StubState();
  const risk = new RiskEngine(limitsFor({ max_orders_per_second: 1 }), state, {
    killSwitch: new KillSwitch({ state: "halted", reason: "test", since: 0 }),
  });
  // Break every check at once; fixing each cause in turn must reveal the next one.
  Object.assign(state, { open: false, pnl: usd("-9000"), power: 0n });
  state.mark[AAPL] = 0;
  state.openCount[AAPL] = 20;
  let qty = 10_001;
  let side: "buy" | "sell" = "sell";
  const check = () => risk.check(order({ side, qty, limitPrice: 5_000_000 }), AAPL, T);
  walk(check, [
    ["kill_switch_halted", () => risk.killSwitch.set("reducing", "test", T)],
    ["kill_switch_reducing", () => risk.killSwitch.set("active", "test", T)],
    ["trading_hours", () => (state.open = true)],
    ["max_quantity", () => (qty = 50)], // 50 × $500 = $25,000: at the order-value limit
    ["no_market_data", () => (state.mark[AAPL] = 2_500_000)],
    ["price_collar", () => (state.mark[AAPL] = 5_000_000)],
    ["short_selling", () => (side = "buy")], // buys walk the remaining checks
  ]);
  state.pos[AAPL] = 150; // 150 + 50 = 200 × $500 = $100,000: at the position limit
  state.openBuy[AAPL] = 1; // …and one working buy lot takes it past
  walk(check, [
    ["max_position_value", () => (state.openBuy[AAPL] = 0)],
    ["max_open_orders", () => (state.openCount[AAPL] = 19)],
    ["buying_power", () => (state.power = usd("25000"))],
    ["max_daily_loss", () => (state.pnl = usd("-5000"))],
  ]);
  assert.equal(check(), 0);
  assert.equal(check(), REASON.max_orders_per_second);
  assert.equal(risk.check(order({ qty: 50, limitPrice: 5_000_000 }), AAPL, T + SEC), 0);
});

Deno.test("RiskEngine rejects an order past the order-value limit before position checks", () => {
  const [risk, state] = engine();
  state.mark[AAPL] = 5_000_000;
  const o = order({ side: "sell", qty: 51, limitPrice: 5_000_000 }); // would also open a short
  assert.equal(risk.check(o, AAPL, T), REASON.max_order_value);
});

Deno.test("RiskEngine counts rejections per reason and approvals", () => {
  const [risk, state] = engine({ max_orders_per_second: 2 });
  risk.check(order({ qty: 10_001 }), AAPL, T);
  risk.check(order({ qty: 10_001 }), AAPL, T);
  state.open = false;
  risk.check(order(), AAPL, T);
  state.open = true;
  risk.check(order(), AAPL, T);
  risk.check(order(), AAPL, T);
  risk.check(order(), AAPL, T);
  const r = risk.rejections();
  assert.equal(r.max_quantity, 2);
  assert.equal(r.trading_hours, 1);
  assert.equal(r.max_orders_per_second, 1);
  assert.equal(r.kill_switch_halted, 0, "every code is present");
  assert.equal(Object.values(r).reduce((a, b) => a + b, 0), 4);
  assert.equal(risk.approvals(), 2);
});

Deno.test("RiskEngine: rejected orders do not use up the rate window", () => {
  const [risk, state] = engine({ max_orders_per_second: 1 });
  state.open = false;
  for (let i = 0; i < 5; i++) risk.check(order(), AAPL, T + i);
  state.open = true;
  assert.equal(risk.check(order(), AAPL, T + 10), 0);
});

Deno.test("RiskEngine lets a trader get flat after breaches of loss and position limits", () => {
  const [risk, state] = engine();
  state.pos[AAPL] = 1_000; // $250,000: far over the $100,000 position limit
  state.pnl = usd("-7500"); // over the $5,000 daily loss
  state.power = 0n;
  const exit = order({ side: "sell", qty: 100 });
  assert.equal(risk.check(exit, AAPL, T), 0);
  assert.equal(risk.check(order({ side: "buy", qty: 1 }), AAPL, T + 1), REASON.max_position_value);
  risk.killSwitch.set("reducing", "operator", T);
  assert.equal(risk.check(exit, AAPL, T + 2), 0);
  state.openSell[AAPL] = 950; // working sells would already take the long to 50
  assert.equal(risk.check(exit, AAPL, T + 3), REASON.kill_switch_reducing);
});

Deno.test("RiskEngine values market orders at the mark and stop orders at the stop", () => {
  const [risk, state] = engine();
  state.mark[AAPL] = 2_500_000;
  assert.equal(risk.check(order({ type: "market", qty: 100 }), AAPL, T), 0); // $25,000
  assert.equal(
    risk.check(order({ type: "market", qty: 101 }), AAPL, T + 1),
    REASON.max_order_value,
  );
  const stop = order({ type: "stop", qty: 100, stopPrice: 2_500_100 });
  assert.equal(risk.check(stop, AAPL, T + 2), REASON.max_order_value);
});

Deno.test("RiskEngine checks crypto orders exactly in their own lots", () => {
  const [risk] = engine();
  // 0.5 BTC at $50,000 = $25,000 exactly
  const at = order({ symbol: "BTC/USD", qty: 500_000_000, limitPrice: 50_000_000_000 });
  assert.equal(risk.check(at, BTC, T), 0);
  const past = order({ symbol: "BTC/USD", qty: 500_000_001, limitPrice: 50_000_000_000 });
  assert.equal(risk.check(past, BTC, T + 1), REASON.max_order_value);
});

Deno.test("RiskEngine.check() throws on malformed orders and unknown instruments", () => {
  const [risk] = engine();
  assert.throws(() => risk.check(order({ qty: 0 }), AAPL, T), /'qty' must be a positive integer/);
  assert.throws(() => risk.check(order({ qty: 1.5 }), AAPL, T), /'qty'/);
  assert.throws(() => risk.check(order({ limitPrice: 0 }), AAPL, T), /'limitPrice' must be > 0/);
  assert.throws(() => risk.check(order(), 7, T), /no instrument 7/);
});

Deno.test("RiskEngine.usage() reports where an instrument stands against its limits", () => {
  const [risk, state] = engine();
  state.pos[AAPL] = -200;
  state.openCount[AAPL] = 3;
  state.pnl = usd("-1234.5");
  risk.check(order(), AAPL, T);
  risk.check(order(), AAPL, T + 10);
  assert.deepEqual(risk.usage(AAPL, T + SEC), {
    symbol: "AAPL",
    positionValue: usd("50000"),
    maxPositionValue: usd("100000"),
    openOrders: 3,
    maxOpenOrders: 20,
    ordersLastSecond: 1,
    maxOrdersPerSecond: 10,
    dailyLoss: usd("1234.5"),
    maxDailyLoss: usd("5000"),
    killSwitch: "active",
  });
  assert.throws(() => risk.usage(9, T), /no instrument 9/);
});
