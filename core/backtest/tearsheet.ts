/**
 * The tearsheet: one self-contained HTML page for a backtest's results (inline CSS and SVG, no
 * scripts, fonts, images or links out), so it opens from disk offline and can be mailed as one
 * file. Output depends on the results alone, so the same results render byte-identical pages.
 */
import { formatCashRounded, parseCash } from "../domain/money.ts";
import { escapeHtml, fmtCompact, fmtNum, fmtPct, signClass } from "./_html.ts";
import { monthlyHeatmap } from "./_monthly_heatmap.ts";
import { parametersSection } from "./_run_parameters.ts";
import { svgChart } from "./_svg_charts.ts";
import { TEARSHEET_CSS } from "./_tearsheet_css.ts";
import { tradeTable } from "./_trade_table.ts";
import type { BacktestResults, Metrics } from "./results.ts";
import { dailyReturns, drawdowns, monthlyReturns, rollingSharpe } from "./series.ts";

/** Options for `renderTearsheet`. */
export interface TearsheetOptions {
  /** Most trades listed, the latest kept (default 500); the page says when it cut the list. */
  readonly maxTrades?: number;
}

/** Trading days in the rolling Sharpe window: about one quarter. */
export const ROLLING_SHARPE_WINDOW = 63;

const STRATEGY_COLOR = "#2563eb";
const BENCHMARK_COLOR = "#6b7280";

type MetricFormat = "pct" | "ratio" | "money" | "int";

/** Every Metrics field, in display order; the Record type makes a new field fail to compile. */
const METRIC_ROWS: Readonly<Record<keyof Metrics, readonly [string, MetricFormat]>> = {
  totalReturn: ["Total return", "pct"],
  cagr: ["CAGR", "pct"],
  annualVolatility: ["Annual volatility", "pct"],
  sharpe: ["Sharpe ratio", "ratio"],
  sortino: ["Sortino ratio", "ratio"],
  calmar: ["Calmar ratio", "ratio"],
  maxDrawdown: ["Max drawdown", "pct"],
  maxDrawdownDays: ["Max drawdown duration (days)", "int"],
  winRate: ["Win rate", "pct"],
  profitFactor: ["Profit factor", "ratio"],
  // Per-trade P&L after fees in account currency (metrics.ts), not fractions.
  avgWin: ["Average win", "money"],
  avgLoss: ["Average loss", "money"],
  expectancy: ["Expectancy per trade", "money"],
  exposure: ["Exposure", "pct"],
  turnover: ["Turnover (× equity per year)", "ratio"],
  trades: ["Trades", "int"],
};

/**
 * Renders backtest results as one self-contained HTML page.
 *
 * @example
 * ```ts
 * import type { BacktestResults } from "./results.ts";
 * import { renderTearsheet } from "./tearsheet.ts";
 * function save(results: BacktestResults, path: string): void {
 *   Deno.writeTextFileSync(path, renderTearsheet(results, { maxTrades: 200 }));
 * }
 * ```
 */
export function renderTearsheet(results: BacktestResults, options: TearsheetOptions = {}): string {
  const title = `${results.strategy} · ${day(results.from)} → ${day(results.to)}`;
  const body = [
    header(results),
    section("metrics", "Metrics", metricsTable(results.metrics, results.benchmark)),
    section("equity", "Equity", equityChart(results)),
    section("drawdown", "Drawdown", drawdownChart(results)),
    section("monthly", "Monthly returns", monthlyHeatmap(monthlyReturns(results.equity))),
    section(
      "rolling-sharpe",
      `Rolling Sharpe (${ROLLING_SHARPE_WINDOW}-day)`,
      rollingSharpeChart(results),
    ),
    section("trades", "Trades", tradeTable(results.trades, options.maxTrades ?? 500)),
    section("parameters", "Parameters", parametersSection(results)),
  ];
  return [
    "<!DOCTYPE html>",
    `<html lang="en"><head><meta charset="utf-8">`,
    `<meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<title>${escapeHtml(`Tearsheet: ${title}`)}</title>`,
    `<style>${TEARSHEET_CSS}</style>`,
    `</head><body><main>`,
    ...body,
    `</main></body></html>`,
    "",
  ].join("\n");
}

/** The date part of an RFC 3339 time, for headings. */
/** An exact decimal amount shown to the cent. */
function cents(amount: string): string {
  try {
    return formatCashRounded(parseCash(amount), 2);
  } catch {
    return amount;
  }
}

function day(time: string): string {
  return time.slice(0, 10);
}

function section(id: string, heading: string, content: string): string {
  return `<section id="${id}"><h2>${escapeHtml(heading)}</h2>\n${content}\n</section>`;
}

function header(r: BacktestResults): string {
  const m = r.metrics;
  const card = (label: string, value: string, cls = ""): string =>
    `<div class="card"><div class="label">${label}</div><div class="value ${cls}">${value}</div></div>`;
  const nav = [
    ["metrics", "Metrics"],
    ["equity", "Equity"],
    ["drawdown", "Drawdown"],
    ["monthly", "Monthly"],
    ["rolling-sharpe", "Rolling Sharpe"],
    ["trades", "Trades"],
    ["parameters", "Parameters"],
  ].map(([id, label]) => `<a href="#${id}">${label}</a>`).join(" · ");
  return [
    `<header><h1>${escapeHtml(r.strategy)}</h1>`,
    `<p class="period">${escapeHtml(day(r.from))} → ${escapeHtml(day(r.to))} · ${
      escapeHtml(r.symbols.join(", "))
    }</p>`,
    `<div class="cards">`,
    card("Starting cash", escapeHtml(cents(r.startingCash))),
    card("Ending equity", escapeHtml(cents(r.endingEquity))),
    card("Total return", fmtPct(m.totalReturn), signClass(m.totalReturn)),
    card("Sharpe", fmtNum(m.sharpe)),
    card("Max drawdown", fmtPct(m.maxDrawdown)),
    card("Trades", fmtNum(m.trades, 0)),
    `</div><nav>${nav}</nav></header>`,
  ].join("\n");
}

function formatMetric(x: number | null, format: MetricFormat): string {
  switch (format) {
    case "pct":
      return fmtPct(x);
    case "ratio":
    case "money":
      return fmtNum(x);
    case "int":
      return fmtNum(x, 0);
  }
}

function metricsTable(strategy: Metrics, benchmark: Metrics): string {
  const keys = Object.keys(METRIC_ROWS) as (keyof Metrics)[];
  const rows = keys.map((key) => {
    const [label, format] = METRIC_ROWS[key];
    return `<tr data-metric="${key}"><th>${label}</th><td>${
      formatMetric(strategy[key], format)
    }</td><td>${formatMetric(benchmark[key], format)}</td></tr>`;
  });
  return `<table class="metrics"><thead><tr><th>Metric</th><th>Strategy</th><th>Benchmark</th></tr></thead>` +
    `<tbody>\n${rows.join("\n")}\n</tbody></table>`;
}

function equityChart(r: BacktestResults): string {
  if (r.equity.length === 0) return `<p class="note">No equity points.</p>`;
  return svgChart({
    label: "Equity of the strategy against the benchmark",
    dates: r.equity.map((p) => p.date),
    series: [
      { name: "Strategy", values: r.equity.map((p) => p.equity), color: STRATEGY_COLOR },
      {
        name: "Benchmark",
        values: r.equity.map((p) => p.benchmark),
        color: BENCHMARK_COLOR,
        dashed: true,
      },
    ],
    yFormat: fmtCompact,
    yTitle: "Equity",
  });
}

function drawdownChart(r: BacktestResults): string {
  if (r.equity.length === 0) return `<p class="note">No equity points.</p>`;
  // Drawn below zero: the underwater picture traders expect, deepest trough lowest.
  const under = (values: readonly number[]): number[] => drawdowns(values).map((d) => -d);
  return svgChart({
    label: "Drawdown from the running peak",
    dates: r.equity.map((p) => p.date),
    series: [
      {
        name: "Strategy",
        values: under(r.equity.map((p) => p.equity)),
        color: "#dc2626",
        fill: true,
      },
      {
        name: "Benchmark",
        values: under(r.equity.map((p) => p.benchmark)),
        color: BENCHMARK_COLOR,
        dashed: true,
      },
    ],
    yFormat: (v) => fmtPct(v, 0),
    yTitle: "Drawdown",
    zeroLine: true,
  });
}

function rollingSharpeChart(r: BacktestResults): string {
  if (r.equity.length <= ROLLING_SHARPE_WINDOW) {
    return `<p class="note">Fewer than ${
      ROLLING_SHARPE_WINDOW + 1
    } days of equity: no rolling window to show.</p>`;
  }
  const rolling = (values: readonly number[]): (number | null)[] =>
    rollingSharpe(dailyReturns(values), ROLLING_SHARPE_WINDOW);
  // Return i runs from day i to day i + 1, so it is dated by the later day.
  return svgChart({
    label: `Rolling ${ROLLING_SHARPE_WINDOW}-day Sharpe ratio`,
    dates: r.equity.slice(1).map((p) => p.date),
    series: [
      { name: "Strategy", values: rolling(r.equity.map((p) => p.equity)), color: STRATEGY_COLOR },
      {
        name: "Benchmark",
        values: rolling(r.equity.map((p) => p.benchmark)),
        color: BENCHMARK_COLOR,
        dashed: true,
      },
    ],
    yFormat: (v) => fmtNum(v, 1),
    yTitle: "Sharpe (annualised)",
    zeroLine: true,
  });
}
