/**
 * The tearsheet's stylesheet, inlined into the page. System font stacks only: a web font would
 * be a network fetch, and the page must read the same offline.
 */

/** CSS for the tearsheet page, its tables and its SVG charts. */
export const TEARSHEET_CSS = `
:root{--fg:#111827;--muted:#6b7280;--line:#e5e7eb;--pos:#15803d;--neg:#b91c1c;--bg:#fff}
*{box-sizing:border-box}
body{margin:0;background:#f9fafb;color:var(--fg);
font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1100px;margin:0 auto;padding:24px}
header h1{margin:0 0 4px;font-size:26px}
.period{margin:0 0 16px;color:var(--muted)}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin-bottom:12px}
.card{background:var(--bg);border:1px solid var(--line);border-radius:8px;padding:10px 14px;min-width:140px}
.card .label{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.card .value{font-size:20px;font-weight:600;font-variant-numeric:tabular-nums}
nav{font-size:13px;color:var(--muted)}
nav a{color:#2563eb;text-decoration:none}
section{background:var(--bg);border:1px solid var(--line);border-radius:8px;padding:16px 20px;margin:20px 0}
h2{margin:0 0 12px;font-size:18px}
h3{margin:0 0 8px;font-size:14px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
table{border-collapse:collapse;font-variant-numeric:tabular-nums}
th,td{padding:4px 10px;border-bottom:1px solid var(--line);text-align:left;white-space:nowrap}
thead th{font-size:12px;color:var(--muted);font-weight:600}
table.metrics td,td.num{text-align:right}
table.metrics{min-width:480px}
.pos{color:var(--pos)}.neg{color:var(--neg)}
.note{color:var(--muted);font-style:italic;margin:4px 0 8px}
.scroll{max-height:640px;overflow:auto;border:1px solid var(--line)}
table.trades{width:100%;font-size:12px}
table.trades thead th{position:sticky;top:0;background:var(--bg)}
td.time{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:11px}
table.heatmap{width:100%;table-layout:fixed;font-size:12px}
table.heatmap th,table.heatmap td{text-align:center;padding:6px 2px;border:1px solid #fff}
table.heatmap td.empty{background:#fafafa}
table.heatmap .total{border-left:3px solid #fff;font-weight:600}
.params{display:grid;grid-template-columns:repeat(auto-fit,minmax(240px,1fr));gap:20px}
table.kv{width:100%}
table.kv td{white-space:normal;word-break:break-word}
svg.chart{width:100%;height:auto;display:block}
svg .grid{stroke:#eef0f3;stroke-width:1}
svg .zero{stroke:#9ca3af;stroke-width:1}
svg .frame{fill:none;stroke:#d1d5db}
svg text{font-size:11px;fill:var(--muted)}
svg .legend{fill:var(--fg);font-size:12px}
svg .axis{fill:var(--fg);font-size:12px}
@media print{body{background:#fff}section{break-inside:avoid;border:none}.scroll{max-height:none}}
`.trim();
