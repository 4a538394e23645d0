import assert from "node:assert/strict";
import { SIM_DEFAULTS, SimMarket } from "../../../core/venues/sim/mod.ts";
import { InstrumentTable } from "../../../core/domain/instrument.ts";

const instruments = new InstrumentTable(["AAPL", "MSFT", "BTC/USD"], "SIM");
const START = 1_700_000_000_000_000;

function frames(seed: number, pulls: number[]): string[] {
  const m = new SimMarket(instruments, { ...SIM_DEFAULTS, seed }, START);
  return pulls.map((t) => m.frameUntil(START + t));
}

Deno.test("the sim feed is deterministic: the same seed gives the same stream byte for byte", () => {
  const a = frames(42, [10_000, 20_000, 500_000, 2_000_000]).join("");
  const b = frames(42, [10_000, 20_000, 500_000, 2_000_000]).join("");
  assert.equal(a, b);
  assert.ok(a.length > 1000);
});

Deno.test("the sim stream does not depend on how often frames are pulled", () => {
  const coarse = frames(42, [2_000_000]).join("");
  const fine = frames(42, Array.from({ length: 200 }, (_, i) => (i + 1) * 10_000));
  const events = (s: string) => s.replace(/\]\[/g, ",").replace(/^\[|\]$/g, "");
  assert.equal(events(fine.filter((f) => f !== "").join("")), events(coarse));
});

Deno.test("different seeds give different streams", () => {
  assert.notEqual(frames(1, [1_000_000])[0], frames(2, [1_000_000])[0]);
});

Deno.test("the sim emits trades, quotes and book updates at about the configured rate per symbol", () => {
  const m = new SimMarket(instruments, { ...SIM_DEFAULTS, rate_per_symbol: 200 }, START);
  const msgs = JSON.parse(m.frameUntil(START + 10_000_000)) as Array<{ T: string; S: string }>;
  const perSymbol = (s: string) => msgs.filter((x) => x.S === s).length;
  const events = 200 * 10;
  for (const s of ["AAPL", "MSFT", "BTC/USD"]) {
    assert.ok(perSymbol(s) >= events && perSymbol(s) <= 3 * events, `${s}: ${perSymbol(s)}`);
  }
  const trades = msgs.filter((x) => x.T === "t").length;
  assert.ok(trades > 0.2 * 3 * events && trades < 0.4 * 3 * events, `trades ${trades}`);
  assert.ok(msgs.some((x) => x.T === "q") && msgs.some((x) => x.T === "o"));
});
