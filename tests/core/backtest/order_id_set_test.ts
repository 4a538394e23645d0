import assert from "node:assert/strict";
import { OrderIdSet } from "../../../core/backtest/_order_id_set.ts";
import { SeededRng } from "../../../core/domain/seeded_rng.ts";

Deno.test("OrderIdSet finds every run id it was given and no other, however many", () => {
  const ids = new OrderIdSet();
  for (let n = 1; n <= 200_000; n++) ids.add(`bt-${n}`);
  assert.equal(ids.size, 200_000);
  assert.ok(ids.has("bt-1") && ids.has("bt-200000") && ids.has("bt-77777"));
  assert.ok(!ids.has("bt-200001") && !ids.has("bt-0") && !ids.has("bt-"), "never added");
  assert.ok(!ids.has("bt-01") && !ids.has("bt-001"), "a leading zero is another id");
  assert.ok(!ids.has("BT-1") && !ids.has("xbt-1") && !ids.has("t-1"), "another prefix");
  assert.ok(!ids.has("bt-1x") && !ids.has(" bt-1"), "not of the form");
});

Deno.test("OrderIdSet keeps ids of other forms, leading zeros and huge numbers exactly", () => {
  const ids = new OrderIdSet();
  const odd = ["manual-a", "bt-007", "bt-99999999999", "c1", "", "é-1", "bt-5x", "12"];
  ids.add("bt-5");
  for (const id of odd) ids.add(id);
  for (const id of odd) assert.ok(ids.has(id), JSON.stringify(id));
  assert.ok(ids.has("bt-5"));
  assert.ok(!ids.has("bt-7") && !ids.has("bt-99999999998") && !ids.has("c2") && !ids.has("13"));
});

Deno.test("OrderIdSet agrees with a Set under random ids of several prefixes", () => {
  const rng = new SeededRng(11), ids = new OrderIdSet(), seen = new Set<string>();
  const prefixes = ["bt-", "BT-", "x", "", "bt-0"];
  const pick = () => {
    const p = prefixes[Math.floor(rng.next() * prefixes.length)]!;
    const n = Math.floor(rng.next() ** 3 * 1e9); // mostly small numbers, some past the bit range
    return p + (rng.next() < 0.05 ? "0" : "") + n;
  };
  for (let i = 0; i < 20_000; i++) {
    const id = pick();
    ids.add(id);
    seen.add(id);
  }
  for (let i = 0; i < 20_000; i++) {
    const id = pick();
    assert.equal(ids.has(id), seen.has(id), id);
  }
  for (const id of seen) assert.ok(ids.has(id), id);
});
