import assert from "node:assert/strict";
import { makeInstrument } from "../../../core/domain/instrument.ts";
import { assertWellFormed, validateOrder } from "../../../core/matching/validate_order.ts";
import { req } from "./_builders.ts";

const aapl = makeInstrument("AAPL", 0, { venue: "SIM" });

Deno.test("validateOrder() accepts well-formed orders of every type", () => {
  assert.equal(validateOrder(req("a"), aapl), undefined);
  assert.equal(validateOrder(req("b", { type: "limit", limitPrice: 1_000_100 }), aapl), undefined);
  assert.equal(validateOrder(req("c", { type: "stop", stopPrice: 1_000_100 }), aapl), undefined);
  const stopLimit = req("d", { type: "stop_limit", stopPrice: 1_000_100, limitPrice: 1_000_200 });
  assert.equal(validateOrder(stopLimit, aapl), undefined);
});

Deno.test("validateOrder() gives a reason for what a venue would refuse", () => {
  const cases: Array<[Parameters<typeof req>[1], RegExp]> = [
    [{ qty: 0 }, /qty/],
    [{ qty: 1.5 }, /qty/],
    [{ type: "limit" }, /limitPrice must be a positive/],
    [{ type: "limit", limitPrice: 1_000_150 }, /off the tick/],
    [{ type: "stop_limit", limitPrice: 1_000_100 }, /stopPrice must be a positive/],
    [{ type: "stop", stopPrice: 1_000_001 }, /off the tick/],
    [{ limitPrice: 1_000_100 }, /limitPrice must be 0 for a market order/],
    [{ clientOrderId: "" }, /clientOrderId/],
  ];
  for (const [over, reason] of cases) {
    assert.match(validateOrder(req("x", over), aapl) ?? "", reason);
  }
  assert.match(validateOrder(req("x", { symbol: "MSFT" }), undefined) ?? "", /unknown symbol MSFT/);
});

Deno.test("assertWellFormed() throws on non-finite numbers and values outside the enums", () => {
  assert.throws(() => assertWellFormed(req("x", { qty: NaN })), /'qty' must be a finite number/);
  assert.throws(() => assertWellFormed(req("x", { limitPrice: Infinity })), /'limitPrice'/);
  const badSide = { ...req("x"), side: "short" } as unknown as Parameters<
    typeof assertWellFormed
  >[0];
  assert.throws(() => assertWellFormed(badSide), /bad side/);
});
