import assert from "node:assert/strict";
import { idHash, IdHashSet } from "../../../core/backtest/_id_hash_set.ts";

Deno.test("an id hash set says maybe for every id added and no for ids never added, across growth", () => {
  const set = new IdHashSet();
  for (let i = 0; i < 20_000; i++) set.add(`bt-1704153600000000-${i}`);
  assert.equal(set.size, 20_000);
  for (let i = 0; i < 20_000; i++) assert.ok(set.mayHave(`bt-1704153600000000-${i}`));
  let maybes = 0;
  for (let i = 0; i < 20_000; i++) if (set.mayHave(`other-${i}`)) maybes++;
  // 32-bit hashes: a chance "maybe" is about one in 200,000 here; these inputs give none.
  assert.equal(maybes, 0);
});

Deno.test("an id hash set answers maybe when hashes collide, so a caller must confirm a yes", () => {
  const set = new IdHashSet(() => 7);
  assert.equal(set.mayHave("a"), false);
  set.add("a");
  assert.equal(set.mayHave("b"), true, "same hash: maybe");
  assert.equal(idHash("a"), 0xe40c292c | 0, "the published FNV-1a 32 value of 'a'");
  assert.notEqual(idHash("c1"), idHash("c2"));
});
