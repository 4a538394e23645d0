import assert from "node:assert/strict";
import { join } from "node:path";
import type { Fill } from "../../../core/domain/order.ts";
import { Journal, type JournalEntry } from "../../../core/store/journal.ts";
import { journalKey } from "../../../core/store/keys.ts";

const fill = (n: number): Fill => ({
  fillId: `F${n}`,
  clientOrderId: "drt-1-1",
  venueOrderId: "V1",
  symbol: "BTC/USD",
  side: "buy",
  qty: 123_456_789,
  price: 60_123_456_789,
  fee: 123_456_789_012_345_678_901n,
  liquidity: "taker",
  venueTime: n,
  recvTime: n,
});

Deno.test("the journal keeps entries in append order across reopen, with bigint money intact", async () => {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "j.kv");
  let kv = await Deno.openKv(path);
  let j = await Journal.open(kv);
  const appends = [];
  for (let i = 1; i <= 50; i++) appends.push(j.append({ type: "fill", at: i, fill: fill(i) }));
  assert.deepEqual(await Promise.all(appends), Array.from({ length: 50 }, (_, i) => i + 1));
  kv.close();
  kv = await Deno.openKv(path);
  j = await Journal.open(kv);
  assert.equal(j.lastSeq, 50);
  await j.append({ type: "kill_switch", at: 51, state: "halted", reason: "test" });
  const read: Array<{ seq: number; entry: JournalEntry }> = [];
  for await (const e of j.read()) read.push(e);
  assert.equal(read.length, 51);
  assert.deepEqual(read.map((e) => e.seq), Array.from({ length: 51 }, (_, i) => i + 1));
  const first = read[0]!.entry;
  assert.equal(first.type, "fill");
  assert.equal(first.type === "fill" && first.fill.fee, 123_456_789_012_345_678_901n);
  const after: number[] = [];
  for await (const e of j.read(49)) after.push(e.seq);
  assert.deepEqual(after, [50, 51]);
  kv.close();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("the journal never overwrites an entry: a taken sequence number fails the append", async () => {
  const kv = await Deno.openKv(":memory:");
  const j = await Journal.open(kv);
  await kv.set(journalKey(1), {
    type: "kill_switch",
    at: 0,
    state: "active",
    reason: "someone else",
  });
  await assert.rejects(
    j.append({ type: "kill_switch", at: 1, state: "halted", reason: "x" }),
    /already exists/,
  );
  assert.equal((await kv.get<JournalEntry>(journalKey(1))).value?.at, 0);
  await j.flushed();
  assert.equal(j.failures, 1);
  kv.close();
});
