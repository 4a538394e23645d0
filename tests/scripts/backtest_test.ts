// `deno task backtest` as a user runs it, on the real data shipped in research/data.
import assert from "node:assert/strict";
import { idleHint, parseCommandLine, parseParams } from "../../scripts/backtest.ts";
import { runBacktest } from "../../core/backtest/run_backtest.ts";
import { stableJson } from "../../core/backtest/report.ts";
import { backtestSpecSchema } from "../../schemas/backtest.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["task", "-q", "backtest", ...args],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const d = new TextDecoder();
  return { code: out.code, stdout: d.decode(out.stdout), stderr: d.decode(out.stderr) };
}

Deno.test("deno task backtest prints the metrics table and writes report.html and results.json, byte-identical on a re-run", async () => {
  const dir = await Deno.makeTempDir({ prefix: "deno_rt_bt_" });
  try {
    const args = [
      "--strategy",
      "ma_crossover",
      "--params",
      "fast=10,slow=30,qty=5",
      "--data",
      "research/data/SPX.csv",
      "--from",
      "2008-01-01",
      "--to",
      "2012-12-31",
      "--cash",
      "100000",
      "--slippage",
      "fixed_bps",
      "--slippage-bps",
      "2",
      "--fee-per-share",
      "0.005",
      "--fee-min",
      "1",
    ];
    const a = await cli([...args, "--out", `${dir}/a`]);
    assert.equal(a.code, 0, a.stderr);
    assert.match(a.stdout, /Sharpe\s+-?\d+\.\d\d\s+-?\d+\.\d\d/);
    assert.match(a.stdout, /Max drawdown/);
    assert.match(a.stdout, /2008-01-0\d → 2012-12-3\d/);
    // 1,259 events: fewer than one progress step, yet the bar is shown, ending at 100 %.
    assert.match(a.stderr, /^\[#{30}\] 100% 1,259 events {2}2012-12-31$/m, a.stderr);
    const b = await cli([...args, "--out", `${dir}/b`]);
    assert.equal(b.code, 0, b.stderr);
    const ja = await Deno.readFile(`${dir}/a/results.json`);
    const jb = await Deno.readFile(`${dir}/b/results.json`);
    assert.deepEqual(ja, jb, "same inputs and seed: byte-identical results.json");
    const results = JSON.parse(new TextDecoder().decode(ja));
    assert.ok(results.orders.length > 10, `orders: ${results.orders.length}`);
    assert.ok(results.fills.every((f: { fee: string }) => Number(f.fee) >= 1), "the minimum fee");
    assert.equal(results.execution.slippage_bps, 2);
    const html = await Deno.readTextFile(`${dir}/a/report.html`);
    assert.match(html, /^<!DOCTYPE html>/i);
    assert.ok(html.includes("ma_crossover"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("deno task backtest names the bad argument and exits 2", async () => {
  const out = await Deno.makeTempDir({ prefix: "deno_rt_bt_args_" });
  const base = ["--strategy", "ma_crossover", "--data", "research/data/SPX.csv", "--out", out];
  const cases: Array<[string[], RegExp]> = [
    [["--strategy", "ma_crossover"], /--data is required/],
    [
      [...base, "--cash", "lots"],
      /--cash: must be a positive decimal amount such as 100000, got "lots"/,
    ],
    [[...base, "--cash=-5"], /--cash: must be a positive decimal amount such as 100000, got "-5"/],
    [[...base, "--latency-ms=-3"], /--latency-ms: must be >= 0, got -3/],
    [[...base, "--seed", "1.5"], /--seed: must be a whole number, got 1.5/],
    [[...base, "--params", "fast=1.5"], /--params fast: must be a whole number, got 1.5/],
    [[...base, "--params", "fast=abc"], /--params fast: must be a number, got "abc"/],
    [[...base, "--cash", "-5"], /--cash: a value starting with '-' is written --cash=<value>/],
    [[...base, "--bogus"], /Unknown option '--bogus'\. Run with --help/],
    [
      [...base.slice(0, 4), "--out", "/dev/null/x"],
      /--out: cannot write to \/dev\/null\/x: not a folder/,
    ],
    [[...base, "--params", "fast=40,slow=30"], /--params fast: 'fast' must be < 'slow'/],
    [["--strategy", "momentum", "--data", "research/data/SPX.csv"], /--strategy/],
    [[...base, "--slippage-bps", "x"], /--slippage-bps: must be a number, got "x"/],
    [[...base, "--from", "yesterday"], /--from: must be a date/],
    [
      [...base.slice(0, 2), "--data", "research/data/NOPE.csv"],
      /--data: data path research\/data\/NOPE.csv does not exist/,
    ],
    [[...base, "--bogus"], /Unknown option '--bogus'/],
    [[...base, "--cash", "0"], /--cash: must be more than 0/],
    [[...base, "--params", "foo=1"], /--params foo: is not a parameter of this strategy/],
    [[...base, "--params", "timeframe=1m"], /--params timeframe: the data's bars are 1d/],
    [[...base, "--from", "2030-01-01"], /--from: no data between 'from' and 'to'/],
    [
      [...base, "--symbols", "AAPL"],
      /--symbols: no usable rows in the data \(rejected: \d+ unknown_symbol\)/,
    ],
    [
      [...base, "--slippage", "volume", "--slippage-bps", "5"],
      /--slippage-bps applies to --slippage fixed_bps, not volume/,
    ],
    [
      [...base, "--participation-rate", "0.0000001"],
      /--participation-rate: must be at least 0.000001/,
    ],
  ];
  for (const [args, message] of cases) {
    const r = await cli(args);
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, message, args.join(" "));
  }
  await Deno.remove(out, { recursive: true });
});

Deno.test("deno task backtest refused for its data leaves no empty --out folder behind", async () => {
  const dir = await Deno.makeTempDir({ prefix: "deno_rt_bt_out_" });
  try {
    const out = `${dir}/new`;
    const r = await cli([
      "--strategy",
      "ma_crossover",
      "--data",
      "research/data/NOPE.csv",
      "--out",
      out,
    ]);
    assert.equal(r.code, 2);
    assert.equal(await Deno.stat(out).then(() => true, () => false), false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("runBacktest takes the symbols of a recording from its rows and builds the strategy's bars", async () => {
  const dir = await Deno.makeTempDir({ prefix: "deno_rt_rec_bt_" });
  try {
    const rows: string[] = [];
    const t0 = Date.UTC(2024, 0, 2, 14, 30);
    for (let i = 0; i < 600; i++) {
      const px = (100 + Math.sin(i / 20)).toFixed(2);
      const time = new Date(t0 + i * 1000).toISOString();
      rows.push(
        JSON.stringify({
          type: "trade",
          symbol: i % 2 ? "AAPL" : "MSFT",
          timestamp: time,
          price: px,
          size: "10",
        }),
      );
    }
    await Deno.writeTextFile(`${dir}/feed.jsonl`, rows.join("\n") + "\n");
    const { results, rejected } = await runBacktest(backtestSpecSchema.parse({
      strategy: "ma_crossover",
      params: { timeframe: "10s", fast: 2, slow: 3 },
      data: [`${dir}/feed.jsonl`],
    }));
    assert.deepEqual(results.symbols, ["MSFT", "AAPL"]);
    assert.equal(results.events, 600);
    assert.equal(rejected.size, 0);
    assert.ok(
      results.orders.length > 0,
      "10 s bars were built for the strategy beside the default 1m",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("parseParams() types values as the strategy's schema wants them", () => {
  assert.deepEqual(
    parseParams("ma_crossover", "fast=10, slow=30,kind=ema,qty=5,allow_short=true"),
    {
      fast: 10,
      slow: 30,
      kind: "ema",
      qty: "5",
      allow_short: true,
    },
  );
  assert.throws(() => parseParams("ma_crossover", "fast"), /'fast' is not KEY=VALUE/);
  const cmd = parseCommandLine([
    "--strategy",
    "ma_crossover",
    "--data",
    "x.csv",
    "--fill-on-touch",
  ]);
  assert.equal(cmd.help, false);
  if (!cmd.help) assert.equal(cmd.spec.fill_on_touch, true);
});

Deno.test("runBacktest merges several real files in time order and trades each symbol", async () => {
  const spec = backtestSpecSchema.parse({
    strategy: "ma_crossover",
    params: { fast: 5, slow: 20, qty: "5" },
    data: ["research/data"],
    from: "2000-09-27",
    to: "2001-09-27",
  });
  const { results } = await runBacktest(spec);
  assert.deepEqual(results.symbols, ["MSFT", "SPX"]);
  const traded = new Set(results.fills.map((f) => f.symbol));
  assert.deepEqual([...traded].sort(), ["MSFT", "SPX"]);
  const times = results.fills.map((f) => f.time);
  assert.deepEqual(times, [...times].sort(), "fills in time order across files");
  assert.equal(results.equity[0]!.date, "2000-09-27");
  const again = await runBacktest(spec);
  assert.equal(stableJson(again.results), stableJson(results), "deterministic");
});

Deno.test("runBacktest results do not depend on how many finished orders the engine holds: every order and fill reaches results.json", async () => {
  // Three symbols on the same real series signal on the same days, so several fills share an
  // execution time: the kernel's trim must never count one of them as a repeat.
  const dir = await Deno.makeTempDir({ prefix: "deno_rt_keep_" });
  try {
    for (const s of ["AAA", "BBB", "CCC"]) {
      await Deno.copyFile(`${ROOT}research/data/SPX.csv`, `${dir}/${s}.csv`);
    }
    await Deno.copyFile(`${ROOT}research/data/MSFT.csv`, `${dir}/MSFT.csv`);
    const spec = backtestSpecSchema.parse({
      strategy: "ma_crossover",
      params: { fast: 2, slow: 3, qty: "50" },
      data: [dir],
      cash: "1000000",
      from: "2000-06-01",
      to: "2002-12-31",
      fee_per_share: "0.005",
      fee_min: "1",
      participation_rate: 0.000001, // MSFT's thinner days (under 50 M shares) fill 50 in part
      risk: { defaults: { max_order_value: "100000" }, max_drawdown: "1000000" },
    });
    const held = await runBacktest(spec, { keepFinished: 1_000_000 });
    const trimmed = await runBacktest(spec, { keepFinished: 1 });
    assert.ok(held.results.fills.length > 300, `fills: ${held.results.fills.length}`);
    assert.ok(held.results.fills.some((f) => f.qty !== "50"), "partial fills, at the volume cap");
    const times = held.results.fills.map((f) => f.time);
    assert.ok(new Set(times).size < times.length - 100, "many fills share an execution time");
    assert.equal(stableJson(trimmed.results), stableJson(held.results));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a backtest that never signals says why: too few bars for its warm-up, or conditions never met", async () => {
  const onSpx = (strategy: string, params: Record<string, number>) =>
    runBacktest(backtestSpecSchema.parse({ strategy, params, data: ["research/data/SPX.csv"] }));
  const short = await onSpx("ma_crossover", { fast: 10, slow: 9000 });
  assert.equal(short.results.orders.length, 0);
  assert.equal(
    idleHint(short.results, short.bars),
    "no orders: the strategy needs 9,000 closed 1d bars before it can act, and the data had 5,105",
  );
  // RSI below 1 never happens: enough bars, nothing to act on.
  const calm = await onSpx("rsi_bollinger", { oversold: 0.5, overbought: 99.5 });
  assert.equal(calm.results.orders.length, 0);
  assert.equal(
    idleHint(calm.results, calm.bars),
    "no orders: the strategy had 5,105 closed 1d bars (it can act after 20) and its entry " +
      "conditions were never met",
  );
  const traded = await onSpx("ma_crossover", { fast: 10, slow: 30 });
  assert.equal(idleHint(traded.results, traded.bars), undefined);
});
