import assert from "node:assert/strict";
import { Macd } from "../../../core/indicators/mod.ts";
import { assertClose, emaOf, emaSeries, seededBars } from "./_textbook.ts";

const { close } = seededBars(14, 2500);

/** MACD of the prefix: both EMA series and the signal EMA recomputed from scratch. */
function textbookMacd(xs: readonly number[], fast: number, slow: number, signal: number) {
  const f = emaSeries(xs, fast), s = emaSeries(xs, slow);
  const line: number[] = [];
  for (let t = slow - 1; t < xs.length; t++) line.push(f[t]! - s[t]!);
  const sig = emaOf(line, signal);
  if (Number.isNaN(sig)) return { line: NaN, signal: NaN, histogram: NaN };
  const l = line[line.length - 1]!;
  return { line: l, signal: sig, histogram: l - sig };
}

Deno.test("Macd matches line, signal and histogram recomputed from the first input", () => {
  const macd = new Macd(12, 26, 9);
  for (let i = 0; i < close.length; i++) {
    const got = macd.update(close[i]!);
    const want = textbookMacd(close.slice(0, i + 1), 12, 26, 9);
    assertClose(got, want.line, `line step ${i}`);
    assertClose(macd.value, want.line, `value step ${i}`);
    assertClose(macd.signal, want.signal, `signal step ${i}`);
    assertClose(macd.histogram, want.histogram, `histogram step ${i}`);
  }
});

Deno.test("Macd reports nothing until the signal line exists (slow + signal − 1 inputs)", () => {
  const macd = new Macd(2, 3, 2);
  for (let i = 0; i < 3; i++) assert.ok(Number.isNaN(macd.update(10 + i)));
  assert.equal(macd.isReady, false);
  assert.ok(Number.isNaN(macd.signal) && Number.isNaN(macd.histogram));
  assert.ok(Number.isFinite(macd.update(13)));
  assert.equal(macd.isReady, true);
});

Deno.test("Macd rejects bad periods, naming the parameter", () => {
  assert.throws(() => new Macd(0, 26, 9), { name: "RangeError", message: /'fast'/ });
  assert.throws(() => new Macd(12, 2.5, 9), { name: "RangeError", message: /'slow'/ });
  assert.throws(() => new Macd(12, 26, 0), { name: "RangeError", message: /'signal'/ });
  assert.throws(() => new Macd(26, 12, 9), {
    name: "RangeError",
    message: /'fast' must be < 'slow'/,
  });
});

Deno.test("Macd.reset() forgets all three averages", () => {
  const macd = new Macd(2, 3, 2);
  const first: number[] = [];
  for (let i = 0; i < 8; i++) first.push(macd.update(close[i]!));
  macd.reset();
  assert.equal(macd.isReady, false);
  assert.ok(Number.isNaN(macd.value));
  for (let i = 0; i < 8; i++) assert.deepEqual(macd.update(close[i]!), first[i]);
});
