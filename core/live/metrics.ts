/** Renders the core's counters in Prometheus text exposition format (version 0.0.4). */

/** One metric family: name, type, help, and samples (label set → value). */
export interface MetricFamily {
  readonly name: string;
  readonly type: "counter" | "gauge";
  readonly help: string;
  readonly samples: ReadonlyArray<readonly [Readonly<Record<string, string>>, number]>;
}

function escapeLabel(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
}

/** Formats metric families as Prometheus text. */
export function renderMetrics(families: readonly MetricFamily[]): string {
  const out: string[] = [];
  for (const f of families) {
    out.push(`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} ${f.type}`);
    for (const [labels, value] of f.samples) {
      const keys = Object.keys(labels);
      const l = keys.length === 0
        ? ""
        : `{${keys.map((k) => `${k}="${escapeLabel(labels[k]!)}"`).join(",")}}`;
      out.push(
        `${f.name}${l} ${
          Number.isFinite(value) ? value : value > 0 ? "+Inf" : value < 0 ? "-Inf" : "NaN"
        }`,
      );
    }
  }
  return out.join("\n") + "\n";
}
