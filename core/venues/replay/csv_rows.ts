/**
 * CSV files of bars, trades or quotes: the header row names the columns (any order, extra columns
 * ignored) and decides the kind; each later line is one row. See README.md for the exact format.
 */
import type { InstrumentTable } from "../../domain/instrument.ts";
import type { ReplayEvent } from "./replay_event.ts";
import { type BarTexts, fillBar, fillQuote, fillTrade, type RowResult } from "./row_values.ts";

/** What the rows of a file are. */
export type RowKind = "bar" | "trade" | "quote";

const REQUIRED: Record<RowKind, readonly string[]> = {
  bar: ["timestamp", "open", "high", "low", "close", "volume"],
  quote: ["timestamp", "bid_price", "bid_size", "ask_price", "ask_size"],
  trade: ["timestamp", "price", "size"],
};
const OPTIONAL: Record<RowKind, readonly string[]> = {
  bar: ["symbol", "vwap", "trade_count"],
  quote: ["symbol"],
  trade: ["symbol"],
};

/** Column positions of a CSV file; -1 for a column the file does not have. */
export interface CsvLayout {
  readonly kind: RowKind;
  /** Number of columns every row must have. */
  readonly width: number;
  readonly columns: Readonly<Record<string, number>>;
}

/**
 * Reads a header row; throws naming the header when it is not a bar, quote or trade header.
 * Names are matched case-insensitively; bar wins over quote over trade when several fit.
 */
export function csvLayout(header: string): CsvLayout {
  const names: string[] = [];
  const width = splitCsv(header, names);
  const index = new Map<string, number>();
  for (let i = 0; i < width; i++) {
    const name = names[i]!.toLowerCase();
    if (!index.has(name)) index.set(name, i);
  }
  for (const kind of ["bar", "quote", "trade"] as const) {
    if (!REQUIRED[kind].every((c) => index.has(c))) continue;
    const columns: Record<string, number> = {};
    for (const c of [...REQUIRED[kind], ...OPTIONAL[kind]]) columns[c] = index.get(c) ?? -1;
    return { kind, width, columns };
  }
  throw new RangeError(
    `CSV header ${JSON.stringify(header)} is not a bar (timestamp,open,high,low,close,volume), ` +
      `quote (timestamp,bid_price,bid_size,ask_price,ask_size) or trade (timestamp,price,size) header`,
  );
}

/**
 * Splits one CSV line into `out` (reused between calls), trimming fields; double-quoted fields may
 * hold commas and `""` escapes. Returns the number of fields, or -1 for an unterminated quote.
 */
export function splitCsv(line: string, out: string[]): number {
  let n = 0;
  if (!line.includes('"')) {
    // Fast path: recorded market data almost never quotes.
    let from = 0;
    for (;;) {
      const comma = line.indexOf(",", from);
      out[n++] = (comma < 0 ? line.slice(from) : line.slice(from, comma)).trim();
      if (comma < 0) return n;
      from = comma + 1;
    }
  }
  let i = 0;
  for (;;) {
    while (line.charCodeAt(i) === 32) i++;
    let field = "";
    if (line.charCodeAt(i) === 34) {
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) return -1;
        field += line.slice(i, q);
        i = q + 1;
        if (line.charCodeAt(i) !== 34) break;
        field += '"';
        i++;
      }
      const comma = line.indexOf(",", i);
      const tail = (comma < 0 ? line.slice(i) : line.slice(i, comma)).trim();
      if (tail !== "") return -1; // text after a closing quote
      i = comma < 0 ? line.length + 1 : comma + 1;
    } else {
      const comma = line.indexOf(",", i);
      field = (comma < 0 ? line.slice(i) : line.slice(i, comma)).trim();
      i = comma < 0 ? line.length + 1 : comma + 1;
    }
    out[n++] = field;
    if (i > line.length) return n;
  }
}

/** Parses the data rows of one CSV file into event slots. */
export class CsvRows {
  readonly #fields: string[] = [];
  readonly #bar: BarTexts = {
    timestamp: undefined,
    open: undefined,
    high: undefined,
    low: undefined,
    close: undefined,
    volume: undefined,
    vwap: undefined,
    trade_count: undefined,
  };
  readonly #col: Readonly<Record<string, number>>;
  /** The current row's text of column `name`, undefined when the file has no such column. */
  readonly #get = (name: string): string | undefined => {
    const i = this.#col[name]!;
    return i < 0 ? undefined : this.#fields[i];
  };

  /**
   * @param fileSymbol symbol of rows when the file has no `symbol` column
   * @param barTfMicros bar interval in µs, 0 while the caller still has to infer it
   */
  constructor(
    readonly layout: CsvLayout,
    readonly instruments: InstrumentTable,
    readonly fileSymbol: string,
    public barTfMicros: number,
  ) {
    this.#col = layout.columns;
  }

  /** Parses one data line into `ev`; returns why it was rejected, if it was. */
  parse(line: string, ev: ReplayEvent): RowResult {
    const f = this.#fields;
    if (splitCsv(line, f) !== this.layout.width) return "bad_shape";
    const symCol = this.#col.symbol!;
    // An empty symbol field is absent, like any empty optional field: the file's symbol applies.
    const rowSymbol = symCol >= 0 ? f[symCol]! : "";
    const inst = this.instruments.get(rowSymbol !== "" ? rowSymbol : this.fileSymbol);
    if (inst === undefined) return "unknown_symbol";
    const get = this.#get;
    switch (this.layout.kind) {
      case "trade":
        return fillTrade(ev, inst, get("timestamp"), get("price"), get("size"));
      case "quote":
        return fillQuote(
          ev,
          inst,
          get("timestamp"),
          get("bid_price"),
          get("bid_size"),
          get("ask_price"),
          get("ask_size"),
        );
      case "bar": {
        const b = this.#bar;
        b.timestamp = get("timestamp");
        b.open = get("open");
        b.high = get("high");
        b.low = get("low");
        b.close = get("close");
        b.volume = get("volume");
        b.vwap = get("vwap");
        b.trade_count = get("trade_count");
        return fillBar(ev, inst, b, this.barTfMicros);
      }
    }
  }
}
