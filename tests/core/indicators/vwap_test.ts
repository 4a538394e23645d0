import assert from "node:assert/strict";
import { Vwap } from "../../../core/indicators/mod.ts";
import { assertClose, seededBars } from "./_textbook.ts";

Deno.test("Vwap.update() matches Σ price·volume / Σ volume recomputed at every step", () => {
  const { close, volume } = seededBars(20, 5000); // about a quarter of the volumes are 0
  const vwap = new Vwap();
  for (let i = 0; i < close.length; i++) {
    let pv = 0, v = 0;
    for (let j = 0; j <= i; j++) {
      pv += close[j]! * volume[j]!;
      v += volume[j]!;
    }
    assertClose(vwap.update(close[i]!, volume[i]!), v === 0 ? NaN : pv / v, `step ${i}`);
  }
});

Deno.test("Vwap is NaN until volume trades and ignores zero-volume updates", () => {
  const vwap = new Vwap();
  assert.ok(Number.isNaN(vwap.update(10, 0)));
  assert.equal(vwap.isReady, false);
  assert.equal(vwap.update(10, 100), 10);
  assert.equal(vwap.isReady, true);
  assert.equal(vwap.update(99, 0), 10);
  assert.equal(vwap.update(11, 300), 10.75);
});

Deno.test("Vwap rejects a negative or NaN volume, naming it", () => {
  const vwap = new Vwap();
  assert.throws(() => vwap.update(10, -1), { name: "RangeError", message: /'volume'/ });
  assert.throws(() => vwap.update(10, NaN), { name: "RangeError", message: /'volume'/ });
});

Deno.test("Vwap.reset() starts a new session", () => {
  const vwap = new Vwap();
  vwap.update(10, 100);
  vwap.reset();
  assert.equal(vwap.isReady, false);
  assert.ok(Number.isNaN(vwap.value));
  assert.equal(vwap.update(20, 5), 20);
});
