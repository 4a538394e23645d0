import assert from "node:assert/strict";
import { InstrumentTable } from "../../../core/domain/instrument.ts";
import { notional } from "../../../core/domain/money.ts";
import type { OrderRequest } from "../../../core/domain/order.ts";
import { Exposure } from "../../../core/kernel/exposure.ts";

const table = new InstrumentTable(["AAPL"], "TEST"), aapl = table.at(0);
const buy = (id: string, qty: number): OrderRequest => ({
  clientOrderId: id,
  symbol: "AAPL",
  side: "buy",
  type: "limit",
  tif: "day",
  qty,
  limitPrice: 1_000_000,
  stopPrice: 0,
  source: "t",
  createdAt: 0,
});

Deno.test("a working buy reserves cash until its fills and its release take it all back", () => {
  const e = new Exposure(1), a = buy("a", 10), b = buy("b", 4);
  e.open(a, aapl, 1_000_000);
  e.open(b, aapl, 1_000_000);
  assert.equal(e.reservedCash, notional(aapl, 1_000_000, 14));
  e.fill(0, "buy", 3, a);
  assert.equal(e.reservedCash, notional(aapl, 1_000_000, 11));
  assert.equal(e.positionQty[0], 3);
  // A fill of an order never sent from here moves the position and reserves nothing back.
  e.fill(0, "buy", 2, undefined);
  assert.equal(e.positionQty[0], 5);
  assert.equal(e.reservedCash, notional(aapl, 1_000_000, 11));
  e.release(0, "buy", 7, a); // canceled with 7 left
  assert.equal(e.reservedCash, notional(aapl, 1_000_000, 4));
  // Another request with the same id text is another order: it releases nothing of b's.
  e.release(0, "buy", 4, buy("b", 4));
  assert.equal(e.reservedCash, notional(aapl, 1_000_000, 4));
  e.fill(0, "buy", 4, b);
  assert.equal(e.reservedCash, 0n);
  assert.equal(e.openBuy[0], 0);
});

Deno.test("a working buy restored from a checkpoint reserves only its unfilled lots", () => {
  const e = new Exposure(1), a = buy("a", 10);
  e.restoreWorking(a, aapl, 1_000_000, 6);
  assert.equal(e.openBuy[0], 4);
  assert.equal(e.reservedCash, notional(aapl, 1_000_000, 4));
  e.fill(0, "buy", 4, a);
  assert.equal(e.reservedCash, 0n);
});
