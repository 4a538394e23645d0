import assert from "node:assert/strict";
import {
  FixedPointError,
  formatScaled,
  parseScaled,
  scaleNumber,
} from "../../../core/domain/fixed_point.ts";
import { SeededRng } from "../../../core/domain/seeded_rng.ts";

Deno.test("parseScaled() reads decimal strings exactly into scaled integers", () => {
  assert.equal(parseScaled("187.25", 4, "price"), 1_872_500);
  assert.equal(parseScaled("0.0001", 4, "price"), 1);
  assert.equal(parseScaled("0.000000001", 9, "qty"), 1);
  assert.equal(parseScaled("12.3400", 2, "price"), 1234); // trailing zeros are not excess decimals
  assert.equal(parseScaled("-5.5", 1, "pnl"), -55);
  assert.equal(parseScaled("7", 9, "qty"), 7_000_000_000);
});

Deno.test("parseScaled() rejects excess decimals, junk, and values too large to hold exactly", () => {
  assert.throws(() => parseScaled("1.005", 2, "price"), /'price' allows at most 2 decimals/);
  for (const bad of ["", "abc", "1e5", "NaN", "Infinity", "1.", ".5", " 1", "1,5", "0x10"]) {
    assert.throws(() => parseScaled(bad, 2, "price"), FixedPointError, bad);
  }
  assert.throws(() => parseScaled("99999999999.123456789", 9, "qty"), /too large/);
});

Deno.test("scaleNumber() rounds JSON numbers half away from zero, never truncating", () => {
  assert.equal(scaleNumber(187.25, 4, "p"), 1_872_500);
  assert.equal(scaleNumber(0.1 + 0.2, 2, "p"), 30); // 0.30000000000000004
  assert.equal(scaleNumber(1.15, 1, "p"), 12); // 11.499999999999998 would truncate to 11
  assert.equal(scaleNumber(0.123456789, 9, "q"), 123_456_789);
  assert.equal(scaleNumber(-2.5, 0, "p"), -3);
  for (const bad of [NaN, Infinity, -Infinity]) {
    assert.throws(() => scaleNumber(bad, 2, "p"), /finite/);
  }
  assert.throws(() => scaleNumber(1e12, 9, "q"), /too large/);
});

Deno.test("formatScaled() and parseScaled() round-trip every integer without drift", () => {
  const rng = new SeededRng(7);
  for (let i = 0; i < 20_000; i++) {
    const decimals = rng.int(10);
    const units = rng.int(2 ** 31) * (rng.next() < 0.5 ? 1 : 2 ** 20) * (rng.next() < 0.1 ? -1 : 1);
    const text = formatScaled(units, decimals);
    assert.equal(parseScaled(text, decimals, "x"), units, text);
    // and through a JSON number, as a venue would send it, while it stays within a double's precision
    if (Math.abs(units) < 2 ** 50) {
      assert.equal(scaleNumber(Number(text), decimals, "x"), units, text);
    }
  }
  assert.equal(formatScaled(1_872_500, 4, 2), "187.25");
  assert.equal(formatScaled(1, 4), "0.0001");
  assert.equal(formatScaled(-1, 9), "-0.000000001");
  assert.equal(formatScaled(5_000_000_000, 9), "5");
});
