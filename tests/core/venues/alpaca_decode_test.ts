import assert from "node:assert/strict";
import { InstrumentTable } from "../../../core/domain/instrument.ts";
import { SeededRng } from "../../../core/domain/seeded_rng.ts";
import { type AlpacaControl, AlpacaFrameDecoder } from "../../../core/venues/alpaca/decode.ts";
import { CollectingSink } from "./_collecting_sink.ts";

const instruments = new InstrumentTable(["AAPL", "BTC/USD"], "ALPACA");
const T = "2021-02-22T15:51:44.208Z";
const T_US = Date.UTC(2021, 1, 22, 15, 51, 44, 208) * 1000;

function setup() {
  const sink = new CollectingSink();
  const control: AlpacaControl[] = [];
  const d = new AlpacaFrameDecoder(instruments, sink, (m) => control.push(m), 10_000);
  return { sink, control, d };
}

Deno.test("decodes Alpaca trades, quotes and bars into integer units with both timestamps", () => {
  const { sink, d } = setup();
  // Message shapes from Alpaca's market data stream documentation (stocks v2 / crypto v1beta3).
  d.decode(
    JSON.stringify([
      {
        T: "t",
        S: "AAPL",
        i: 52983525029461,
        x: "V",
        p: 126.55,
        s: 1,
        c: ["@", "I"],
        z: "C",
        t: T,
      },
      {
        T: "q",
        S: "AAPL",
        bx: "U",
        bp: 126.54,
        bs: 3,
        ax: "Q",
        ap: 126.57,
        as: 4,
        c: ["R"],
        z: "C",
        t: T,
      },
      {
        T: "b",
        S: "AAPL",
        o: 126.5,
        h: 126.6,
        l: 126.4,
        c: 126.55,
        v: 4860,
        t: "2021-02-22T15:51:00Z",
        n: 17,
        vw: 126.52,
      },
      { T: "t", S: "BTC/USD", p: 27916.5, s: 0.00001, t: T, i: 5, tks: "S" },
    ]),
    42,
  );
  assert.deepEqual(sink.records[0], ["trade", 0, 1_265_500, 1, 52983525029461, 0, T_US, 42]);
  assert.deepEqual(sink.records[1], ["quote", 0, 1_265_400, 3, 1_265_700, 4, T_US, 42]);
  const minute = Date.UTC(2021, 1, 22, 15, 51) * 1000;
  assert.deepEqual(sink.records[2]!.slice(0, 9), [
    "bar",
    0,
    60_000_000,
    minute,
    1_265_000,
    1_266_000,
    1_264_000,
    1_265_500,
    4860,
  ]);
  assert.deepEqual(sink.records[3], ["trade", 1, 27_916_500_000, 10_000, 5, 2, T_US, 42]);
  assert.equal(sink.flushes, 1);
});

Deno.test("decodes a crypto order book reset and zero-size removals with reset/end flags", () => {
  const { sink, d } = setup();
  d.decode(
    JSON.stringify([{
      T: "o",
      S: "BTC/USD",
      t: T,
      b: [{ p: 27916.7, s: 0.1 }, { p: 27916.6, s: 0 }],
      a: [{ p: 27917.5, s: 0.5 }],
      r: true,
    }]),
    1,
  );
  // flags: Ask=1, Reset=2, End=4
  assert.deepEqual(sink.records.map((r) => r.slice(0, 5)), [
    ["book", 1, 2, 27_916_700_000, 100_000_000],
    ["book", 1, 0, 27_916_600_000, 0],
    ["book", 1, 1 | 4, 27_917_500_000, 500_000_000],
  ]);
});

Deno.test("control messages go to the connection logic; venue errors are counted too", () => {
  const { sink, control, d } = setup();
  d.decode(
    '[{"T":"success","msg":"connected"},{"T":"error","code":406,"msg":"connection limit exceeded"}]',
    0,
  );
  assert.deepEqual(control.map((c) => c.T), ["success", "error"]);
  assert.equal(sink.errors.get("venue_error"), 1);
});

Deno.test("malformed frames are counted by reason and skipped; good messages in the same frame survive", () => {
  const { sink, d } = setup();
  const good = { T: "t", S: "AAPL", p: 1.5, s: 1, t: T };
  d.decode('[{"T":"t","S":"AAPL","p":1.5', 0); // truncated JSON
  d.decode('{"T":"t"}', 0); // not an array
  d.decode("x".repeat(20_000), 0); // huge frame
  d.decode(
    JSON.stringify([
      { T: "zz", S: "AAPL" }, // unknown type
      { T: "t", S: "AAPL", p: "1.5", s: 1, t: T }, // wrong type
      { T: "t", S: "AAPL", p: -1, s: 1, t: T }, // negative price
      { T: "t", S: "AAPL", p: 1, s: -5, t: T }, // negative size
      { T: "t", S: "NOPE", p: 1, s: 1, t: T }, // unknown symbol
      { T: "t", S: "AAPL", p: 1, s: 1, t: "yesterday" }, // bad timestamp
      { T: "o", S: "BTC/USD", t: T, b: [{ p: 1, s: 1 }, { p: "x", s: 1 }], a: [] }, // one bad level rejects the message
      null,
      7,
      { S: "AAPL" }, // no T
      good,
    ]),
    0,
  );
  assert.equal(sink.records.length, 1, "only the good trade is decoded");
  assert.deepEqual(Object.fromEntries(sink.errors), {
    malformed_json: 1,
    bad_shape: 4,
    oversized_frame: 1,
    unknown_type: 1,
    bad_field: 4,
    unknown_symbol: 1,
    bad_timestamp: 1,
  });
});

Deno.test("fuzzed frames never throw out of the decoder (10,000 mutated frames)", () => {
  const { d, sink } = setup();
  const rng = new SeededRng(99);
  const seed = JSON.stringify([
    { T: "t", S: "AAPL", p: 126.55, s: 1, t: T, i: 1 },
    { T: "o", S: "BTC/USD", t: T, b: [{ p: 1, s: 1 }], a: [{ p: 2, s: 1 }], r: true },
    { T: "q", S: "AAPL", bp: 1, bs: 1, ap: 2, as: 1, t: T },
  ]);
  const alphabet = '[]{}",:0123456789.-eETtqobSpsr nul';
  for (let i = 0; i < 10_000; i++) {
    const chars = seed.split("");
    const edits = 1 + rng.int(8);
    for (let k = 0; k < edits; k++) {
      const at = rng.int(chars.length);
      const op = rng.int(3);
      const c = alphabet[rng.int(alphabet.length)]!;
      if (op === 0) chars[at] = c;
      else if (op === 1) chars.splice(at, 1);
      else chars.splice(at, 0, c);
    }
    d.decode(chars.join(""), i);
  }
  for (const r of sink.records) {
    for (const v of r.slice(1) as number[]) {
      assert.ok(Number.isFinite(v), `non-finite value in ${JSON.stringify(r)}`);
    }
  }
  const errors = [...sink.errors.values()].reduce((a, b) => a + b, 0);
  assert.ok(errors > 1000, `errors counted: ${errors}`);
});
