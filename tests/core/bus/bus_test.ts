import assert from "node:assert/strict";
import { Bus } from "../../../core/bus/bus.ts";
import { matchTopics } from "../../../core/bus/topics.ts";
import type { Trade } from "../../../core/domain/market_events.ts";

const trade: Trade = {
  symbol: "AAPL",
  price: 1,
  size: 1,
  tradeId: 1,
  takerSide: "buy",
  venueTime: 1,
  recvTime: 2,
};

Deno.test("Bus prefix subscriptions receive every topic under the prefix and nothing else", () => {
  const bus = new Bus();
  const seen: string[] = [];
  bus.subscribe("market.", (_m, topic) => seen.push(topic));
  bus.publish("market.trade", trade);
  bus.publish("system.heartbeat", {
    time: 0,
    uptimeSeconds: 0,
    venue: "sim",
    messagesIn: 0,
    ringOccupancy: 0,
    ringDropped: 0,
    ringConflated: 0,
    decodeErrors: 0,
    stale: [],
  });
  bus.publish("market.bar", {} as never);
  assert.deepEqual(seen, ["market.trade", "market.bar"]);
  assert.deepEqual(matchTopics("market."), [
    "market.trade",
    "market.quote",
    "market.bar",
    "market.book",
  ]);
  assert.throws(() => bus.subscribe("nope.", () => {}), /No topic matches/);
});

Deno.test("Bus delivers synchronously in subscription order and counts per topic", () => {
  const bus = new Bus();
  const order: number[] = [];
  bus.subscribe("market.trade", () => order.push(1));
  const off = bus.subscribe("market.trade", () => order.push(2));
  bus.publish("market.trade", trade);
  assert.deepEqual(order, [1, 2]);
  off();
  bus.publish("market.trade", trade);
  assert.deepEqual(order, [1, 2, 1]);
  assert.equal(bus.counts()["market.trade"], 2);
  assert.equal(bus.hasSubscribers("market.quote"), false);
});

Deno.test("a throwing subscriber is counted and does not stop delivery to the others", () => {
  const bus = new Bus();
  let got = 0;
  const errors: unknown[] = [];
  bus.onHandlerError = (e) => errors.push(e);
  bus.subscribe("market.trade", () => {
    throw new Error("boom");
  });
  bus.subscribe("market.trade", () => got++);
  bus.publish("market.trade", trade);
  assert.equal(got, 1);
  assert.equal(bus.handlerErrors, 1);
  assert.equal(errors.length, 1);
});
