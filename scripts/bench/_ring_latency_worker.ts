// Producer side of the ring latency benchmark: writes one stamped record every `intervalUs`.
/// <reference lib="deno.worker" />
import { RingWriter } from "../../core/data/ring_buffer.ts";
import { RecordKind, type RingBuffers } from "../../core/data/ring_layout.ts";

self.onmessage = (e: MessageEvent<{ ring: RingBuffers; count: number; intervalUs: number }>) => {
  const { ring, count, intervalUs } = e.data;
  const w = new RingWriter(ring);
  const origin = performance.timeOrigin;
  const start = performance.now() + 50;
  let dropped = 0;
  for (let i = 0; i < count; i++) {
    const due = start + (i * intervalUs) / 1000;
    while (performance.now() < due) { /* pace at the target rate */ }
    const sent = (origin + performance.now()) * 1000;
    if (!w.write(RecordKind.Trade, 0, 0, sent, sent, sent, 1, i, 0, 0)) dropped++;
    w.commit();
  }
  self.postMessage({ dropped });
};
