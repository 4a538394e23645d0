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

Deno.test("appends made while a write is in flight share commits (group commit), in order, each durable", async () => {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "j.kv");
  const kv = await Deno.openKv(path);
  const j = await Journal.open(kv);
  const appends = [];
  for (let i = 1; i <= 450; i++) appends.push(j.append({ type: "fill", at: i, fill: fill(i) }));
  assert.deepEqual(await Promise.all(appends), Array.from({ length: 450 }, (_, i) => i + 1));
  // The first append goes alone; the 449 queued behind it go 100 to a commit (KV's check limit).
  assert.equal(j.commits, 6);
  kv.close();
  const again = await Journal.open(await Deno.openKv(path));
  const seqs: number[] = [];
  for await (const e of again.read()) {
    seqs.push(e.seq);
    assert.equal(e.entry.at, e.seq);
  }
  assert.deepEqual(seqs, Array.from({ length: 450 }, (_, i) => i + 1));
  again.kv.close();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a taken sequence number inside a group fails that append only; the others are written", async () => {
  const kv = await Deno.openKv(":memory:");
  const j = await Journal.open(kv);
  await kv.set(journalKey(5), { type: "kill_switch", at: 0, state: "active", reason: "other" });
  const results = await Promise.allSettled(
    Array.from({ length: 8 }, (_, i) => j.append({ type: "fill", at: i + 1, fill: fill(i + 1) })),
  );
  assert.deepEqual(
    results.map((r) => r.status),
    [
      "fulfilled",
      "fulfilled",
      "fulfilled",
      "fulfilled",
      "rejected",
      "fulfilled",
      "fulfilled",
      "fulfilled",
    ],
  );
  assert.match(String((results[4] as PromiseRejectedResult).reason), /entry 5 already exists/);
  assert.equal(j.failures, 1);
  const at: number[] = [];
  for await (const e of j.read()) at.push(e.entry.at);
  assert.deepEqual(at, [1, 2, 3, 4, 0, 6, 7, 8], "entry 5 is the one that was there");
  kv.close();
});
