/**
 * The monthly returns heatmap: one row per year, twelve month cells and a compounded year total,
 * each cell green for a gain and red for a loss with a strength that grows with the move.
 */
import { DASH, escapeHtml, fmtPct, isNum } from "./_html.ts";
import { MONTH_NAMES } from "./_time_axis.ts";

/** Renders monthly returns ("YYYY-MM" → fraction) as an HTML table, years ascending. */
export function monthlyHeatmap(monthly: readonly { month: string; ret: number }[]): string {
  const years = new Map<string, (number | null)[]>();
  for (const { month, ret } of monthly) {
    const m = /^(\d{4})-(\d{2})$/.exec(month);
    if (m === null) continue;
    const idx = Number(m[2]) - 1;
    if (idx < 0 || idx > 11) continue;
    const row = years.get(m[1]!) ?? Array<number | null>(12).fill(null);
    row[idx] = ret;
    years.set(m[1]!, row);
  }
  if (years.size === 0) return `<p class="note">No complete months to show.</p>`;
  const rows = [...years.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const totals = rows.map(([, months]) => compound(months));
  // One scale per kind of cell, so a big year does not wash out every month.
  const monthScale = maxAbs(rows.flatMap(([, months]) => months));
  const yearScale = maxAbs(totals);

  const head = MONTH_NAMES.map((m) => `<th>${m}</th>`).join("");
  const body = rows.map(([year, months], i) => {
    const cells = months.map((r, m) => cell(r, monthScale, `${year}-${pad2(m + 1)}`)).join("");
    return `<tr><th>${escapeHtml(year)}</th>${cells}${
      cell(totals[i]!, yearScale, year, "total")
    }</tr>`;
  });
  return `<table class="heatmap"><thead><tr><th>Year</th>${head}<th class="total">Year</th></tr></thead>` +
    `<tbody>\n${body.join("\n")}\n</tbody></table>`;
}

function cell(r: number | null, scale: number, key: string, extra = ""): string {
  const cls = extra === "" ? "" : ` ${extra}`;
  if (!isNum(r)) {
    return `<td class="cell empty${cls}" data-month="${escapeHtml(key)}">${
      r === null ? "" : DASH
    }</td>`;
  }
  return `<td class="cell${cls}" data-month="${escapeHtml(key)}" style="${heatStyle(r, scale)}">${
    fmtPct(r, 1)
  }</td>`;
}

/** Background (and, on strong cells, white text) for a return relative to the largest move. */
export function heatStyle(r: number, scale: number): string {
  if (!isNum(r) || r === 0 || !(scale > 0)) return "background:#f3f4f6";
  // A floor so that a tiny move still reads as a sign; a square root so mid-size moves show.
  const strength = 0.12 + 0.78 * Math.sqrt(Math.min(1, Math.abs(r) / scale));
  const alpha = Math.round(strength * 100) / 100;
  const rgb = r > 0 ? "22,163,74" : "220,38,38";
  return `background:rgba(${rgb},${alpha})${alpha > 0.6 ? ";color:#fff" : ""}`;
}

/** Compounded return of the months present, or null when none is. */
function compound(months: readonly (number | null)[]): number | null {
  let growth = 1;
  let any = false;
  for (const r of months) {
    if (!isNum(r)) continue;
    growth *= 1 + r;
    any = true;
  }
  return any ? growth - 1 : null;
}

function maxAbs(xs: readonly (number | null)[]): number {
  let m = 0;
  for (const x of xs) if (isNum(x) && Math.abs(x) > m) m = Math.abs(x);
  return m;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}
