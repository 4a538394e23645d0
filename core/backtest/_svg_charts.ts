/**
 * Inline SVG line and area charts over a date axis, for the tearsheet. No scripts and no fonts
 * beyond the page's own, so the charts render from a file opened offline. Long series are
 * thinned to at most `maxPoints` vertices per series, keeping each bucket's minimum and maximum so
 * that spikes and the deepest drawdown survive the thinning.
 */
import { escapeHtml, isNum } from "./_html.ts";
import { timeTicks } from "./_time_axis.ts";

/** One drawn series; `null` or non-finite values leave a gap in the line. */
export interface ChartSeries {
  readonly name: string;
  readonly values: readonly (number | null)[];
  /** A CSS colour. */
  readonly color: string;
  /** Fill between the line and zero (an underwater drawdown chart). */
  readonly fill?: boolean;
  /** Draw dashed (a benchmark beside the strategy). */
  readonly dashed?: boolean;
}

/** What `svgChart` draws: series sharing one date axis. */
export interface ChartSpec {
  /** Accessible name of the chart. */
  readonly label: string;
  /** YYYY-MM-DD per index, one per value of every series. */
  readonly dates: readonly string[];
  readonly series: readonly ChartSeries[];
  /** Formats a y tick value. */
  readonly yFormat: (v: number) => string;
  readonly yTitle: string;
  /** Always include zero in the y range and draw it as a stronger line. */
  readonly zeroLine?: boolean;
  readonly width?: number;
  readonly height?: number;
  /** Most vertices drawn per series; 1,500 keeps a 5,000-day curve faithful at chart width. */
  readonly maxPoints?: number;
}

const MARGIN = { left: 68, right: 16, top: 26, bottom: 40 } as const;

/** Renders series over a date axis as one inline `<svg>` element with axes, grid and legend. */
export function svgChart(spec: ChartSpec): string {
  const width = spec.width ?? 960;
  const height = spec.height ?? 300;
  const maxPoints = spec.maxPoints ?? 1500;
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const n = spec.dates.length;
  const { xs, byTime } = xPositions(spec.dates);
  const [x0, x1] = n > 0 ? [xs[0]!, xs[n - 1]!] : [0, 1];
  const [yMin, yMax] = yRange(spec.series, spec.zeroLine === true);
  const px = (x: number): number =>
    MARGIN.left + (x1 === x0 ? plotW / 2 : ((x - x0) / (x1 - x0)) * plotW);
  const py = (y: number): number => MARGIN.top + (1 - (y - yMin) / (yMax - yMin)) * plotH;

  const out: string[] = [];
  out.push(
    `<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="${
      escapeHtml(spec.label)
    }">`,
  );
  // Grid and y ticks.
  for (const t of niceTicks(yMin, yMax, 5)) {
    const y = r(py(t));
    const cls = spec.zeroLine === true && t === 0 ? "zero" : "grid";
    out.push(
      `<line class="${cls}" x1="${MARGIN.left}" x2="${width - MARGIN.right}" y1="${y}" y2="${y}"/>`,
    );
    out.push(
      `<text class="tick" x="${MARGIN.left - 6}" y="${y + 4}" text-anchor="end">${
        escapeHtml(spec.yFormat(t))
      }</text>`,
    );
  }
  // X ticks: calendar-aligned when the dates parse, evenly spaced indices otherwise.
  for (const t of xTicks(spec.dates, xs, byTime)) {
    const x = r(px(t.x));
    out.push(
      `<line class="grid" x1="${x}" x2="${x}" y1="${MARGIN.top}" y2="${height - MARGIN.bottom}"/>`,
    );
    out.push(
      `<text class="tick" x="${x}" y="${height - MARGIN.bottom + 16}" text-anchor="middle">${
        escapeHtml(t.label)
      }</text>`,
    );
  }
  out.push(
    `<rect class="frame" x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}"/>`,
  );
  const baseY = r(py(Math.min(Math.max(0, yMin), yMax)));
  for (const s of spec.series) {
    const segs = segments(s.values, maxPoints).map((seg) =>
      seg.map((i) => [r(px(xs[i]!)), r(py(s.values[i]!))] as const)
    );
    if (s.fill === true) {
      const d = segs.map((pts) =>
        `M${pts[0]![0]},${baseY}L${pts.map((p) => `${p[0]},${p[1]}`).join("L")}L${
          pts[pts.length - 1]![0]
        },${baseY}Z`
      ).join("");
      if (d !== "") {
        out.push(`<path d="${d}" fill="${s.color}" fill-opacity="0.25" stroke="none"/>`);
      }
    }
    const d = segs.map((pts) => `M${pts.map((p) => `${p[0]},${p[1]}`).join("L")}`).join("");
    if (d !== "") {
      const dash = s.dashed === true ? ` stroke-dasharray="5 3"` : "";
      out.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="1.4"${dash}/>`);
    }
  }
  // Legend, top left, and axis titles.
  let lx = MARGIN.left;
  for (const s of spec.series) {
    out.push(`<rect x="${lx}" y="8" width="14" height="4" fill="${s.color}"/>`);
    out.push(`<text class="legend" x="${lx + 18}" y="14">${escapeHtml(s.name)}</text>`);
    lx += 30 + 7 * s.name.length;
  }
  out.push(
    `<text class="axis" x="${MARGIN.left + plotW / 2}" y="${
      height - 4
    }" text-anchor="middle">Date</text>`,
  );
  out.push(
    `<text class="axis" transform="translate(14 ${
      MARGIN.top + plotH / 2
    }) rotate(-90)" text-anchor="middle">${escapeHtml(spec.yTitle)}</text>`,
  );
  out.push("</svg>");
  return out.join("\n");
}

/** One decimal place: finer than a pixel at chart width, and it keeps the file small. */
function r(v: number): number {
  return Math.round(v * 10) / 10;
}

/** Epoch days per date, or the index when any date fails to parse or time does not increase. */
function xPositions(dates: readonly string[]): { xs: number[]; byTime: boolean } {
  const days = dates.map(parseDay);
  const byTime = days.every((d, i) => d !== null && (i === 0 || d > days[i - 1]!));
  return { xs: byTime ? (days as number[]) : dates.map((_, i) => i), byTime };
}

/** Epoch days of a YYYY-MM-DD (UTC) prefix, or null. */
export function parseDay(date: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  if (m === null) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Number.isFinite(ms) ? ms / 86_400_000 : null;
}

function xTicks(
  dates: readonly string[],
  xs: readonly number[],
  byTime: boolean,
): { x: number; label: string }[] {
  const n = dates.length;
  if (n === 0) return [];
  if (byTime) return timeTicks(xs[0]!, xs[n - 1]!);
  // Index positions: about six labels taken from the date strings themselves.
  const step = Math.max(1, Math.ceil((n - 1) / 6));
  const ticks: { x: number; label: string }[] = [];
  for (let i = 0; i < n; i += step) ticks.push({ x: i, label: dates[i]!.slice(0, 10) });
  return ticks;
}

/** Lowest and highest finite value across series, padded, with zero included when asked. */
function yRange(series: readonly ChartSeries[], withZero: boolean): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series) {
    for (const v of s.values) {
      if (isNum(v)) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
  }
  if (lo > hi) return [0, 1];
  if (withZero) {
    lo = Math.min(lo, 0);
    hi = Math.max(hi, 0);
  }
  if (lo === hi) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.05;
    return [lo - pad, hi + pad];
  }
  const pad = (hi - lo) * 0.04;
  // Zero stays the edge of an all-negative (drawdown) or all-positive range rather than padding past it.
  return [withZero && lo === 0 ? 0 : lo - pad, withZero && hi === 0 ? 0 : hi + pad];
}

/** About `count` round tick values (1, 2 or 5 × 10^k apart) within [lo, hi]. */
export function niceTicks(lo: number, hi: number, count: number): number[] {
  const raw = (hi - lo) / Math.max(1, count);
  if (!(raw > 0) || !Number.isFinite(raw)) return [lo];
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const ticks: number[] = [];
  for (let k = Math.ceil(lo / step); k * step <= hi + step * 1e-9; k++) {
    // Snap float noise (0.30000000000000004) so labels and the zero test are exact.
    ticks.push(Number((k * step).toPrecision(12)));
  }
  return ticks;
}

/**
 * Runs of finite values as index lists, thinned to about `maxPoints` vertices in all: the index
 * range is cut into buckets and each keeps its lowest and highest value in order, so the drawn
 * line still reaches every extreme.
 */
export function segments(values: readonly (number | null)[], maxPoints: number): number[][] {
  const n = values.length;
  const bucket = n <= maxPoints ? 1 : Math.ceil(n / Math.max(1, Math.floor(maxPoints / 2)));
  const runs: number[][] = [];
  let run: number[] = [];
  let last = -1; // the latest finite index, so each run ends where the data does
  const flush = (): void => {
    if (last >= 0 && run.length > 0 && run[run.length - 1]! < last) run.push(last);
    if (run.length > 0) runs.push(run);
    run = [];
  };
  for (let start = 0; start < n; start += bucket) {
    const end = Math.min(n, start + bucket);
    let lo = -1;
    let hi = -1;
    for (let i = start; i < end; i++) {
      const v = values[i];
      if (!isNum(v)) {
        // A gap splits the line; the bucket's extremes so far belong to the run before it.
        if (lo >= 0) pushPair(run, lo, hi);
        lo = hi = -1;
        flush();
        continue;
      }
      // Each run starts where the data does, whatever the bucket's extremes.
      if (run.length === 0 && lo < 0) run.push(i);
      last = i;
      if (lo < 0 || v < (values[lo] as number)) lo = i;
      if (hi < 0 || v > (values[hi] as number)) hi = i;
    }
    if (lo >= 0) pushPair(run, lo, hi);
  }
  flush();
  return runs;
}

function pushPair(run: number[], a: number, b: number): void {
  const first = Math.min(a, b);
  const second = Math.max(a, b);
  if (run[run.length - 1] !== first) run.push(first);
  if (second !== first) run.push(second);
}
