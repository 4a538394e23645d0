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
