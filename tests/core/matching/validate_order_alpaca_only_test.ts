// The engine's matching refuses the Alpaca-only order features (trailing stops, auction orders,
// order classes) as rejections with a reason, never a crash: only Alpaca and sim-server run them.
import assert from "node:assert/strict";
import { makeInstrument } from "../../../core/domain/instrument.ts";
import { assertWellFormed, validateOrder } from "../../../core/matching/validate_order.ts";
import { bookWith, engineWith, req, types } from "./_builders.ts";

const aapl = makeInstrument("AAPL", 0, { venue: "SIM" });

const ALPACA_ONLY: Array<[Parameters<typeof req>[1], string]> = [
  [
    { type: "trailing_stop", trailPrice: 10_000 },
    "type trailing_stop is not supported by the matching engine (Alpaca only)",
  ],
  [{ tif: "opg" }, "time_in_force opg is not supported by the matching engine (Alpaca only)"],
  [{ tif: "cls" }, "time_in_force cls is not supported by the matching engine (Alpaca only)"],
  [
    {
      orderClass: "bracket",
      takeProfit: { limitPrice: 1_010_000 },
      stopLoss: { stopPrice: 990_000 },
    },
    "order_class bracket is not supported by the matching engine (Alpaca only)",
  ],
  [
    { type: "limit", limitPrice: 1_010_000, orderClass: "oco" },
    "order_class oco is not supported by the matching engine (Alpaca only)",
  ],
  [{ orderClass: "oto" }, "order_class oto is not supported by the matching engine (Alpaca only)"],
];

Deno.test("validateOrder() refuses trailing_stop, opg / cls and non-simple order classes by name", () => {
  for (const [over, reason] of ALPACA_ONLY) {
    const order = req("x", over);
    assert.doesNotThrow(() => assertWellFormed(order), "well formed: values of the domain types");
    assert.equal(validateOrder(order, aapl), reason);
  }
  // "simple" is the default class, spelled out or not.
  assert.equal(validateOrder(req("s", { orderClass: "simple" }), aapl), undefined);
});

Deno.test("MatchingEngine.submit() answers an Alpaca-only order with a rejected event", () => {
  const engine = engineWith();
  const book = bookWith({ bids: [[1_000_000, 100]], asks: [[1_000_100, 100]] });
  const events = engine.submit(req("t", { type: "trailing_stop", trailPercent: 1 }), book, 1_000);
  assert.deepEqual(types(events), ["rejected"]);
  assert.equal(engine.openOrders().length, 0);
});
