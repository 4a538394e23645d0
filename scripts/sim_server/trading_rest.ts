/**
 * Alpaca's Trading REST API in front of the simulated broker: orders, account, positions, clock
 * and assets under /v2, keys in the APCA-API-KEY-ID / APCA-API-SECRET-KEY headers, Alpaca's paths,
 * status codes and `{"code","message"}` error bodies. With it come the trade_updates stream at
 * /stream and the fault switches at /admin/faults; `routes` holds all three for the router.
 */
import type { Instrument } from "../../core/domain/instrument.ts";
import { notional } from "../../core/domain/money.ts";
import { decimalToUnits } from "../../core/domain/decimal_units.ts";
import type { OrderRequest } from "../../core/domain/order.ts";
import { VenueError } from "../../core/execution/venue_error.ts";
import {
  accountJson,
  assetJson,
  assetsJson,
  clockJson,
  ERRORS,
  orderJson,
  positionJson,
} from "./alpaca_json.ts";
import { FaultSwitches } from "./fault_switches.ts";
import { FillActivities } from "./fill_activities.ts";
import { type OrderInput, parseNewOrder, parseReplace } from "./order_input.ts";
import type { OrderRecord } from "./order_ledger.ts";
import type { Route } from "./router.ts";
import { SimBroker, type SimBrokerOptions } from "./sim_broker.ts";
import { createTradeUpdatesStream, type TradeUpdatesStream } from "./trade_updates_stream.ts";

/** Trading API options. */
export interface TradingRestOptions extends SimBrokerOptions {
  /** Only this pair authenticates; without it any non-empty key and secret do. */
  readonly credentials?: { readonly key: string; readonly secret: string };
  /** Switches shared with the server's other parts; default: its own. */
  readonly faults?: FaultSwitches;
}

/** The running trading API. */
export interface TradingRest {
  /** REST, /stream and /admin/faults routes, for the router. */
  readonly routes: readonly Route[];
  readonly broker: SimBroker;
  readonly stream: TradeUpdatesStream;
  readonly faults: FaultSwitches;
  /** Stops the market, releases held requests and closes every stream socket. */
  close(): Promise<void>;
}

const OPEN = new Set(["new", "partially_filled", "pending_new"]);
type Body = Record<string, unknown>;

/** Creates the trading API over a new simulated broker. */
export function createTradingRest(options: TradingRestOptions = {}): TradingRest {
  const broker = new SimBroker(options);
  const faults = options.faults ?? new FaultSwitches();
  const stream = createTradeUpdatesStream({
    credentials: options.credentials,
    failAuth: () => faults.current.fail_auth,
  });
  faults.onChange((f) => stream.setDropping(f.drop_streams));
  const activities = new FillActivities();
  broker.onTradeUpdate((data) => {
    activities.record(data);
    stream.publish(data);
  });
  const { ledger, instruments, clock } = broker;
  const newId = () => crypto.randomUUID();

  const authorized = (req: Request) => {
    const key = req.headers.get("apca-api-key-id") ?? "";
    const secret = req.headers.get("apca-api-secret-key") ?? "";
    const want = options.credentials;
    return key !== "" && secret !== "" &&
      (want === undefined || (key === want.key && secret === want.secret));
  };
  const json = (rec: OrderRecord) =>
    orderJson(instruments.get(rec.order.request.symbol)!, rec, ledger);
  /** Symbol from a path segment: `AAPL`, `BTC%2FUSD`, `BTCUSD` or an asset id. */
  const instrumentOf = (segment: string): Instrument | undefined => {
    const s = decodeURIComponent(segment).toUpperCase();
    return instruments.get(s) ??
      instruments.list().find((i) =>
        i.symbol.replace("/", "") === s || assetJson(i).id === s.toLowerCase()
      );
  };

  /** Sends `req` to the venue after the Alpaca-side checks; answers with the new order. */
  const submit = async (input: OrderInput, replacing?: OrderRecord): Promise<Response> => {
    if (!input.ok) return ERRORS.invalid(input.message);
    const q = input.request;
    if (ledger.knows(q.clientOrderId)) return ERRORS.invalid("client_order_id must be unique");
    if (replacing === undefined && !affordable(q)) return ERRORS.buyingPower();
    ledger.expect(q.clientOrderId, {
      extendedHours: input.extendedHours,
      notional: input.notional,
      replaces: replacing?.order.clientOrderId,
    });
    try {
      if (replacing === undefined) await broker.submitOrder(q);
      else await (await broker.venue()).replaceOrder(replacing.order.clientOrderId, q);
    } catch (e) {
      if (!(e instanceof VenueError)) throw e;
      return ERRORS.invalid(e.message);
    }
    return Response.json(json(ledger.byClientId(q.clientOrderId)!));
  };

  /** Cash account: a buy must fit in cash not already held for open buys. */
  const affordable = (q: OrderRequest): boolean => {
    if (q.side === "sell") return true;
    const inst = instruments.get(q.symbol)!;
    const price = q.limitPrice || q.stopPrice || broker.books.book(q.symbol).bestAsk();
    const free = ledger.portfolio.cash - ledger.heldForBuys();
    return notional(inst, price, q.qty) <= free;
  };

  const cancel = async (rec: OrderRecord): Promise<Response> => {
    if (!OPEN.has(rec.order.status)) return ERRORS.notCancelable(rec.order.status);
    try {
      await broker.cancelOrder(rec.order.clientOrderId);
    } catch (e) {
      if (!(e instanceof VenueError)) throw e;
      return ERRORS.notCancelable(rec.order.status);
    }
    return new Response(null, { status: 204 });
  };

  const listOrders = (url: URL): Response => {
    const status = url.searchParams.get("status") ?? "open";
    if (!["open", "closed", "all"].includes(status)) return ERRORS.invalid("invalid status");
    const limit = Number(url.searchParams.get("limit") ?? "50");
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
      return ERRORS.invalid("limit must be 1..500");
    }
    const symbols = url.searchParams.get("symbols")?.split(",").filter((s) => s !== "");
    let list = ledger.all().filter((r) =>
      (status === "all" || OPEN.has(r.order.status) === (status === "open")) &&
      (symbols === undefined || symbols.includes(r.order.request.symbol))
    );
    if (url.searchParams.get("direction") === "asc") list = list.reverse();
    return Response.json(list.slice(0, limit).map(json));
  };

  const closePosition = async (inst: Instrument, url: URL): Promise<Response> => {
    const held = ledger.portfolio.position(inst.symbol).qty;
    if (held === 0) return ERRORS.positionNotFound();
    // ?qty=N closes N of it, ?percentage=P that share (whole lots, rounded down); else all.
    let qty = Math.abs(held);
    const q = url.searchParams.get("qty"), pct = url.searchParams.get("percentage");
    if (q !== null) {
      const n = decimalToUnits(q, inst.qtyDecimals);
      if (!Number.isSafeInteger(n) || n <= 0 || n > qty) {
        return ERRORS.invalid(`qty must be > 0 and at most the position, got ${q}`);
      }
      qty = n;
    } else if (pct !== null) {
      const p = Number(pct);
      if (!(p > 0 && p <= 100)) return ERRORS.invalid(`percentage must be 0..100, got ${pct}`);
      qty = Math.floor(qty * p / 100);
      if (qty === 0) return ERRORS.invalid("percentage closes less than one lot");
    }
    const input: OrderInput = {
      ok: true,
      extendedHours: false,
      request: {
        clientOrderId: newId(),
        symbol: inst.symbol,
        side: held > 0 ? "sell" : "buy",
        type: "market",
        tif: inst.assetClass === "crypto" ? "gtc" : "day",
        qty,
        limitPrice: 0,
        stopPrice: 0,
        source: "alpaca-api",
        createdAt: clock.nowMicros(),
      },
    };
    return await submit(input);
  };

  /** The /v2 API proper, after auth and faults. */
  const api = async (req: Request, url: URL): Promise<Response | undefined> => {
    const path = url.pathname, method = req.method;
    const body = async (): Promise<Body | undefined> => {
      const b: unknown = await req.json().catch(() => undefined);
      return typeof b === "object" && b !== null && !Array.isArray(b) ? b as Body : undefined;
    };
    if (path === "/v2/orders") {
      if (method === "GET") return listOrders(url);
      if (method === "POST") {
        const b = await body();
        if (b === undefined) return ERRORS.malformed();
        const book = (s: string) => broker.books.book(s);
        return await submit(parseNewOrder(b, instruments, book, clock.nowMicros(), newId));
      }
      if (method === "DELETE") {
        const open = ledger.all().filter((r) => OPEN.has(r.order.status));
        const results = [];
        for (const rec of open) {
          const res = await cancel(rec);
          results.push({
            id: rec.id,
            status: res.status === 204 ? 200 : res.status,
            body: res.status === 204 ? json(rec) : await res.json(),
          });
        }
        return Response.json(results, { status: 207 });
      }
    }
    if (path === "/v2/orders:by_client_order_id" && method === "GET") {
      const rec = ledger.byClientId(url.searchParams.get("client_order_id") ?? "");
      return rec === undefined ? ERRORS.orderNotFound() : Response.json(json(rec));
    }
    const orderId = /^\/v2\/orders\/([^/]+)$/.exec(path)?.[1];
    if (orderId !== undefined) {
      const rec = ledger.byId(decodeURIComponent(orderId));
      if (rec === undefined) return ERRORS.orderNotFound();
      if (method === "GET") return Response.json(json(rec));
      if (method === "DELETE") return await cancel(rec);
      if (method === "PATCH") {
        const b = await body();
        if (b === undefined) return ERRORS.malformed();
        if (!OPEN.has(rec.order.status)) return ERRORS.notCancelable(rec.order.status);
        const inst = instruments.get(rec.order.request.symbol)!;
        const left = rec.order.request.qty - rec.order.filledQty;
        const input = parseReplace(b, inst, rec.order.request, left, clock.nowMicros(), newId);
        return await submit(input, rec);
      }
    }
    if (path.startsWith("/v2/account/activities") && method === "GET") {
      return activities.answer(path, url.searchParams);
    }
    if (path === "/v2/account" && method === "GET") {
      return Response.json(accountJson(ledger, broker.createdAt));
    }
    if (path === "/v2/positions" && method === "GET") {
      return Response.json(
        ledger.portfolio.positions().map((p) => positionJson(instruments.get(p.symbol)!, p)),
      );
    }
    const posSymbol = /^\/v2\/positions\/(.+)$/.exec(path)?.[1];
    if (posSymbol !== undefined) {
      const inst = instrumentOf(posSymbol);
      if (inst === undefined) return ERRORS.positionNotFound();
      if (method === "DELETE") return await closePosition(inst, url);
      const p = ledger.portfolio.position(inst.symbol);
      if (method === "GET") {
        return p.qty === 0 ? ERRORS.positionNotFound() : Response.json(positionJson(inst, p));
      }
    }
    if (path === "/v2/clock" && method === "GET") {
      return Response.json(clockJson(clock.nowMicros()));
    }
    if (path === "/v2/assets" && method === "GET") {
      const cls = url.searchParams.get("asset_class");
      return Response.json(assetsJson(instruments).filter((a) => cls === null || a.class === cls));
    }
    const assetSymbol = /^\/v2\/assets\/(.+)$/.exec(path)?.[1];
    if (assetSymbol !== undefined && method === "GET") {
      const inst = instrumentOf(assetSymbol);
      return inst === undefined
        ? ERRORS.assetNotFound(decodeURIComponent(assetSymbol))
        : Response.json(assetJson(inst));
    }
    return undefined;
  };

  const rest: Route = async (req, url) => {
    if (
      !url.pathname.startsWith("/v2/") || url.pathname === "/v2/iex" ||
      url.pathname === "/v2/sip" || url.pathname === "/v2/test"
    ) return undefined;
    const f = faults.current;
    if (f.delay_ms > 0) await new Promise((r) => setTimeout(r, f.delay_ms));
    if (f.rest_status === 429) return ERRORS.rateLimited();
    if (f.rest_status === 500) return ERRORS.internal();
    if (f.fail_auth || !authorized(req)) return ERRORS.unauthorized();
    const res = await api(req, url);
    // The venue has acted (or refused); the client never hears which.
    if (f.timeout_after_accept && req.method !== "GET" && res !== undefined) {
      return await faults.hang();
    }
    return res;
  };

  return {
    routes: [rest, stream.route, faults.route],
    broker,
    stream,
    faults,
    close: async () => {
      broker.close();
      faults.releaseAll();
      await stream.close();
    },
  };
}
