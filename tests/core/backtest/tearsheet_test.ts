import assert from "node:assert/strict";
import type {
  BacktestResults,
  EquityPoint,
  Metrics,
  RoundTrip,
} from "../../../core/backtest/results.ts";
import { segments } from "../../../core/backtest/_svg_charts.ts";
import { renderTearsheet } from "../../../core/backtest/tearsheet.ts";

const METRICS: Metrics = {
  totalReturn: 0.1234,
  cagr: 0.0567,
  annualVolatility: 0.18,
  sharpe: 1.2345,
  sortino: 1.8,
  calmar: 0.75,
  maxDrawdown: 0.2109,
  maxDrawdownDays: 143,
  winRate: 0.55,
  profitFactor: 1.4,
  avgWin: 250.5,
  avgLoss: -180.25,
  expectancy: 56.7,
  exposure: 0.8,
  turnover: 3.21,
  trades: 42,
};

/** Equity points on consecutive weekdays from 2004-01-01, a seeded random walk for both curves. */
function walk(days: number, seed = 7): EquityPoint[] {
  let state = seed;
  const next = (): number => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31 - 0.5;
  };
  const points: EquityPoint[] = [];
  let equity = 100_000;
  let benchmark = 100_000;
  for (let ms = Date.UTC(2004, 0, 1); points.length < days; ms += 86_400_000) {
    const dow = new Date(ms).getUTCDay();
    if (dow === 0 || dow === 6) continue;
    equity *= 1 + next() * 0.03;
    benchmark *= 1 + next() * 0.025;
    const date = new Date(ms).toISOString().slice(0, 10);
    points.push({ date, equity, benchmark, cash: equity / 2, grossExposure: equity / 2 });
  }
  return points;
}

function trip(i: number, over: Partial<RoundTrip> = {}): RoundTrip {
  return {
    symbol: i % 2 === 0 ? "AAPL" : "MSFT",
    direction: i % 3 === 0 ? "short" : "long",
    qty: "10",
    entryTime: `2004-02-${String(1 + (i % 28)).padStart(2, "0")}T14:30:00.000000Z`,
    exitTime: `2004-03-${String(1 + (i % 28)).padStart(2, "0")}T20:00:00.000000Z`,
    entryPrice: "100.00",
    exitPrice: "101.50",
    pnl: i % 4 === 0 ? "-12.34" : "15.00",
    returnPct: i % 4 === 0 ? -0.01234 : 0.015,
    ...over,
  };
}

/** A small complete results object; any field can be replaced. */
function build(over: Partial<BacktestResults> = {}): BacktestResults {
  return {
    version: 1,
    strategy: "sma_cross",
    params: { fast: 10, slow: 50, allowShort: false },
    symbols: ["AAPL", "MSFT"],
    from: "2004-01-01T14:30:00.000000Z",
    to: "2004-06-30T20:00:00.000000Z",
    startingCash: "100000.00",
    endingEquity: "112340.00",
    seed: 42,
    execution: { slippageBps: 2, feeModel: "per_share", latencyMs: 5 },
    events: 12_345,
    metrics: METRICS,
    benchmark: { ...METRICS, totalReturn: 0.08, sharpe: 0.9, trades: 1 },
    equity: walk(130),
    positions: {},
    orders: [],
    fills: [],
    trades: [trip(0), trip(1), trip(2)],
    refusals: { max_position: 3, max_notional: 1 },
    ...over,
  };
}

/** The HTML of the `<section id=…>` element. */
function section(html: string, id: string): string {
  const start = html.indexOf(`<section id="${id}">`);
  assert.ok(start >= 0, `section ${id} is missing`);
  return html.slice(start, html.indexOf("</section>", start));
}

/** The text of the heatmap cell for a "YYYY-MM" month or a "YYYY" year total. */
function heatCell(html: string, key: string, total = false): { style: string; text: string } {
  const cls = total ? "cell total" : "cell";
  const re = new RegExp(
    `<td class="${cls}( empty)?" data-month="${key}"(?: style="([^"]*)")?>([^<]*)</td>`,
  );
  const m = re.exec(html);
  assert.ok(m !== null, `no heatmap cell for ${key}`);
  return { style: m[2] ?? "", text: m[3]! };
}

Deno.test("renderTearsheet() titles the page with the strategy and the period", () => {
  const html = renderTearsheet(build());
  assert.match(html, /^<!DOCTYPE html>/);
  assert.match(html, /<title>Tearsheet: sma_cross · 2004-01-01 → 2004-06-30<\/title>/);
  assert.match(html, /<h1>sma_cross<\/h1>/);
});

Deno.test("renderTearsheet() has equity, drawdown and rolling Sharpe charts as inline SVG", () => {
  const html = renderTearsheet(build());
  for (const id of ["equity", "drawdown", "rolling-sharpe"]) {
    const s = section(html, id);
    assert.match(s, /<svg class="chart"/, id);
    assert.match(s, /<path d="M[\d.]+,[\d.]+L/, id);
    assert.match(s, />Date<\/text>/, id);
  }
  // Underwater: the strategy's drawdown is a filled area.
  assert.match(section(html, "drawdown"), /fill-opacity="0.25"/);
  assert.match(section(html, "rolling-sharpe"), /<h2>Rolling Sharpe \(63-day\)<\/h2>/);
  // Dates on the x axis: 130 weekdays from January 2004 get month labels.
  assert.match(section(html, "equity"), />Feb 2004<\/text>/);
});

Deno.test("renderTearsheet() explains a rolling Sharpe window longer than the curve", () => {
  const html = renderTearsheet(build({ equity: walk(30) }));
  const s = section(html, "rolling-sharpe");
  assert.doesNotMatch(s, /<svg/);
  assert.match(s, /Fewer than 64 days/);
});

Deno.test("renderTearsheet() lists every metric for strategy and benchmark, formatted by kind", () => {
  const html = renderTearsheet(build());
  const row = (key: string): string[] => {
    const m = new RegExp(`<tr data-metric="${key}"><th>[^<]*</th><td>([^<]*)</td><td>([^<]*)</td>`)
      .exec(html);
    assert.ok(m !== null, `no metrics row for ${key}`);
    return [m[1]!, m[2]!];
  };
  for (const key of Object.keys(METRICS)) row(key);
  assert.deepEqual(row("totalReturn"), ["12.34%", "8.00%"]);
  assert.deepEqual(row("cagr"), ["5.67%", "5.67%"]);
  assert.deepEqual(row("annualVolatility")[0], "18.00%");
  assert.deepEqual(row("maxDrawdown")[0], "21.09%");
  assert.deepEqual(row("winRate")[0], "55.00%");
  assert.deepEqual(row("exposure")[0], "80.00%");
  assert.deepEqual(row("sharpe"), ["1.23", "0.90"]);
  assert.deepEqual(row("calmar")[0], "0.75");
  assert.deepEqual(row("turnover")[0], "3.21");
  assert.deepEqual(row("avgLoss")[0], "-180.25");
  assert.deepEqual(row("maxDrawdownDays")[0], "143");
  assert.deepEqual(row("trades"), ["42", "1"]);
});

Deno.test("renderTearsheet() shows a dash, never NaN or Infinity, for non-finite numbers", () => {
  const equity = walk(100).map((p, i) => i === 50 ? { ...p, equity: Number.NaN } : p);
  const html = renderTearsheet(build({
    metrics: { ...METRICS, sharpe: Number.NaN, cagr: Infinity, calmar: -Infinity },
    params: { weird: Number.NaN },
    equity,
    trades: [trip(0, { returnPct: Number.NaN })],
  }));
  assert.doesNotMatch(html, /NaN|Infinity/);
  assert.match(html, /<tr data-metric="sharpe"><th>[^<]*<\/th><td>—<\/td>/);
  assert.match(html, /<tr data-metric="cagr"><th>[^<]*<\/th><td>—<\/td>/);
  assert.match(section(html, "parameters"), /<th>weird<\/th><td>—<\/td>/);
});

Deno.test("renderTearsheet() puts each month's return in its heatmap cell with a yearly total", () => {
  const pt = (date: string, equity: number): EquityPoint => ({
    date,
    equity,
    benchmark: 100,
    cash: equity,
    grossExposure: 0,
  });
  const html = section(
    renderTearsheet(build({
      equity: [
        pt("2023-12-01", 100),
        pt("2023-12-29", 105), // Dec 2023: +5 %
        pt("2024-01-31", 115.5), // Jan 2024: +10 %
        pt("2024-02-29", 103.95), // Feb 2024: −10 %
      ],
    })),
    "monthly",
  );
  assert.match(html, /<table class="heatmap">/);
  const dec = heatCell(html, "2023-12");
  const jan = heatCell(html, "2024-01");
  const feb = heatCell(html, "2024-02");
  assert.equal(dec.text, "5.0%");
  assert.equal(jan.text, "10.0%");
  assert.equal(feb.text, "-10.0%");
  // Green for gains, red for losses; the largest move gets the strongest colour.
  assert.match(dec.style, /rgba\(22,163,74,/);
  assert.match(jan.style, /rgba\(22,163,74,0\.9\)/);
  assert.match(feb.style, /rgba\(220,38,38,0\.9\)/);
  // Months without data are empty cells, not zeros.
  assert.equal(heatCell(html, "2023-01").text, "");
  assert.equal(heatCell(html, "2024-03").text, "");
  // Year totals compound the months: 1.1 × 0.9 − 1 = −1 %.
  assert.equal(heatCell(html, "2023", true).text, "5.0%");
  assert.equal(heatCell(html, "2024", true).text, "-1.0%");
  assert.equal(html.match(/<tr><th>\d{4}<\/th>/g)?.length, 2);
});

Deno.test("renderTearsheet() lists each round trip with its fields", () => {
  const html = section(
    renderTearsheet(build({ trades: [trip(0), trip(1, { symbol: "NVDA", pnl: "99.99" })] })),
    "trades",
  );
  const rows = html.match(/<tr><td>\d+<\/td>.*<\/tr>/g) ?? [];
  assert.equal(rows.length, 2);
  assert.match(rows[0]!, /<td>1<\/td><td>AAPL<\/td><td>short<\/td><td class="num">10<\/td>/);
  assert.match(rows[0]!, /2004-02-01T14:30:00.000000Z/);
  assert.match(rows[0]!, /<td class="num neg">-12.34<\/td><td class="num neg">-1.23%<\/td>/);
  assert.match(rows[1]!, /<td>2<\/td><td>NVDA<\/td><td>long<\/td>/);
  assert.match(rows[1]!, /<td class="num pos">99.99<\/td>/);
  assert.doesNotMatch(html, /truncated/);
});

Deno.test("renderTearsheet() keeps the last 500 trades and says the list was cut", () => {
  const trades = Array.from({ length: 620 }, (_, i) => trip(i));
  const html = section(renderTearsheet(build({ trades })), "trades");
  const rows = html.match(/<tr><td>(\d+)<\/td>/g) ?? [];
  assert.equal(rows.length, 500);
  assert.equal(rows[0], "<tr><td>121</td>");
  assert.equal(rows[499], "<tr><td>620</td>");
  assert.match(html, /Showing the last 500 of 620 trades/);
  const few = section(renderTearsheet(build({ trades }), { maxTrades: 10 }), "trades");
  assert.equal((few.match(/<tr><td>\d+<\/td>/g) ?? []).length, 10);
});

Deno.test("renderTearsheet() shows params, execution, symbols, cash, seed and refusals", () => {
  const html = section(renderTearsheet(build()), "parameters");
  for (
    const re of [
      /<th>fast<\/th><td>10<\/td>/,
      /<th>slow<\/th><td>50<\/td>/,
      /<th>allowShort<\/th><td>false<\/td>/,
      /<th>slippageBps<\/th><td>2<\/td>/,
      /<th>feeModel<\/th><td>per_share<\/td>/,
      /<th>Symbols<\/th><td>AAPL, MSFT<\/td>/,
      /<th>Starting cash<\/th><td>100000.00<\/td>/,
      /<th>Seed<\/th><td>42<\/td>/,
      /<th>max_position<\/th><td>3<\/td>/,
      /<th>max_notional<\/th><td>1<\/td>/,
    ]
  ) assert.match(html, re);
  const none = section(renderTearsheet(build({ refusals: {} })), "parameters");
  assert.match(none, /No refusals/);
});

Deno.test("renderTearsheet() escapes every string from the results", () => {
  const evil = `<script>alert("x")</script><img src=x onerror='y'>&`;
  const html = renderTearsheet(build({
    strategy: evil,
    params: { [evil]: evil },
    execution: { model: evil },
    symbols: [evil],
    from: evil,
    startingCash: evil,
    endingEquity: evil,
    refusals: { [evil]: 1 },
    trades: [trip(0, { symbol: evil, qty: evil, entryTime: evil, pnl: evil, exitPrice: evil })],
  }));
  assert.doesNotMatch(html, /<script|<img|onerror='/i);
  assert.match(html, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;/);
  assert.match(html, /onerror=&#39;y&#39;&gt;&amp;/);
});

Deno.test("renderTearsheet() references nothing outside the file", () => {
  const html = renderTearsheet(build({ equity: walk(400) }));
  assert.doesNotMatch(html, /\b(?:src|href)\s*=\s*["']?\s*(?:https?:|\/\/)/i);
  assert.doesNotMatch(html, /<link\b|<script\b|<iframe\b|<img\b|@import|url\(/i);
  assert.doesNotMatch(html, /https?:\/\//i);
  // In-page navigation only.
  for (const m of html.matchAll(/href="([^"]*)"/g)) assert.match(m[1]!, /^#[\w-]+$/);
});

Deno.test("renderTearsheet() renders the same results to byte-identical HTML", () => {
  const a = build();
  // The same results built with keys in another order: the page must not depend on that.
  const b = build({
    params: { allowShort: false, slow: 50, fast: 10 },
    execution: { latencyMs: 5, feeModel: "per_share", slippageBps: 2 },
    refusals: { max_notional: 1, max_position: 3 },
  });
  const html = renderTearsheet(a);
  assert.equal(renderTearsheet(a), html);
  assert.equal(renderTearsheet(structuredClone(a)), html);
  assert.equal(renderTearsheet(b), html);
});

Deno.test("renderTearsheet() stays under 1 MB for 5,000 days and 500 trades", () => {
  const trades = Array.from({ length: 800 }, (_, i) => trip(i));
  const html = renderTearsheet(build({ equity: walk(5_000), trades }));
  const bytes = new TextEncoder().encode(html).length;
  assert.ok(bytes < 1_000_000, `${bytes} bytes`);
  // Each drawn line is thinned to about 1,500 vertices.
  for (const m of html.matchAll(/<path d="([^"]*)" fill="none"/g)) {
    const vertices = m[1]!.split(/[ML]/).length - 1;
    assert.ok(vertices <= 1_600, `${vertices} vertices`);
  }
});

Deno.test("renderTearsheet() renders a run with no equity points and no trades", () => {
  const html = renderTearsheet(build({ equity: [], trades: [] }));
  assert.match(section(html, "equity"), /No equity points/);
  assert.match(section(html, "monthly"), /No complete months/);
  assert.match(section(html, "trades"), /No round-trip trades/);
});

Deno.test("chart thinning keeps each bucket's extremes and both ends of the series", () => {
  const values = Array.from({ length: 5_000 }, (_, i) => Math.sin(i / 50));
  values[2_345] = -7; // one deep spike that thinning must not drop
  values[3_001] = 9;
  const [run, ...rest] = segments(values, 1_500);
  assert.equal(rest.length, 0);
  assert.ok(run!.length <= 1_502, `${run!.length} points`);
  assert.equal(run![0], 0);
  assert.equal(run![run!.length - 1], 4_999);
  assert.ok(run!.includes(2_345) && run!.includes(3_001));
  for (let i = 1; i < run!.length; i++) assert.ok(run![i]! > run![i - 1]!, "indices ascend");
});

Deno.test("chart thinning splits the line at gaps (null and NaN)", () => {
  const values = [null, null, 1, 2, Number.NaN, 3, 4, 5, null];
  assert.deepEqual(segments(values, 1_500), [[2, 3], [5, 6, 7]]);
});
