import assert from "node:assert/strict";
import { RingReader, RingWriter } from "../../../core/data/ring_buffer.ts";
import { allocateRing, Ctl, RecordKind } from "../../../core/data/ring_layout.ts";
import { RingSink } from "../../../core/data/ring_sink.ts";

function readAll(reader: RingReader): number[][] {
  const out: number[][] = [];
  reader.drain(1 << 30, (f64, u32, rec) => {
    out.push([
      u32[rec * 16]! & 0xff,
      u32[rec * 16 + 1]!,
      ...f64.subarray(rec * 8 + 1, rec * 8 + 8),
    ]);
  });
  return out;
}

Deno.test("RingWriter.write() refuses a record when the ring is full and nothing is overwritten", () => {
  const ring = allocateRing(8);
  const w = new RingWriter(ring), r = new RingReader(ring);
  for (let i = 0; i < 8; i++) assert.ok(w.write(RecordKind.Trade, 0, 1, i, i, i, 1, 0, 0, 0));
  assert.equal(w.write(RecordKind.Trade, 0, 1, 99, 99, 99, 1, 0, 0, 0), false);
  assert.equal(r.available(), 0, "nothing visible before commit");
  w.commit();
  assert.equal(r.available(), 8);
  assert.deepEqual(readAll(r).map((x) => x[2]), [0, 1, 2, 3, 4, 5, 6, 7]);
  assert.ok(
    w.write(RecordKind.Trade, 0, 1, 8, 8, 8, 1, 0, 0, 0),
    "space is back after the consumer drains",
  );
});

Deno.test("the ring stays exact across wrap-around of the slots and of the 32-bit counters", () => {
  const ring = allocateRing(16);
  const ctl = new Int32Array(ring.control);
  // Start just below 2^31 so head and tail overflow Int32 during the test.
  ctl[Ctl.Head] = 0x7ffffff0;
  ctl[Ctl.Tail] = 0x7ffffff0;
  const w = new RingWriter(ring), r = new RingReader(ring);
  let next = 0, expect = 0;
  for (let round = 0; round < 500; round++) {
    const n = 1 + (round * 7) % 16;
    for (let i = 0; i < n; i++) {
      const v = next + i;
      assert.ok(w.write(RecordKind.Quote, 0, 2, v, v, v, v + 1, v + 2, v + 3, v + 4));
    }
    w.commit();
    next += n;
    for (const rec of readAll(r)) {
      assert.deepEqual(rec, [
        RecordKind.Quote,
        2,
        expect,
        expect,
        expect,
        expect + 1,
        expect + 2,
        expect + 3,
        expect + 4,
      ]);
      expect++;
    }
  }
  assert.equal(expect, next);
  assert.ok(Atomics.load(ctl, Ctl.Head) < 0, "the head counter wrapped past 2^31");
});

Deno.test("RingSink conflates quotes and counts dropped trades when the ring is full: nothing lost uncounted", () => {
  const ring = allocateRing(4);
  const sink = new RingSink(new RingWriter(ring), 2, 0);
  const r = new RingReader(ring);
  for (let i = 0; i < 4; i++) sink.trade(0, 100, 1, i, 0, i, i);
  sink.quote(1, 10, 1, 11, 1, 10, 10); // parked
  sink.quote(1, 12, 1, 13, 1, 11, 11); // replaces the parked quote: conflated
  sink.trade(0, 100, 1, 4, 0, 12, 12); // no room and no wait: dropped, counted
  sink.flush();
  assert.equal(r.counter(Ctl.ConflatedQuotes), 1);
  assert.equal(r.counter(Ctl.DroppedTrades), 1);
  const first = readAll(r);
  assert.equal(first.length, 4);
  sink.flush(); // the parked quote goes out once there is room
  const second = readAll(r);
  assert.deepEqual(second.map((x) => [x[0], x[1], x[4]]), [[RecordKind.Quote, 1, 12]]);
  // produced 5 trades + 2 quotes = delivered 4 trades + 1 quote + 1 dropped + 1 conflated
  assert.equal(
    first.length + second.length + r.counter(Ctl.DroppedTrades) + r.counter(Ctl.ConflatedQuotes),
    7,
  );
});

Deno.test("a producer worker waits when the ring is full, so 200,000 trades arrive in order with none dropped", async () => {
  const ring = allocateRing(256);
  const reader = new RingReader(ring);
  const worker = new Worker(
    new URL("../../fixtures/ring_producer_worker.ts", import.meta.url).href,
    { type: "module" },
  );
  const count = 200_000;
  const done = new Promise<void>((resolve) => (worker.onmessage = () => resolve()));
  worker.postMessage({ ring, count, batch: 64, fullWaitMs: 5000 });
  let expect = 0, finished = false;
  done.then(() => (finished = true));
  while (expect < count) {
    const n = reader.drain(1000, (f64, _u32, rec) => {
      assert.equal(f64[rec * 8 + 5], expect);
      expect++;
    });
    if (n === 0) {
      if (finished && reader.available() === 0) break;
      await reader.waitForData(50);
    }
  }
  await done;
  worker.terminate();
  assert.equal(expect, count);
  assert.equal(reader.counter(Ctl.DroppedTrades), 0);
  assert.ok(
    reader.counter(Ctl.ProducerWaits) > 0,
    "the 256-slot ring filled up and the producer waited",
  );
});
