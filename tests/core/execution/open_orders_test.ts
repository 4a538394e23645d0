import assert from "node:assert/strict";
import { OpenOrders } from "../../../core/execution/open_orders.ts";
import { SeededRng } from "../../../core/domain/seeded_rng.ts";

Deno.test("OpenOrders finds ids sent as other string objects, oldest first, across its two modes", () => {
  const o = new OpenOrders<string, number>();
  // Ids built at run time, then looked up through copies: equal text, different objects.
  const id = (n: number) => ["ord", String(n)].join("-");
  for (let n = 0; n < 40; n++) o.add(id(n), n);
  assert.equal(o.size, 40);
  assert.deepEqual([...o.values()], [...Array(40).keys()]);
  assert.equal(o.get(id(17)), 17);
  assert.equal(o.has(id(40)), false);
  for (let n = 0; n < 38; n += 1) assert.equal(o.delete(id(n)), true);
  assert.equal(o.delete(id(0)), false);
  assert.deepEqual([...o.values()], [38, 39]);
  assert.equal(o.get(id(39)), 39);
  assert.equal(o.get(id(5)), undefined);
});

Deno.test("OpenOrders agrees with a Map under random adds and deletes around its thresholds", () => {
  const rng = new SeededRng(3), o = new OpenOrders<string, number>(), m = new Map<string, number>();
  let next = 0;
  for (let step = 0; step < 20_000; step++) {
    // Drift between empty and ~30 open so both mode switches happen many times.
    const target = 15 + Math.round(15 * Math.sin(step / 200));
    if (m.size < target || (m.size > 0 && rng.next() < 0.3)) {
      const k = `id-${next}`;
      o.add(k, next);
      m.set(k, next++);
    } else if (m.size > 0) {
      const keys = [...m.keys()], k = keys[Math.floor(rng.next() * keys.length)]!;
      assert.equal(o.delete(`${k}`), m.delete(k));
    }
    if (step % 97 === 0) {
      assert.equal(o.size, m.size);
      assert.deepEqual([...o.values()], [...m.values()]);
      const probe = `id-${Math.floor(rng.next() * next)}`;
      assert.equal(o.get(probe), m.get(probe));
      assert.equal(o.has(probe), m.has(probe));
    }
  }
});

Deno.test("OpenOrders refuses a key already open, and its values can be walked while orders close", () => {
  for (const n of [3, 17]) { // scan mode, and Map mode
    const o = new OpenOrders<string, number>();
    for (let i = 0; i < n; i++) o.add(`k${i}`, i);
    assert.throws(() => o.add("k1", 99), RangeError);
    assert.equal(o.get("k1"), 1);
    assert.equal(o.size, n);
    // A cancel-all loop: every order visited once though each closes (and the mode switches back).
    const seen: number[] = [];
    for (const v of o.values()) {
      seen.push(v);
      o.delete(`k${v}`);
    }
    assert.deepEqual(seen, [...Array(n).keys()]);
    assert.equal(o.size, 0);
  }
});
