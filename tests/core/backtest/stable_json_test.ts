// results.json is written piece by piece; it must be exactly what JSON.stringify gives for the
// results with every object's keys sorted, two-space indented, newline-terminated.
import assert from "node:assert/strict";
import { stableJson, writeStableJson } from "../../../core/backtest/report.ts";
import { SeededRng } from "../../../core/domain/seeded_rng.ts";

/** The definition: sort every object's keys, then JSON.stringify. */
function reference(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v !== null && typeof v === "object") {
      const o = v as Record<string, unknown>;
      return Object.fromEntries(Object.keys(o).sort().map((k) => [k, sort(o[k])]));
    }
    return v;
  };
  return JSON.stringify(sort(value), null, 2) + "\n";
}

function randomValue(rng: SeededRng, depth: number): unknown {
  const r = rng.next();
  if (depth > 3 || r < 0.35) {
    const leaves = [
      0,
      -0,
      1.5e-7,
      -42,
      NaN,
      Infinity,
      "",
      'é "q" \\ \n \u2028 \ud800',
      true,
      false,
      null,
      undefined,
      123456789012345680000,
    ];
    return leaves[Math.floor(rng.next() * leaves.length)];
  }
  if (r < 0.65) {
    return Array.from({ length: Math.floor(rng.next() * 4) }, () => randomValue(rng, depth + 1));
  }
  const keys = ["b", "a", "10", "2", "0", "01", "-1", "z z", "é", "4294967295", "4294967294"];
  const o: Record<string, unknown> = {};
  for (let i = 0; i < Math.floor(rng.next() * 5); i++) {
    o[keys[Math.floor(rng.next() * keys.length)]!] = randomValue(rng, depth + 1);
  }
  return o;
}

Deno.test("stableJson and writeStableJson write exactly JSON.stringify of the key-sorted value", () => {
  const rng = new SeededRng(11);
  const dir = Deno.makeTempDirSync({ prefix: "deno_rt_json_" });
  try {
    for (let i = 0; i < 400; i++) {
      const v = { results: randomValue(rng, 0), n: i };
      const want = reference(v);
      assert.equal(stableJson(v), want, `value ${i}`);
      writeStableJson(`${dir}/r.json`, v);
      assert.equal(Deno.readTextFileSync(`${dir}/r.json`), want, `file ${i}`);
    }
    // Past the writer's 1 MiB buffer: many pieces, one file.
    const big = { rows: Array.from({ length: 30_000 }, (_, i) => ({ id: `row-${i}`, x: i / 7 })) };
    writeStableJson(`${dir}/big.json`, big);
    assert.equal(Deno.readTextFileSync(`${dir}/big.json`), reference(big));
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
