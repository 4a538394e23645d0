// deno bench: per-update cost of each core/indicators indicator against trading-signals@8.3.0,
// whose 8.x classes are number-based (the Faster* big.js split is gone). Every bench feeds a
// warm indicator BATCH updates, so ns/update = time/iter ÷ BATCH; core/indicators/README.md
// records the figures and the choice they led to.
import * as ts from "trading-signals";
import {
  Atr,
  BollingerBands,
  Ema,
  Macd,
  RollingStdDev,
  Rsi,
  Sma,
  Vwap,
  ZScore,
} from "../../core/indicators/mod.ts";
import { SeededRng } from "../../core/domain/seeded_rng.ts";

const BATCH = 1000;
const N = 1 << 16;
const rng = new SeededRng(42);
const closes = new Float64Array(N);
const highs = new Float64Array(N);
const lows = new Float64Array(N);
const volumes = new Float64Array(N);
let p = 100;
for (let i = 0; i < N; i++) {
  p += rng.normal() * 0.1;
  closes[i] = p;
  highs[i] = p + rng.next() * 0.2;
  lows[i] = p - rng.next() * 0.2;
  volumes[i] = 1 + rng.int(1000);
}
// Keeps results alive so V8 cannot drop the work.
let sink = 0;

/** Registers one own-vs-library pair; each callback performs the update for input index k. */
function pair(
  name: string,
  own: (k: number) => number,
  lib: (k: number) => number,
): void {
  let i = 0, j = 0;
  Deno.bench(`${name} own ×${BATCH}`, { group: name, baseline: true }, () => {
    for (let b = 0; b < BATCH; b++) sink += own(i++ & (N - 1));
  });
  Deno.bench(`${name} trading-signals ×${BATCH}`, { group: name }, () => {
    for (let b = 0; b < BATCH; b++) sink += lib(j++ & (N - 1));
  });
}

// trading-signals returns null until ready; `?? 0` keeps the sink a number either way.
for (const period of [20, 200]) {
  const sma = new Sma(period), tsSma = new ts.SMA(period);
  pair(`sma(${period})`, (k) => sma.update(closes[k]!), (k) => tsSma.add(closes[k]!) ?? 0);
}

const ema = new Ema(20), tsEma = new ts.EMA(20);
pair("ema(20)", (k) => ema.update(closes[k]!), (k) => tsEma.add(closes[k]!) ?? 0);

for (const period of [14, 200]) {
  const rsi = new Rsi(period), tsRsi = new ts.RSI(period);
  pair(`rsi(${period})`, (k) => rsi.update(closes[k]!), (k) => tsRsi.add(closes[k]!) ?? 0);
}

const macd = new Macd(12, 26, 9);
const tsMacd = new ts.MACD(new ts.EMA(12), new ts.EMA(26), new ts.EMA(9));
pair(
  "macd(12,26,9)",
  (k) => macd.update(closes[k]!),
  (k) => tsMacd.add(closes[k]!)?.histogram ?? 0,
);

for (const period of [20, 200]) {
  const bb = new BollingerBands(period, 2), tsBb = new ts.BollingerBands(period, 2);
  pair(
    `bollinger(${period},2)`,
    (k) => bb.update(closes[k]!) + bb.upper,
    (k) => tsBb.add(closes[k]!)?.upper ?? 0,
  );
}

for (const period of [14, 200]) {
  const atr = new Atr(period), tsAtr = new ts.ATR(period);
  pair(
    `atr(${period})`,
    (k) => atr.update(highs[k]!, lows[k]!, closes[k]!),
    // The library keeps a reference to the previous candle, so each update needs its own object.
    (k) => tsAtr.add({ high: highs[k]!, low: lows[k]!, close: closes[k]! }) ?? 0,
  );
}

// core's Vwap wraps trading-signals, so the hand-written O(1) contender lives here, for the record.
class OwnVwap {
  #pv = 0;
  #volume = 0;
  update(price: number, volume: number): number {
    this.#pv += price * volume;
    this.#volume += volume;
    return this.#pv / this.#volume;
  }
}
const ownVwap = new OwnVwap(), vwap = new Vwap(), tsVwap = new ts.VWAP();
pair(
  "vwap",
  (k) => ownVwap.update(closes[k]!, volumes[k]!),
  (k) =>
    tsVwap.add({ high: closes[k]!, low: closes[k]!, close: closes[k]!, volume: volumes[k]! }) ?? 0,
);
let iv = 0;
Deno.bench(`vwap core Vwap (library wrapper) ×${BATCH}`, { group: "vwap" }, () => {
  for (let b = 0; b < BATCH; b++, iv++) {
    sink += vwap.update(closes[iv & (N - 1)]!, volumes[iv & (N - 1)]!);
  }
});

// trading-signals has no streaming standard deviation or z-score class, only the batch helpers
// getStandardDeviation(values) and getZScore(values); the comparison is that helper over the
// window each update, which is what using the library would mean.
for (const period of [20, 200]) {
  const sd = new RollingStdDev(period);
  const window: number[] = [];
  pair(`stddev(${period})`, (k) => sd.update(closes[k]!), (k) => {
    window.push(closes[k]!);
    if (window.length > period) window.shift();
    return window.length === period ? ts.getStandardDeviation(window) : 0;
  });
}

const z = new ZScore(20);
const zWindow: number[] = [];
pair("zscore(20)", (k) => z.update(closes[k]!), (k) => {
  zWindow.push(closes[k]!);
  if (zWindow.length > 20) zWindow.shift();
  return zWindow.length === 20 ? ts.getZScore(zWindow) : 0;
});

addEventListener("unload", () => {
  if (sink === 42) console.log(sink);
});
