// An AlpacaTrading client connected over loopback to a sim-server trading API with a hand-set AAPL
// book (bid 100.00 x 100, ask 100.01 x 50), no market generator and no venue latency.
import { WallClock } from "../../../core/clock/wall_clock.ts";
import { InstrumentTable } from "../../../core/domain/instrument.ts";
import type { OrderRequest } from "../../../core/domain/order.ts";
import type { TradeUpdate } from "../../../core/execution/trading_client.ts";
import { AlpacaTrading } from "../../../core/venues/alpaca/trading.ts";
import { createRouter } from "../../../scripts/sim_server/router.ts";
import { DEFAULT_SYMBOLS } from "../../../scripts/sim_server/sim_broker.ts";
import { createTradingRest, type TradingRest } from "../../../scripts/sim_server/trading_rest.ts";

/** What a test gets. */
export interface AlpacaCtx {
  readonly server: TradingRest;
  readonly client: AlpacaTrading;
  readonly clock: WallClock;
  readonly baseUrl: string;
  /** Resolves with the first update (seen or coming) that `pred` accepts. */
  updateWhere(pred: (u: TradeUpdate) => boolean): Promise<TradeUpdate>;
  /** Resolves with the first update (seen or coming) of `event` for `clientOrderId`. */
  update(event: TradeUpdate["event"], clientOrderId: string): Promise<TradeUpdate>;
}

/** Runs `fn` with a connected client; closes client, server and socket after. */
export async function withAlpacaTrading(
  fn: (ctx: AlpacaCtx) => Promise<void>,
  options: { readonly secret?: string; readonly timeoutMs?: number } = {},
): Promise<void> {
  const server = createTradingRest({ market: false, sim: { latency_ms: 0 } });
  const http = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    createRouter(server.routes),
  );
  await server.broker.venue();
  server.broker.books.setBook("AAPL", [[1_000_000, 100]], [[1_000_100, 50]]);
  const clock = new WallClock();
  const baseUrl = `http://127.0.0.1:${http.addr.port}`;
  const client = new AlpacaTrading(
    { clock, instruments: new InstrumentTable(DEFAULT_SYMBOLS, "ALPACA") },
    {
      baseUrl,
      key: "key-id",
      secret: options.secret ?? "secret",
      timeoutMs: options.timeoutMs ?? 2000,
      reconnect: { baseMs: 20, maxMs: 100 },
    },
  );
  const seen: TradeUpdate[] = [];
  const waiters: Array<() => void> = [];
  client.onTradeUpdate((u) => {
    seen.push(u);
    for (const w of waiters.splice(0)) w();
  });
  const updateWhere = async (pred: (u: TradeUpdate) => boolean) => {
    for (;;) {
      const u = seen.find(pred);
      if (u !== undefined) return u;
      await new Promise<void>((r) => waiters.push(r));
    }
  };
  try {
    await client.connect();
    await fn({
      server,
      client,
      clock,
      baseUrl,
      updateWhere,
      update: (event, cid) =>
        updateWhere((u) => u.event === event && u.order.clientOrderId === cid),
    });
  } finally {
    await client.close();
    await server.close();
    await http.shutdown();
  }
}

/** An AAPL day market buy of 10 unless overridden. */
export const order = (cid: string, extra: Partial<OrderRequest> = {}): OrderRequest => ({
  clientOrderId: cid,
  symbol: "AAPL",
  side: "buy",
  type: "market",
  tif: "day",
  qty: 10,
  limitPrice: 0,
  stopPrice: 0,
  source: "test",
  createdAt: 0,
  ...extra,
});
