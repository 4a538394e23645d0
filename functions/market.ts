/** Market data over HTTP: instruments, books and bars. Symbols with a slash are URL-encoded (BTC%2FUSD). */
import { Hono } from "hono";
import { barsQuerySchema, bookQuerySchema } from "../schemas/http.ts";
import type { CoreView } from "./core_view.ts";
import { HttpError, parseQuery } from "./http_error.ts";

/** The market-data sub-app under /api. */
export function marketApp(view: CoreView): Hono {
  return new Hono()
    .get("/instruments", (c) => c.json({ instruments: view.instruments() }))
    .get("/books/:symbol", (c) => {
      const symbol = c.req.param("symbol");
      const { depth } = parseQuery(c, bookQuerySchema);
      const book = view.book(symbol, depth);
      if (book === undefined) throw unknownSymbol(symbol);
      return c.json(book);
    })
    .get("/bars/:symbol", (c) => {
      const symbol = c.req.param("symbol");
      const q = parseQuery(c, barsQuerySchema);
      const result = view.bars(symbol, q.timeframe, q.limit, q.partial === "true");
      if (result.kind === "unknown_symbol") throw unknownSymbol(symbol);
      if (result.kind === "unknown_timeframe") {
        throw new HttpError(
          400,
          "invalid_query",
          `query parameter 'timeframe' must be one of ${
            result.timeframes.join(", ")
          }, got '${q.timeframe}'`,
          "timeframe",
        );
      }
      return c.json({ symbol, timeframe: q.timeframe, bars: result.bars });
    });
}

function unknownSymbol(symbol: string): HttpError {
  return new HttpError(
    404,
    "unknown_symbol",
    `unknown symbol '${symbol}' (slashes must be URL-encoded: BTC%2FUSD)`,
    "symbol",
  );
}
