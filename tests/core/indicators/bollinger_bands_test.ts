import assert from "node:assert/strict";
import { BollingerBands } from "../../../core/indicators/mod.ts";
import { assertClose, mean, popStdDev, seededBars } from "./_textbook.ts";

const { close } = seededBars(15, 5000);

Deno.test("BollingerBands match mean ± k·population σ of the window at every step", () => {
  for (const [period, k] of [[20, 2], [50, 2.5], [1, 2]] as const) {
    const bb = new BollingerBands(period, k);
    for (let i = 0; i < close.length; i++) {
      const got = bb.update(close[i]!);
      const what = `BollingerBands(${period}, ${k}) step ${i}`;
      if (i + 1 < period) {
        assert.ok(Number.isNaN(got) && Number.isNaN(bb.upper) && Number.isNaN(bb.lower), what);
        continue;
      }
      const w = close.slice(i + 1 - period, i + 1);
      const m = mean(w), sd = popStdDev(w);
      assertClose(got, m, `${what} middle`);
      assertClose(bb.value, m, `${what} value`);
      assertClose(bb.upper, m + k * sd, `${what} upper`);
      assertClose(bb.lower, m - k * sd, `${what} lower`);
    }
  }
});

Deno.test("BollingerBands use the population σ (divide by n), not the sample σ", () => {
  const bb = new BollingerBands(2, 1);
  bb.update(1);
  bb.update(3);
  assert.deepEqual([bb.lower, bb.value, bb.upper], [1, 2, 3]);
  assert.equal(bb.isReady, true);
});

Deno.test("BollingerBands reject a bad period or k, naming it", () => {
  assert.throws(() => new BollingerBands(0), { name: "RangeError", message: /'period'/ });
  assert.throws(() => new BollingerBands(20, -1), { name: "RangeError", message: /'k'/ });
  assert.throws(() => new BollingerBands(20, NaN), { name: "RangeError", message: /'k'/ });
});

Deno.test("BollingerBands.reset() forgets the window and all three bands", () => {
  const bb = new BollingerBands(2, 1);
  bb.update(10);
  bb.update(30);
  bb.reset();
  assert.equal(bb.isReady, false);
  assert.ok(Number.isNaN(bb.value) && Number.isNaN(bb.upper) && Number.isNaN(bb.lower));
  bb.update(1);
  assert.equal(bb.update(3), 2);
});
