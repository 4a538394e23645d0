// deno bench: the per-message hot paths one call at a time (book, bars, ring, decode, bus).
import { Bus } from "../../core/bus/bus.ts";
import { BarAggregator } from "../../core/data/bar_aggregator.ts";
import { OrderBook } from "../../core/data/order_book.ts";
import type { RecordSink } from "../../core/data/record_sink.ts";
import { RingReader, RingWriter } from "../../core/data/ring_buffer.ts";
import { allocateRing, RecordKind } from "../../core/data/ring_layout.ts";
import { InstrumentTable } from "../../core/domain/instrument.ts";
import type { Trade } from "../../core/domain/market_events.ts";
import { SeededRng } from "../../core/domain/seeded_rng.ts";
import { AlpacaFrameDecoder } from "../../core/venues/alpaca/decode.ts";

const rng = new SeededRng(1);
const N = 1 << 16;
const sides = Uint8Array.from({ length: N }, () => rng.int(2));
const prices = Float64Array.from(
  { length: N },
  (_, i) => 1_872_500 + (sides[i] ? 1 : -1) * 100 * (1 + rng.int(8)),
);
const sizes = Float64Array.from({ length: N }, () => (rng.next() < 0.3 ? 0 : 1 + rng.int(500)));

const book = new OrderBook("AAPL");
let i = 0;
Deno.bench(
  "OrderBook.apply (near-top update, 30% removals)",
  { group: "book", baseline: true },
  () => {
    const k = i++ & (N - 1);
    book.apply(sides[k]!, prices[k]!, sizes[k]!);
  },
);

const agg = new BarAggregator("AAPL", [1e6, 60e6, 300e6], "flat", () => {});
let t = 1_700_000_000_000_000;
Deno.bench("BarAggregator.onTrade (1s, 1m, 5m at once)", { group: "bars" }, () => {
  t += 997;
  agg.onTrade(prices[i++ & (N - 1)]!, 10, t, t);
});

const ring = allocateRing(1024);
const w = new RingWriter(ring), r = new RingReader(ring);
const noop = () => {};
Deno.bench("ring write + commit + drain, one record", { group: "ring" }, () => {
  w.write(RecordKind.Trade, 0, 1, 1, 2, 3, 4, 5, 6, 0);
  w.commit();
  r.drain(1, noop);
});

const bus = new Bus();
let sinkCount = 0;
bus.subscribe("market.", () => sinkCount++);
const trade: Trade = {
  symbol: "AAPL",
  price: 1,
  size: 1,
  tradeId: 1,
  takerSide: "buy",
  venueTime: 1,
  recvTime: 1,
};
Deno.bench("Bus.publish to one prefix subscriber", { group: "bus" }, () => {
  bus.publish("market.trade", trade);
});

class NullSink implements RecordSink {
  trade() {}
  quote() {}
  bookLevel() {}
  bar() {}
  flush() {}
  decodeError() {}
}
const instruments = new InstrumentTable(["AAPL", "MSFT", "BTC/USD"], "ALPACA");
const decoder = new AlpacaFrameDecoder(instruments, new NullSink(), () => {});
function frame(n: number, kind: "t" | "q"): string {
  const msgs = [];
  for (let k = 0; k < n; k++) {
    const ts = `2024-01-02T14:30:${String(k % 60).padStart(2, "0")}.${
      String(123456 + k).padStart(6, "0")
    }Z`;
    msgs.push(
      kind === "t"
        ? {
          T: "t",
          S: "AAPL",
          i: 1000 + k,
          x: "V",
          p: 187.25 + k / 100,
          s: 100,
          c: ["@"],
          t: ts,
          z: "C",
        }
        : {
          T: "q",
          S: "MSFT",
          bx: "U",
          bp: 370.1,
          bs: 3,
          ax: "Q",
          ap: 370.12,
          as: 4,
          c: ["R"],
          t: ts,
          z: "C",
        },
    );
  }
  return JSON.stringify(msgs);
}
for (const n of [1, 10, 100]) {
  for (const kind of ["t", "q"] as const) {
    const f = frame(n, kind);
    const name = `${n} ${kind === "t" ? "trades" : "quotes"}`;
    Deno.bench(`JSON.parse only, ${name} per frame (floor)`, {
      group: `decode ${name}`,
      baseline: true,
    }, () => {
      JSON.parse(f);
    });
    Deno.bench(`AlpacaFrameDecoder.decode, ${name} per frame`, { group: `decode ${name}` }, () => {
      decoder.decode(f, 1);
    });
  }
}
