// The kernel against a venue that answers within the call (as the backtest venue does): the order
// is accepted at once from the answer, and exactly once when the venue also reports the acceptance.
import assert from "node:assert/strict";
import { Bus } from "../../../core/bus/bus.ts";
import { SimClock } from "../../../core/clock/sim_clock.ts";
import { MarketEngine } from "../../../core/data/market_engine.ts";
import { InstrumentTable } from "../../../core/domain/instrument.ts";
import { parseCash } from "../../../core/domain/money.ts";
import type { Fill, OrderRequest } from "../../../core/domain/order.ts";
import { SeededRng } from "../../../core/domain/seeded_rng.ts";
import { ClientOrderIds } from "../../../core/execution/client_order_ids.ts";
import { OrderRouter } from "../../../core/execution/order_router.ts";
import { RateLimiter } from "../../../core/execution/rate_limiter.ts";
import {
  localVenueOrder,
  type TradeUpdate,
  type TradingClient,
  type VenueOrder,
} from "../../../core/execution/trading_client.ts";
import { TradingKernel } from "../../../core/kernel/trading_kernel.ts";
import { resolveRiskLimits } from "../../../core/risk/limits.ts";
import { riskConfigSchema } from "../../../schemas/risk.ts";
import { buy, T0 } from "./_signals.ts";

/** A venue answering submits within the call; `reports` also publishes the acceptance first. */
class InProcessVenue implements TradingClient {
  readonly #handlers: Array<(u: TradeUpdate) => void> = [];
  submits = 0;
  constructor(readonly reports: boolean) {}
  submitOrderNow(request: OrderRequest): VenueOrder {
    this.submits++;
    const order = localVenueOrder(request, "new", 0, T0, `V${this.submits}`);
    if (this.reports) { for (const h of this.#handlers) h({ event: "accepted", order }); }
    return order;
  }
  submitOrder(request: OrderRequest): Promise<VenueOrder> {
    return Promise.resolve(this.submitOrderNow(request));
  }
  cancelOrder(): Promise<void> {
    return Promise.resolve();
  }
  replaceOrder(_id: string, next: OrderRequest): Promise<VenueOrder> {
    return this.submitOrder(next);
  }
  getOrderByClientId(): Promise<VenueOrder | undefined> {
    return Promise.resolve(undefined);
  }
  openOrders(): Promise<VenueOrder[]> {
    return Promise.resolve([]);
  }
  positions(): Promise<[]> {
    return Promise.resolve([]);
  }
  account(): Promise<{ cash: bigint; buyingPower: bigint; equity: bigint }> {
    const cash = parseCash("100000");
    return Promise.resolve({ cash, buyingPower: cash, equity: cash });
  }
  fillsSince(): Promise<Fill[]> {
    return Promise.resolve([]);
  }
  onTradeUpdate(handler: (u: TradeUpdate) => void): void {
    this.#handlers.push(handler);
  }
}

function setup(reports: boolean) {
  const instruments = new InstrumentTable(["AAPL"], "SIM");
  const clock = new SimClock(T0);
  const bus = new Bus();
  const market = new MarketEngine(instruments, bus, {
    timeframes: [60e6],
    emptyBars: "flat",
    barHistory: 10,
    maxBookLevels: 10,
    timeScale: 1,
    closeGraceMicros: 0,
  });
  const venue = new InProcessVenue(reports);
  const limiter = new RateLimiter(clock, { perMinute: 200, burst: 10, maxQueue: 100 });
  const kernel = new TradingKernel({
    instruments,
    bus,
    clock,
    market,
    router: new OrderRouter(venue, limiter, { clock, rng: new SeededRng(1) }),
    ids: new ClientOrderIds(clock, "t"),
    limits: resolveRiskLimits(riskConfigSchema.parse({}), instruments.list()),
    execution: { maxSlippageBps: 50, maxSpreadBps: 50 },
    startingCash: parseCash("100000"),
    isMarketOpen: () => true,
    log: () => {},
  });
  kernel.attach((h) => venue.onTradeUpdate(h));
  kernel.ready = true;
  const inst = instruments.get("AAPL")!.index;
  market.onBookLevel(inst, 0, 1_000_000, 500, true, false, T0, T0);
  market.onBookLevel(inst, 1, 1_000_100, 500, false, true, T0, T0);
  const accepted: string[] = [];
  bus.subscribe("order.accepted", (m) => accepted.push(m.clientOrderId));
  return { kernel, venue, accepted };
}

for (const reports of [false, true]) {
  const how = reports ? "also reports the acceptance" : "reports nothing";
  Deno.test(`an in-process venue that answers within the call and ${how}: the order is accepted once, at once`, () => {
    const { kernel, venue, accepted } = setup(reports);
    kernel.onSignal(buy(10));
    assert.equal(venue.submits, 1);
    const [order] = kernel.orders.open();
    assert.ok(order, "the order is open");
    assert.equal(order.status, "new", "accepted within the call, no promise to wait for");
    assert.equal(order.venueOrderId, "V1");
    assert.deepEqual(accepted, [order.request.clientOrderId], "order.accepted published once");
    assert.equal(kernel.badReports, 0);
    assert.ok(kernel.idle);
  });
}
