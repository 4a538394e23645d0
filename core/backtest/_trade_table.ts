/**
 * The tearsheet's list of round trips, newest last and capped so a run with tens of thousands of
 * trades still gives a page a browser opens quickly.
 */
import { decimalSignClass, escapeHtml, fmtNum, fmtPct, signClass } from "./_html.ts";
import type { RoundTrip } from "./results.ts";

/** Renders the last `maxTrades` round trips as an HTML table, with a note when some were left out. */
export function tradeTable(trades: readonly RoundTrip[], maxTrades: number): string {
  if (trades.length === 0) return `<p class="note">No round-trip trades.</p>`;
  const cap = Math.max(0, Math.floor(maxTrades));
  const first = Math.max(0, trades.length - cap);
  const note = first > 0
    ? `<p class="note truncated">Showing the last ${fmtNum(cap, 0)} of ${
      fmtNum(trades.length, 0)
    } trades.</p>\n`
    : "";
  const rows: string[] = [];
  for (let i = first; i < trades.length; i++) {
    const t = trades[i]!;
    rows.push(
      `<tr><td>${i + 1}</td><td>${escapeHtml(t.symbol)}</td><td>${escapeHtml(t.direction)}</td>` +
        `<td class="num">${escapeHtml(t.qty)}</td><td class="time">${
          escapeHtml(t.entryTime)
        }</td>` +
        `<td class="time">${escapeHtml(t.exitTime)}</td><td class="num">${
          escapeHtml(t.entryPrice)
        }</td>` +
        `<td class="num">${escapeHtml(t.exitPrice)}</td>` +
        `<td class="num ${decimalSignClass(t.pnl)}">${escapeHtml(t.pnl)}</td>` +
        `<td class="num ${signClass(t.returnPct)}">${fmtPct(t.returnPct)}</td></tr>`,
    );
  }
  const head = ["#", "Symbol", "Side", "Qty", "Entry time", "Exit time", "Entry", "Exit", "P&amp;L"]
    .map((h) => `<th>${h}</th>`).join("") + "<th>Return</th>";
  return `${note}<div class="scroll"><table class="trades"><thead><tr>${head}</tr></thead>` +
    `<tbody>\n${rows.join("\n")}\n</tbody></table></div>`;
}
