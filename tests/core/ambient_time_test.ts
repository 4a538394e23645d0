// Nothing under core/ may read the wall clock, use Math.random or start timers directly:
// time and randomness come from the injected Clock and SeededRng (core/clock/wall_clock.ts is the one edge).
import assert from "node:assert/strict";
import { join, relative } from "node:path";

const ROOT = new URL("../../", import.meta.url).pathname;
const ALLOWED = new Set(["core/clock/wall_clock.ts"]);
const FORBIDDEN = [
  /\bDate\.now\s*\(/,
  /\bnew Date\s*\(\s*\)/,
  /\bMath\.random\s*\(/,
  /\bperformance\.now\s*\(/,
  // a call, not a method declaration such as SimClock's `setInterval(periodMs: number, …)`
  /(?<![.\w])setTimeout\s*\((?![^)]*:)/,
  /(?<![.\w])setInterval\s*\((?![^)]*:)/,
  /(?<![.\w])setImmediate\s*\(/,
  /\bqueueMicrotask\s*\(/,
];

async function* tsFiles(dir: string): AsyncGenerator<string> {
  for await (const e of Deno.readDir(dir)) {
    const p = join(dir, e.name);
    if (e.isDirectory) yield* tsFiles(p);
    else if (e.name.endsWith(".ts")) yield p;
  }
}

Deno.test("nothing under core/ reads Date.now(), Math.random() or timers except the wall clock", async () => {
  const offenders: string[] = [];
  for await (const file of tsFiles(join(ROOT, "core"))) {
    const rel = relative(ROOT, file);
    if (ALLOWED.has(rel)) continue;
    const lines = (await Deno.readTextFile(file)).split("\n");
    lines.forEach((line, i) => {
      const code = line.replace(/\/\/.*$/, "");
      for (const re of FORBIDDEN) {
        if (re.test(code)) offenders.push(`${rel}:${i + 1}: ${line.trim()}`);
      }
    });
  }
  assert.deepEqual(offenders, []);
});
