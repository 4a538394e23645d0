/**
 * Validation problems in the words a trader reads ("must be >= 0"), not the validator's ("Too
 * small: expected number to be >=0"): one wording for the config, the strategy parameters and the
 * backtest CLI.
 */

/** What the value must be, from one zod issue. */
export function describeIssue(issue: { code: string; message: string }): string {
  const i = issue as {
    code: string;
    message: string;
    maximum?: unknown;
    minimum?: unknown;
    inclusive?: boolean;
    expected?: string;
    values?: readonly unknown[];
  };
  // A schema's own message ("must be at least 0.000001 (1 ppm)") already speaks to the user.
  if (!/^(Too (small|big)|Invalid)\b/.test(i.message)) return i.message;
  if (i.code === "too_big" && i.maximum !== undefined) {
    return `must be ${i.inclusive === false ? "<" : "<="} ${String(i.maximum)}`;
  }
  if (i.code === "too_small" && i.minimum !== undefined) {
    return `must be ${i.inclusive === false ? ">" : ">="} ${String(i.minimum)}`;
  }
  if (i.code === "invalid_type" && i.expected !== undefined) {
    // zod names an integer check's failure as a type: "expected int".
    if (i.expected === "int") return "must be a whole number";
    return `must be ${/^[aeiou]/.test(i.expected) ? "an" : "a"} ${i.expected}`;
  }
  if (i.code === "invalid_value" && i.values !== undefined) {
    const names = i.values.map((v) => typeof v === "string" ? v : JSON.stringify(v));
    return names.length === 1 ? `must be ${names[0]}` : `must be one of ${names.join(", ")}`;
  }
  return i.message.replace(/^Invalid input: /, "");
}

/** The value at `path` inside `input` (undefined where the path leads nowhere). */
export function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = input;
  for (const key of path) {
    v = typeof v === "object" && v !== null ? (v as Record<PropertyKey, unknown>)[key] : undefined;
  }
  return v;
}
