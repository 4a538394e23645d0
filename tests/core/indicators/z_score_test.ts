import assert from "node:assert/strict";
import { ZScore } from "../../../core/indicators/mod.ts";
import { assertClose, mean, popStdDev, seededBars } from "./_textbook.ts";

const { close } = seededBars(18, 5000);

Deno.test("ZScore matches (x − window mean) / window σ recomputed at every step", () => {
  for (const period of [2, 20, 100]) {
    const z = new ZScore(period);
    for (let i = 0; i < close.length; i++) {
      let want = NaN;
      if (i + 1 >= period) {
        const w = close.slice(i + 1 - period, i + 1);
        want = (close[i]! - mean(w)) / popStdDev(w);
      }
      assertClose(z.update(close[i]!), want, `ZScore(${period}) step ${i}`);
    }
  }
});

Deno.test("ZScore is NaN before the window fills and 0 on a flat window", () => {
  const z = new ZScore(2);
  assert.ok(Number.isNaN(z.update(5)));
  assert.equal(z.isReady, false);
  assert.equal(z.update(5), 0);
  assert.equal(z.isReady, true);
});

Deno.test("ZScore rejects a period below 2, naming it", () => {
  for (const bad of [1, 0, 2.5]) {
    assert.throws(() => new ZScore(bad), { name: "RangeError", message: /'period'/ });
  }
});

Deno.test("ZScore.reset() forgets the window", () => {
  const z = new ZScore(2);
  z.update(100);
  z.update(-100);
  z.reset();
  assert.ok(Number.isNaN(z.value));
  z.update(1);
  assert.equal(z.update(3), 1);
});
