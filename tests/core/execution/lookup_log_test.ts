import assert from "node:assert/strict";
import { LookupLog } from "../../../core/execution/lookup_log.ts";

Deno.test("a lookup log keeps items in order and finds any of them by key, including ones added after a lookup", () => {
  const log = new LookupLog<{ id: string; n: number }>((x) => x.id);
  for (let n = 0; n < 1_000; n++) log.push({ id: `o${n}`, n });
  assert.equal(log.get("o999")?.n, 999);
  assert.equal(log.get("missing"), undefined);
  log.push({ id: "late", n: 1_000 });
  assert.equal(log.get("late")?.n, 1_000, "items added after a lookup are indexed at the next one");
  assert.equal(log.get("o0")?.n, 0);
  assert.equal(log.size, 1_001);
  assert.deepEqual(log.items.slice(0, 2).map((x) => x.id), ["o0", "o1"]);
});

Deno.test("a lookup log's retain keeps the chosen items in order, returns the rest, and still finds by key", () => {
  const log = new LookupLog<{ id: string; n: number }>((x) => x.id);
  for (let n = 0; n < 10; n++) log.push({ id: `o${n}`, n });
  assert.equal(log.get("o3")?.n, 3, "indexed before the trim");
  const dropped = log.retain((x) => x.n % 3 !== 0);
  assert.deepEqual(dropped.map((x) => x.n), [0, 3, 6, 9]);
  assert.deepEqual(log.items.map((x) => x.n), [1, 2, 4, 5, 7, 8]);
  assert.equal(log.get("o3"), undefined, "a dropped item is no longer found");
  assert.equal(log.get("o8")?.n, 8);
  assert.deepEqual(log.retain(() => true), [], "nothing dropped");
  log.push({ id: "o10", n: 10 });
  assert.equal(log.get("o10")?.n, 10);
  assert.equal(log.size, 7);
});
