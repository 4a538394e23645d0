import assert from "node:assert/strict";
import { autoHalt, KillSwitch, type KillSwitchState } from "../../../core/risk/kill_switch.ts";
import { REASON } from "../../../core/risk/reasons.ts";
import { usd } from "./_stub.ts";

const T = 1_700_000_000_000_000;
const sell = (qty: number) => ({ side: "sell" as const, qty });
const buy = (qty: number) => ({ side: "buy" as const, qty });

Deno.test("KillSwitch active lets every order through", () => {
  const ks = new KillSwitch();
  assert.equal(ks.state, "active");
  assert.equal(ks.allows(buy(100), 0), true);
  assert.equal(ks.allows(sell(100), 0), true);
});

Deno.test("KillSwitch reducing lets a sell of a long through but not a buy", () => {
  const ks = new KillSwitch();
  ks.set("reducing", "operator", T);
  assert.equal(ks.allows(sell(100), 100), true);
  assert.equal(ks.allows(sell(101), 100), false, "selling past flat opens a short");
  assert.equal(ks.allows(buy(1), 100), false);
  assert.equal(ks.allows(buy(100), -100), true, "covering a short");
  assert.equal(ks.allows(sell(1), 0), false, "nothing to reduce when flat");
  assert.equal(ks.check(true, 1, 100), REASON.kill_switch_reducing);
});

Deno.test("KillSwitch halted refuses every order, reducing ones included", () => {
  const ks = new KillSwitch();
  ks.set("halted", "max_daily_loss", T);
  assert.equal(ks.allows(sell(100), 100), false);
  assert.equal(ks.allows(buy(100), -100), false);
  assert.equal(ks.check(false, 1, 100), REASON.kill_switch_halted);
});

Deno.test("KillSwitch.set() records reason and time, and a repeat keeps the first cause", () => {
  const ks = new KillSwitch();
  assert.equal(ks.set("halted", "max_drawdown", T), true);
  assert.equal(ks.set("halted", "max_daily_loss", T + 5), false);
  assert.deepEqual(ks.snapshot(), { state: "halted", reason: "max_drawdown", since: T });
  assert.equal(ks.set("active", "operator resumed", T + 9), true);
  assert.deepEqual(ks.snapshot(), { state: "active", reason: "operator resumed", since: T + 9 });
});

Deno.test("KillSwitch moves between any two states and throws on an unknown one", () => {
  const states: KillSwitchState[] = ["active", "reducing", "halted"];
  for (const from of states) {
    for (const to of states) {
      const ks = new KillSwitch({ state: from, reason: "restored", since: 1 });
      assert.equal(ks.set(to, "x", 2), from !== to, `${from} → ${to}`);
      assert.equal(ks.state, to);
    }
  }
  const ks = new KillSwitch();
  assert.throws(
    () => ks.set("paused" as KillSwitchState, "x", 1),
    /'state' must be active, reducing or halted, got "paused"/,
  );
  assert.throws(() => new KillSwitch({ state: "off" as KillSwitchState, reason: "", since: 0 }));
});

Deno.test("KillSwitch restores a persisted snapshot as is", () => {
  const ks = new KillSwitch({ state: "reducing", reason: "restart", since: T });
  assert.deepEqual(ks.snapshot(), { state: "reducing", reason: "restart", since: T });
});

const limits = { maxDailyLoss: usd("5000"), maxDrawdown: usd("10000") };

Deno.test("autoHalt() halts on a daily loss just past the limit, not at it", () => {
  const at = { dailyPnl: usd("-5000"), equity: usd("95000"), peakEquity: usd("100000") };
  assert.equal(autoHalt(at, limits), null);
  assert.equal(autoHalt({ ...at, dailyPnl: usd("-5000") - 1n }, limits), "max_daily_loss");
});

Deno.test("autoHalt() halts on a drawdown just past the limit, not at it", () => {
  const at = { dailyPnl: 0n, equity: usd("90000"), peakEquity: usd("100000") };
  assert.equal(autoHalt(at, limits), null);
  assert.equal(autoHalt({ ...at, equity: usd("90000") - 1n }, limits), "max_drawdown");
  const ks = new KillSwitch();
  const why = autoHalt({ ...at, equity: usd("89000") }, limits);
  if (why !== null) ks.set("halted", why, T);
  assert.equal(ks.state, "halted");
  assert.equal(ks.reason, "max_drawdown");
});
