/**
 * Direct textbook computations the streaming indicators are checked against, plus seeded inputs.
 * Window statistics are recomputed from the whole window with two passes; recursive ones (EMA,
 * Wilder) restart from the first input of the prefix, so nothing is shared with the O(1) code.
 */
import assert from "node:assert/strict";
import { SeededRng } from "../../../core/domain/seeded_rng.ts";

/** Largest |actual − expected| the tests accept after warm-up. */
export const TOLERANCE = 1e-9;

/** Seeded OHLCV: a random walk around `level` (high >= close >= low), `n` bars long. */
export function seededBars(
  seed: number,
  n: number,
  level = 100,
): { close: number[]; high: number[]; low: number[]; volume: number[] } {
  const rng = new SeededRng(seed);
  const close: number[] = [], high: number[] = [], low: number[] = [], volume: number[] = [];
  let p = level;
  for (let i = 0; i < n; i++) {
    p += rng.normal() * level * 0.002;
    close.push(p);
    high.push(p + rng.next() * level * 0.003);
    low.push(p - rng.next() * level * 0.003);
    volume.push(rng.int(4) === 0 ? 0 : 1 + rng.int(1000));
  }
  return { close, high, low, volume };
}

/** Arithmetic mean. */
export function mean(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Population standard deviation, two-pass. */
export function popStdDev(xs: readonly number[]): number {
  const m = mean(xs);
  let s = 0;
  for (const x of xs) s += (x - m) ** 2;
  return Math.sqrt(s / xs.length);
}

/** EMA of the whole prefix `xs` (α = 2/(n+1), SMA seed), NaN if shorter than `n`. */
export function emaOf(xs: readonly number[], n: number): number {
  if (xs.length < n) return NaN;
  let e = mean(xs.slice(0, n));
  for (let i = n; i < xs.length; i++) e = (2 / (n + 1)) * xs[i]! + (1 - 2 / (n + 1)) * e;
  return e;
}

/** EMA after each input of `xs` (NaN before the seed), the series form of `emaOf`. */
export function emaSeries(xs: readonly number[], n: number): number[] {
  const out: number[] = [];
  for (let t = 0; t < xs.length; t++) {
    if (t + 1 < n) out.push(NaN);
    else if (t + 1 === n) out.push(mean(xs.slice(0, n)));
    else out.push((2 / (n + 1)) * xs[t]! + (1 - 2 / (n + 1)) * out[t - 1]!);
  }
  return out;
}

/** Wilder average of the whole prefix `xs` (SMA seed, then (prev·(n−1) + x)/n). */
export function wilderOf(xs: readonly number[], n: number): number {
  if (xs.length < n) return NaN;
  let a = mean(xs.slice(0, n));
  for (let i = n; i < xs.length; i++) a = (a * (n - 1) + xs[i]!) / n;
  return a;
}

/** Asserts `actual` is within TOLERANCE of `expected` (both NaN also passes), naming the step. */
export function assertClose(actual: number, expected: number, what: string): void {
  if (Number.isNaN(expected)) {
    assert.ok(Number.isNaN(actual), `${what}: expected NaN, got ${actual}`);
    return;
  }
  assert.ok(
    Math.abs(actual - expected) <= TOLERANCE,
    `${what}: |${actual} − ${expected}| = ${Math.abs(actual - expected)} > ${TOLERANCE}`,
  );
}
