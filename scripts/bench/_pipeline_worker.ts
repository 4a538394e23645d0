// Feed side of the pipeline benchmark: pre-generates sim frames, then on "go" decodes them into the ring.
/// <reference lib="deno.worker" />
import { RingWriter } from "../../core/data/ring_buffer.ts";
import type { RingBuffers } from "../../core/data/ring_layout.ts";
import { RingSink } from "../../core/data/ring_sink.ts";
import { InstrumentTable } from "../../core/domain/instrument.ts";
import { AlpacaFrameDecoder } from "../../core/venues/alpaca/decode.ts";
import { SIM_DEFAULTS, SimMarket } from "../../core/venues/sim/mod.ts";

let frames: string[] = [];
let decoder: AlpacaFrameDecoder;

self.onmessage = (e: MessageEvent) => {
  const msg = e.data;
  if (msg.type === "prepare") {
    const { symbols, ring, messages } = msg as {
      symbols: string[];
      ring: RingBuffers;
      messages: number;
    };
    const instruments = new InstrumentTable(symbols, "SIM");
    decoder = new AlpacaFrameDecoder(
      instruments,
      new RingSink(new RingWriter(ring), symbols.length, 60_000),
      () => {},
    );
    const start = 1_700_000_000_000_000;
    const market = new SimMarket(instruments, { ...SIM_DEFAULTS, rate_per_symbol: 1000 }, start);
    let count = 0;
    // 10 ms frames of ~100 symbols x 10 events: the shape a busy feed delivers
    for (let t = start + 10_000; count < messages; t += 10_000) {
      const f = market.frameUntil(t);
      if (f === "") continue;
      frames.push(f);
      count += f.split('{"T":').length - 1;
    }
    self.postMessage({
      type: "ready",
      messages: count,
      frames: frames.length,
      bytes: frames.reduce((s, f) => s + f.length, 0),
    });
  } else if (msg.type === "go") {
    const t0 = performance.now();
    const recv = (performance.timeOrigin + t0) * 1000;
    for (let i = 0; i < frames.length; i++) decoder.decode(frames[i]!, recv);
    self.postMessage({ type: "done", decodeMs: performance.now() - t0 });
    frames = [];
  }
};
