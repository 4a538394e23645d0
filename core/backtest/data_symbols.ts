/**
 * Which instruments a data file holds: the symbols its rows name (a CSV `symbol` column, a
 * JSON-lines `symbol` key, e.g. a `deno task live --record` file), else the one its file name
 * implies (`SPX.csv` → SPX). Rows naming symbols are read once, streamed, before the backtest.
 */
import { symbolFromPath } from "../venues/replay/file_symbol.ts";

const SYMBOL_KEY = /"symbol"\s*:\s*"([^"]+)"/;

/** Symbols of the rows of `path` in order of first appearance, or the file name's symbol. */
export async function symbolsOf(path: string): Promise<string[]> {
  const found = new Set<string>();
  let column = -2; // -2: format not known yet; -1: JSON lines; n: CSV column of `symbol`
  let carry = "";
  const take = (line: string): boolean => {
    const l = line.trim();
    if (l === "" || l.startsWith("#")) return true;
    if (column === -2) {
      if (l.startsWith("{")) column = -1;
      else {
        column = l.split(",").map((c) => c.trim()).indexOf("symbol");
        return column >= 0; // a CSV header without `symbol`: one symbol, from the name
      }
    }
    const s = column === -1 ? SYMBOL_KEY.exec(l)?.[1] : l.split(",")[column]?.trim();
    if (s === undefined || s === "") return column === -1 && found.size > 0;
    found.add(s);
    return true;
  };
  // Reading `readable` to its end, or leaving the loop early, closes the file.
  const file = await Deno.open(path);
  const decoder = new TextDecoder();
  for await (const chunk of file.readable) {
    const lines = (carry + decoder.decode(chunk, { stream: true })).split("\n");
    carry = lines.pop()!;
    for (const line of lines) {
      if (!take(line)) return found.size > 0 ? [...found] : [symbolFromPath(path)];
    }
  }
  take(carry);
  return found.size > 0 ? [...found] : [symbolFromPath(path)];
}
