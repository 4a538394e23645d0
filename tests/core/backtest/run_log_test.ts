// The run log keeps a backtest's orders and fills in columns: everything results.json shows of
// them must read back exactly, whatever the ids, codes or fee sizes.
import assert from "node:assert/strict";
import { BigIntColumn, RowColumn } from "../../../core/backtest/_columns.ts";
import { idHash, TextColumn } from "../../../core/backtest/_text_column.ts";
import { loggedOrder, RunLog } from "../../../core/backtest/run_log.ts";
import { InstrumentTable } from "../../../core/domain/instrument.ts";
import type { Fill } from "../../../core/domain/order.ts";
import type { ManagedOrder } from "../../../core/execution/order_manager.ts";

const instruments = new InstrumentTable(["AAPL", "BTC/USD"], "SIM");

function order(i: number, over: Partial<ManagedOrder["request"]> = {}): ManagedOrder {
  return {
    request: {
      clientOrderId: `bt-1704205800000000-${i}`,
      symbol: i % 2 === 0 ? "AAPL" : "BTC/USD",
      side: i % 3 === 0 ? "sell" : "buy",
      type: (["market", "limit", "stop", "stop_limit", "trailing_stop"] as const)[i % 5]!,
      tif: (["day", "gtc", "opg", "cls", "ioc", "fok"] as const)[i % 6]!,
      qty: 100 + i,
      limitPrice: i % 5 === 1 ? 1_000_100 + i : 0,
      stopPrice: i % 5 === 2 ? 999_900 - i : 0,
      source: i % 4 === 0 ? "manual" : "ma_crossover",
      createdAt: 1_704_205_800_000_000 + i,
      ...over,
    },
    seq: i + 1,
    status: (["filled", "canceled", "expired", "rejected", "replaced", "new"] as const)[i % 6]!,
    venueOrderId: `BT-${i}`,
    filledQty: i % 2 === 0 ? 100 + i : 0,
    reason: "",
    updatedAt: 0,
    firstFillId: "",
    laterFillIds: undefined,
    fillIdsKept: true,
  };
}

function fill(i: number, fee: bigint): Fill {
  return {
    fillId: `BT-${i}-${i % 3 + 1}`,
    clientOrderId: `bt-1704205800000000-${i}`,
    venueOrderId: `BT-${i}`,
    symbol: i % 2 === 0 ? "AAPL" : "BTC/USD",
    side: i % 3 === 0 ? "sell" : "buy",
    qty: 1 + i,
    price: 1_000_000 + 7 * i,
    fee,
    liquidity: i % 2 === 0 ? "maker" : "taker",
    venueTime: 1_704_205_860_000_000 + i,
    recvTime: 1_704_205_860_000_100 + i,
  };
}

Deno.test("RunLog reads back every logged order as results see it: ids, codes, prices, status and fills", () => {
  const log = new RunLog(instruments);
  const orders = Array.from({ length: 300 }, (_, i) => order(i));
  log.addOrders(orders.slice(0, 100));
  log.addOrders(orders.slice(100));
  assert.equal(log.orderCount, 300);
  assert.deepEqual(log.orders(), orders.map(loggedOrder));
});

Deno.test("RunLog reads back every fill exactly, fees beyond 64 bits and negative ones included", () => {
  const log = new RunLog(instruments);
  const fees = [
    0n,
    5n * 10n ** 16n,
    2n ** 63n - 1n,
    2n ** 63n,
    -(2n ** 63n),
    -(2n ** 63n) - 1n,
    2n ** 130n, // beyond 127 bits: kept apart
    -(2n ** 140n) + 3n,
  ];
  const fills = Array.from({ length: 200 }, (_, i) => fill(i, fees[i % fees.length]! * BigInt(i)));
  log.addFills(fills);
  assert.equal(log.fillCount, 200);
  assert.deepEqual(log.fills(), fills);
});

Deno.test("RunLog refuses an order or fill of a symbol outside its instruments", () => {
  const log = new RunLog(instruments);
  assert.throws(() => log.addOrders([order(0, { symbol: "MSFT" })]), /unknown MSFT/);
  assert.throws(() => log.addFills([{ ...fill(0, 0n), symbol: "MSFT" }]), /unknown MSFT/);
});

for (const indexed of [false, true]) {
  Deno.test(`TextColumn${indexed ? " (indexed)" : ""} returns each string as pushed and finds it, across buffer boundaries, empty and very long ones`, () => {
    const col = new TextColumn(indexed);
    const strings: string[] = [];
    const long = "é".repeat(70_000); // longer than a buffer: gets one of its own
    for (let i = 0; i < 70_000; i++) { // past 65,536: the offsets too span buffers
      // One-byte (Latin-1) strings of odd and even lengths between two-byte ones (€, a surrogate
      // pair), which must start at an even offset.
      const s = i === 7
        ? ""
        : i === 9_000
        ? long
        : i % 5 === 3
        ? `id-${i}-€${"x".repeat(i % 3)}😀`
        : `id-${i}-${"x".repeat(i % 40)}-ünï`;
      strings.push(s);
      col.push(s);
    }
    assert.equal(col.size, strings.length);
    for (let i = 0; i < strings.length; i++) assert.equal(col.at(i), strings[i], `string ${i}`);
    // Every string, through the index (past several rehashes); a scan is checked on a sample.
    const step = indexed ? 1 : 997;
    for (let i = 0; i < strings.length; i += step) {
      assert.equal(col.indexOf(strings[i]!), i, `indexOf string ${i}`);
    }
    assert.equal(col.indexOf(long), 9_000);
    assert.equal(col.indexOf("id-69999-" + "x".repeat(69_999 % 40) + "-ünï"), 69_999);
    assert.equal(col.indexOf("id-69998-€xx😀"), 69_998);
    assert.equal(col.indexOf("id-69998-€xx"), -1, "a prefix of a two-byte string is not it");
    const wideLong = "€".repeat(40_000); // two-byte and longer than a buffer
    col.push(wideLong);
    assert.equal(col.at(strings.length), wideLong);
    strings.push(wideLong);
    assert.equal(col.indexOf(""), 7);
    assert.equal(col.indexOf("id-1"), -1);
    assert.throws(() => col.at(strings.length), RangeError);
    // Two different strings with one idHash: each found as itself, never as the other.
    const byHash = new Map<number, string>();
    let pair: [string, string] | undefined;
    for (let i = 0; pair === undefined; i++) {
      const id = `z${i}`, seen = byHash.get(idHash(id));
      if (seen !== undefined) pair = [seen, id];
      else byHash.set(idHash(id), id);
    }
    col.push(pair[0]);
    assert.equal(col.indexOf(pair[0]), strings.length);
    assert.equal(col.indexOf(pair[1]), -1);
    col.push(pair[1]);
    assert.equal(col.indexOf(pair[1]), strings.length + 1);
  });
}

Deno.test("idHash is FNV-1a over the UTF-16 code units", () => {
  assert.equal(idHash("a"), 0xe40c292c | 0, "the published FNV-1a 32 value of 'a'");
  assert.notEqual(idHash("c1"), idHash("c2"));
});

Deno.test("RowColumn and BigIntColumn read back across chunks; a bigint beyond 64 bits is refused, not wrapped", () => {
  const rows = new RowColumn(3), bigs = new BigIntColumn();
  for (let i = 0; i < 10_000; i++) {
    const r = rows.next(), at = rows.at;
    r[at] = i * 1.5 - 7;
    r[at + 1] = -(2 ** 53) + i; // integers up to 2^53 stay exact
    r[at + 2] = i === 4_097 ? 42 : 0;
    bigs.push(BigInt(i) * -(10n ** 14n));
  }
  assert.equal(rows.size, 10_000);
  assert.equal(rows.get(4_097, 2), 42);
  assert.equal(rows.get(4_096, 2), 0);
  assert.equal(rows.get(9_999, 0), 9_999 * 1.5 - 7);
  assert.equal(rows.get(9_999, 1), -(2 ** 53) + 9_999);
  assert.equal(bigs.at(9_999), -9_999n * 10n ** 14n);
  assert.throws(() => bigs.push(2n ** 63n), RangeError);
  assert.throws(() => rows.get(10_000, 0), RangeError);
  assert.throws(() => rows.get(0, 3), RangeError, "no fourth field");
  assert.throws(() => new RowColumn(0), RangeError);
  assert.equal(bigs.size, 10_000);
});
