/**
 * The embedded sim venue's past: SYNTHETIC closed bars that end where its market starts, so a
 * strategy can warm up before `deno task live` trades the sim. The sim market's mid follows
 * geometric Brownian motion from `start_prices`; the same process run backwards in time from that
 * price (with the same drift and volatility) gives a past that joins the live prices without a
 * jump. Seeded by `seed`, symbol and timeframe, so the same config gives the same history.
 */
import { pow10 } from "../../domain/fixed_point.ts";
import { type InstrumentTable, tickSizeAt } from "../../domain/instrument.ts";
import type { Bar } from "../../domain/market_events.ts";
import { SeededRng } from "../../domain/seeded_rng.ts";
import { timeframeLabel } from "../../data/timeframe.ts";
import type { SimConfig } from "../../../schemas/config.ts";

const YEAR_MICROS = 365.25 * 86_400e6;
// Price steps drawn inside each bar, for its high and low.
const STEPS_PER_BAR = 16;

/** FNV-1a of `text`: mixes the symbol and timeframe into the seed. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * The last `count` bars of `symbol` at `timeframeMicros` that close at or before `endMicros`
 * (a multiple of the timeframe), oldest first, prices in ticks; the last close is the symbol's
 * start price.
 */
export function simHistory(
  sim: SimConfig,
  instruments: InstrumentTable,
  symbol: string,
  timeframeMicros: number,
  count: number,
  endMicros: number,
): Bar[] {
  const inst = instruments.get(symbol);
  if (inst === undefined || count <= 0) return [];
  const rng = new SeededRng((sim.seed ^ hash(`${symbol}/${timeframeMicros}`)) >>> 0);
  const dt = timeframeMicros / STEPS_PER_BAR / YEAR_MICROS;
  const mu = (sim.drift - 0.5 * sim.volatility * sim.volatility) * dt;
  const sd = sim.volatility * Math.sqrt(dt);
  const scale = pow10(inst.priceDecimals);
  const label = timeframeLabel(timeframeMicros);
  const crypto = inst.assetClass === "crypto";
  // The sim market's ticks: a cent for crypto, the SEC tick for stocks.
  const round = (mid: number) => {
    const tick = crypto ? Math.max(1, scale / 100) : tickSizeAt(inst, mid);
    return Math.max(tick, Math.round(mid / tick) * tick);
  };
  // About as many trades and as much volume a bar as the sim market prints: `rate_per_symbol`
  // events a second, `trade_probability` of them trades, 1–500 shares or 0.001–2 coins each.
  const tradesPerBar = Math.max(
    1,
    sim.rate_per_symbol * sim.trade_probability * timeframeMicros / 1e6,
  );
  const lot = pow10(inst.qtyDecimals);
  const out: Bar[] = new Array(count);
  let mid = (sim.start_prices[symbol] ?? 100) * scale; // the sim market's price at its start
  for (let k = count - 1; k >= 0; k--) {
    const close = round(mid);
    let high = close, low = close;
    for (let j = 0; j < STEPS_PER_BAR; j++) {
      mid /= Math.exp(mu + sd * rng.normal()); // one step back in time
      const px = round(mid);
      if (px > high) high = px;
      if (px < low) low = px;
    }
    const open = round(mid);
    const start = endMicros - (count - k) * timeframeMicros;
    out[k] = {
      symbol,
      timeframe: label,
      start,
      end: start + timeframeMicros,
      open,
      high,
      low,
      close,
      volume: Math.round(tradesPerBar * (0.5 + rng.next()) * (crypto ? 1 : 250)) * lot,
      vwap: (open + close) / 2,
      tradeCount: Math.round(tradesPerBar * (0.5 + rng.next())),
      empty: false,
      source: "venue",
      venueTime: start + timeframeMicros,
      recvTime: endMicros,
    };
  }
  return out;
}
