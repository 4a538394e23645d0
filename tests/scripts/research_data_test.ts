/**
 * scripts/research_data.ts: conversion of packaged daily data into replay CSV files. The rows
 * below are made-up test input in the sources' formats, not market data.
 */
import { deepStrictEqual, match, strictEqual, throws } from "node:assert/strict";
import { join } from "node:path";
import {
  checkRows,
  convertMsft,
  convertSp500,
  type DailyRow,
  HEADER,
  main,
  newYorkMidnight,
  readFromTarGz,
  SourceError,
  toReplayCsv,
} from "../../scripts/research_data.ts";

const row = (date: string, o = "10", h = "12", l = "9", c = "11", v = "100"): DailyRow => ({
  date,
  open: o,
  high: h,
  low: l,
  close: c,
  volume: v,
});

function capture() {
  const out: string[] = [], err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

Deno.test("newYorkMidnight() stamps a trading date at 00:00 New York with that day's UTC offset, under both US DST rules", () => {
  // 1987–2006: daylight time from the first Sunday of April (2000-04-02) to the last of October.
  strictEqual(newYorkMidnight("2000-03-31"), "2000-03-31T00:00:00-05:00");
  strictEqual(newYorkMidnight("2000-04-03"), "2000-04-03T00:00:00-04:00");
  strictEqual(newYorkMidnight("2000-10-27"), "2000-10-27T00:00:00-04:00");
  strictEqual(newYorkMidnight("2000-10-30"), "2000-10-30T00:00:00-05:00");
  // From 2007: second Sunday of March (2007-03-11) to the first Sunday of November.
  strictEqual(newYorkMidnight("2007-03-09"), "2007-03-09T00:00:00-05:00");
  strictEqual(newYorkMidnight("2007-03-12"), "2007-03-12T00:00:00-04:00");
});

Deno.test("convertSp500() keeps the source's numbers as written, drops adjclose and writes replay rows", () => {
  const text = "date,open,high,low,close,adjclose,volume\n" +
    "2000-01-03,1.500000,2.000000,1.000000,1.750000,1.750000,300\n" +
    "2000-01-04,1.750000,1.800000,1.700000,1.710000,1.710000,200";
  const { rows, notes } = convertSp500(text);
  deepStrictEqual(notes, []);
  strictEqual(
    toReplayCsv(rows),
    `${HEADER}\n` +
      "2000-01-03T00:00:00-05:00,1.500000,2.000000,1.000000,1.750000,300\n" +
      "2000-01-04T00:00:00-05:00,1.750000,1.800000,1.700000,1.710000,200\n",
  );
});

Deno.test("convertSp500() refuses a row whose adjclose differs from close rather than dropping it", () => {
  const text = "date,open,high,low,close,adjclose,volume\n2000-01-03,1,2,1,1.5,1.4,300\n";
  throws(() => convertSp500(text), /line 2 \(2000-01-03\): adjclose 1.4 differs from close/);
});

Deno.test("convertMsft() reads the semicolon-separated timeSeries format", () => {
  const text =
    `"%Y-%m-%d";Open;High;Low;Close;Volume\n2000-09-27;63.4375;63.5625;59.8125;60.625;5\n`;
  deepStrictEqual(convertMsft(text).rows, [
    row("2000-09-27", "63.4375", "63.5625", "59.8125", "60.625", "5"),
  ]);
  throws(() => convertMsft("date;Open;High;Low;Close;Volume\n"), SourceError);
});

Deno.test("checkRows() stops on rows the replay reader would reject, naming the line", () => {
  throws(() => checkRows([row("2000-01-03", "10", "9", "12")]), /line 2 .*high 9 < low 12/);
  throws(() => checkRows([row("2000-01-01")]), /line 2 .*weekend/);
  throws(() => checkRows([row("2000-01-04"), row("2000-01-04")]), /line 3 .*not after/);
  throws(() => checkRows([row("2000-01-04"), row("2000-01-03")]), /line 3 .*not after/);
  throws(() => checkRows([row("2000-02-30")]), /not YYYY-MM-DD/);
  throws(() => checkRows([row("2000-01-03", "0")]), /open "0" is not a price > 0/);
  throws(() => checkRows([row("2000-01-03", "10", "12", "9", "11", "1.5")]), /whole number/);
});

Deno.test("checkRows() reports zero volume, open or close outside the range and long closures without changing rows", () => {
  const notes = checkRows([
    row("2001-09-10", "10", "12", "9", "11", "0"),
    row("2001-09-17", "13", "12", "9", "8"),
  ]);
  deepStrictEqual(notes, [
    "2001-09-10: volume 0",
    "2001-09-17: open 13 outside [9, 12]",
    "2001-09-17: close 8 outside [9, 12]",
    "2001-09-17: 7 calendar days after 2001-09-10",
  ]);
});

Deno.test("readFromTarGz() finds a file in an npm-style gzipped tarball", async () => {
  const header = new Uint8Array(512);
  const body = new TextEncoder().encode("hello\n");
  header.set(new TextEncoder().encode("package/data/x.csv"), 0);
  header.set(new TextEncoder().encode(body.length.toString(8).padStart(11, "0")), 124);
  header.set(new TextEncoder().encode("0"), 156);
  const tar = new Uint8Array(512 * 4);
  tar.set(header, 0);
  tar.set(body, 512);
  const gz = new Uint8Array(
    await new Response(new Blob([tar]).stream().pipeThrough(new CompressionStream("gzip")))
      .arrayBuffer(),
  );
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "p.tgz");
    await Deno.writeFile(path, gz);
    deepStrictEqual(await readFromTarGz(path, "package/data/x.csv"), body);
    strictEqual(await readFromTarGz(path, "package/data/y.csv"), undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("research_data CLI: --help exits 0, a missing source flag exits 2, a source that is not the pinned file exits 1", async () => {
  const help = capture();
  strictEqual(await main(["--help"], help.io), 0);
  match(help.out.join("\n"), /--vega-datasets PATH/);

  const none = capture();
  strictEqual(await main([], none.io), 2);
  match(none.err.join("\n"), /give --vega-datasets, --timeseries or both/);
  strictEqual(await main(["--bogus"], capture().io), 2);

  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(join(dir, "pkg", "data"), { recursive: true });
    await Deno.writeTextFile(
      join(dir, "pkg", "data", "sp500-2000.csv"),
      "date,open,high,low,close,adjclose,volume\n",
    );
    const other = capture();
    strictEqual(
      await main(["--vega-datasets", join(dir, "pkg"), "--out", join(dir, "out")], other.io),
      1,
    );
    match(other.err.join("\n"), /SHA-256 [0-9a-f]{64}, expected 9409e934/);
    const missing = capture();
    strictEqual(
      await main(["--timeseries", join(dir, "nope"), "--out", join(dir, "out")], missing.io),
      1,
    );
    match(missing.err.join("\n"), /does not exist/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
