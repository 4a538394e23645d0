/** The built-in strategies by kind: parameter schemas and factories, so config can name them. */
import type { z } from "zod";
import { describeIssue, valueAt } from "../../schemas/issue_text.ts";
import type { Strategy } from "../strategy/strategy.ts";
import { maCrossoverConfigSchema } from "./ma_crossover/config.ts";
import { MaCrossoverStrategy } from "./ma_crossover/strategy.ts";
import { rsiBollingerConfigSchema } from "./rsi_bollinger/config.ts";
import { RsiBollingerStrategy } from "./rsi_bollinger/strategy.ts";

/** Strategy kinds deno_rt ships. */
export type StrategyKind = "ma_crossover" | "rsi_bollinger";

const KINDS: Record<
  StrategyKind,
  { schema: z.ZodType; make: (id: string, symbols: readonly string[], params: never) => Strategy }
> = {
  ma_crossover: {
    schema: maCrossoverConfigSchema,
    make: (id, symbols, p) => new MaCrossoverStrategy(id, symbols, p),
  },
  rsi_bollinger: {
    schema: rsiBollingerConfigSchema,
    make: (id, symbols, p) => new RsiBollingerStrategy(id, symbols, p),
  },
};

/** Validates `params` for `kind`; returns the first problem as a dotted field and message, or undefined. */
export function strategyParamsProblem(
  kind: StrategyKind,
  params: unknown,
  describe: (issue: { code: string; message: string }) => string = (i) =>
    describeWithValue(i, params),
): { field: string; message: string } | undefined {
  const r = KINDS[kind].schema.safeParse(params);
  if (r.success) return undefined;
  const issue = r.error.issues[0]!;
  const field = issue.code === "unrecognized_keys"
    ? String((issue as { keys: string[] }).keys[0])
    : issue.path.map(String).join(".");
  return {
    field,
    message: issue.code === "unrecognized_keys"
      ? "is not a parameter of this strategy"
      : describe(issue),
  };
}

// A wrong type reads better with the value given.
function describeWithValue(
  issue: { code: string; message: string; path?: readonly PropertyKey[] },
  params: unknown,
): string {
  const text = describeIssue(issue);
  if (issue.code !== "invalid_type") return text;
  const value = valueAt(params, issue.path ?? []);
  return `${text}, got ${JSON.stringify(value) ?? String(value)}`;
}

/** Builds a strategy from validated config; without `params`, every parameter takes its default. */
export function createStrategy(
  config: { id: string; kind: StrategyKind; symbols: readonly string[]; params?: unknown },
): Strategy {
  const k = KINDS[config.kind];
  return k.make(config.id, config.symbols, k.schema.parse(config.params ?? {}) as never);
}
