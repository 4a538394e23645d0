/**
 * The tearsheet's parameters section: the run's facts, the strategy parameters, the execution
 * settings and the risk refusals by reason.
 */
import { DASH, escapeHtml, isNum } from "./_html.ts";
import type { BacktestResults } from "./results.ts";

/** A two-column table of sorted keys, so the page does not depend on insertion order. */
function keyValueTable(
  record: Readonly<Record<string, string | number | boolean>>,
  empty: string,
): string {
  const keys = Object.keys(record).sort();
  if (keys.length === 0) return `<p class="note">${empty}</p>`;
  const rows = keys.map((k) => `<tr><th>${escapeHtml(k)}</th><td>${scalar(record[k]!)}</td></tr>`);
  return `<table class="kv"><tbody>\n${rows.join("\n")}\n</tbody></table>`;
}

function scalar(v: string | number | boolean): string {
  if (typeof v === "number") return isNum(v) ? escapeHtml(String(v)) : DASH;
  return escapeHtml(String(v));
}

/** Renders what the run was given and what risk refused, as key–value tables. */
export function parametersSection(r: BacktestResults): string {
  const run: Record<string, string | number | boolean> = {
    Strategy: r.strategy,
    From: r.from,
    To: r.to,
    Symbols: r.symbols.length === 0 ? DASH : r.symbols.join(", "),
    "Starting cash": r.startingCash,
    "Ending equity": r.endingEquity,
    Seed: r.seed,
    Events: r.events,
    Orders: r.orders.length,
    Fills: r.fills.length,
    "Round trips": r.trades.length,
  };
  // Run facts keep their reading order; the free-form maps are sorted by keyValueTable.
  const runRows = Object.entries(run).map(([k, v]) =>
    `<tr><th>${k}</th><td>${scalar(v)}</td></tr>`
  );
  return [
    `<div class="params">`,
    `<div><h3>Run</h3><table class="kv"><tbody>\n${runRows.join("\n")}\n</tbody></table></div>`,
    `<div><h3>Strategy parameters</h3>${keyValueTable(r.params, "No parameters.")}</div>`,
    `<div><h3>Execution</h3>${keyValueTable(r.execution, "No execution settings.")}</div>`,
    `<div><h3>Risk refusals</h3>${keyValueTable(r.refusals, "No refusals.")}</div>`,
    `</div>`,
  ].join("\n");
}
