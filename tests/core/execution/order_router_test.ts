import assert from "node:assert/strict";
import { SimClock } from "../../../core/clock/sim_clock.ts";
import type { Fill, OrderRequest } from "../../../core/domain/order.ts";
import { SeededRng } from "../../../core/domain/seeded_rng.ts";
import { OrderRouter } from "../../../core/execution/order_router.ts";
import { RateLimiter } from "../../../core/execution/rate_limiter.ts";
import type {
  TradeUpdate,
  TradingClient,
  VenueOrder,
} from "../../../core/execution/trading_client.ts";
import { VenueError } from "../../../core/execution/venue_error.ts";

/** A tiny in-memory venue whose next submits can be made to fail in chosen ways. */
class FlakyVenue implements TradingClient {
  orders = new Map<string, VenueOrder>();
  submits = 0;
  lookups = 0;
  /** Per submit call: "ok", "timeout_after_receive", "timeout_before_receive", "503", "422", "duplicate". */
  script: string[] = [];
  submitOrder(request: OrderRequest): Promise<VenueOrder> {
    this.submits++;
    const mode = this.script.shift() ?? "ok";
    if (mode === "timeout_before_receive") {
      return Promise.reject(new VenueError("timeout", "timed out"));
    }
    if (mode === "503") {
      return Promise.reject(new VenueError("server_error", "503", { maybeReceived: false }));
    }
    if (mode === "422") return Promise.reject(new VenueError("invalid_request", "qty must be > 0"));
    if (this.orders.has(request.clientOrderId) || mode === "duplicate") {
      return Promise.reject(
        new VenueError("duplicate_client_order_id", "client_order_id must be unique"),
      );
    }
    const order = this.record(request);
    if (mode === "timeout_after_receive") {
      return Promise.reject(new VenueError("timeout", "timed out after send"));
    }
    return Promise.resolve(order);
  }
  /** Keeps `request` as a new order and returns it. */
  protected record(request: OrderRequest): VenueOrder {
    const order: VenueOrder = {
      clientOrderId: request.clientOrderId,
      venueOrderId: `V${this.orders.size + 1}`,
      request,
      status: "new",
      filledQty: 0,
      updatedAt: 0,
    };
    this.orders.set(request.clientOrderId, order);
    return order;
  }
  getOrderByClientId(id: string) {
    this.lookups++;
    return Promise.resolve(this.orders.get(id));
  }
  cancelOrder() {
    return Promise.resolve();
  }
  replaceOrder(): Promise<VenueOrder> {
    return Promise.reject(new Error("unused"));
  }
  openOrders() {
    return Promise.resolve([...this.orders.values()]);
  }
  positions() {
    return Promise.resolve([]);
  }
  account() {
    return Promise.resolve({ cash: 0n, buyingPower: 0n, equity: 0n });
  }
  fillsSince(): Promise<Fill[]> {
    return Promise.resolve([]);
  }
  onTradeUpdate(_h: (u: TradeUpdate) => void) {}
}

const request: OrderRequest = {
  clientOrderId: "drt-1-1",
  symbol: "AAPL",
  side: "buy",
  type: "market",
  tif: "day",
  qty: 10,
  limitPrice: 0,
  stopPrice: 0,
  source: "test",
  createdAt: 1,
};

async function run<T>(clock: SimClock, p: Promise<T>): Promise<T> {
  let done = false;
  p.finally(() => (done = true)).catch(() => {});
  for (let i = 0; i < 200 && !done; i++) {
    clock.advanceBy(100_000);
    await new Promise((r) => setTimeout(r, 0));
  }
  return await p;
}

function setup() {
  const clock = new SimClock(1_700_000_000_000_000);
  const venue = new FlakyVenue();
  const limiter = new RateLimiter(clock, { perMinute: 200, burst: 10, maxQueue: 100 });
  const router = new OrderRouter(venue, limiter, { clock, rng: new SeededRng(3) });
  return { clock, venue, router };
}

Deno.test("a retry after a timeout that the venue did receive never makes a second order", async () => {
  const { clock, venue, router } = setup();
  venue.script = ["timeout_after_receive"];
  const order = await run(clock, router.submit(request));
  assert.equal(order.clientOrderId, "drt-1-1");
  assert.equal(venue.orders.size, 1);
  assert.equal(venue.submits, 1, "found by lookup, not re-sent");
  assert.equal(router.stats.recoveredByLookup, 1);
});

Deno.test("a timeout before the venue received the order is re-sent with the same client order id", async () => {
  const { clock, venue, router } = setup();
  venue.script = ["timeout_before_receive", "timeout_before_receive"];
  const order = await run(clock, router.submit(request));
  assert.equal(order.venueOrderId, "V1");
  assert.equal(venue.submits, 3);
  assert.equal(venue.lookups, 2, "looked up before each re-send");
  assert.equal(venue.orders.size, 1);
});

Deno.test("a duplicate client order id answer resolves to the existing order", async () => {
  const { clock, venue, router } = setup();
  await run(clock, router.submit(request));
  const again = await run(clock, router.submit(request));
  assert.equal(again.venueOrderId, "V1");
  assert.equal(venue.orders.size, 1);
});

Deno.test("a final error is not retried, and retries stop after three", async () => {
  const { clock, venue, router } = setup();
  venue.script = ["422"];
  await assert.rejects(run(clock, router.submit(request)), /qty must be > 0/);
  assert.equal(venue.submits, 1);
  const s2 = setup();
  s2.venue.script = ["503", "503", "503", "503", "503"];
  await assert.rejects(run(s2.clock, s2.router.submit(request)), /503/);
  assert.equal(s2.venue.submits, 4);
  assert.equal(s2.router.stats.failed, 1);
});

/** FlakyVenue answering within the call, as the backtest venue does. */
class ImmediateVenue extends FlakyVenue {
  submitOrderNow(request: OrderRequest): VenueOrder {
    const mode = this.script[0] ?? "ok";
    if (mode === "503") {
      this.script.shift();
      this.submits++;
      throw new VenueError("server_error", "503", { maybeReceived: false });
    }
    if (mode === "422") {
      this.script.shift();
      this.submits++;
      throw new VenueError("invalid_request", "qty must be > 0");
    }
    this.submits++;
    this.script.shift();
    return this.record(request);
  }
}

function immediateSetup(burst = 10) {
  const clock = new SimClock(1_700_000_000_000_000);
  const venue = new ImmediateVenue();
  const limiter = new RateLimiter(clock, { perMinute: 200, burst, maxQueue: 100 });
  const router = new OrderRouter(venue, limiter, { clock, rng: new SeededRng(3) });
  return { clock, venue, limiter, router };
}

Deno.test("submitNow answers within the call when the venue can and a token is free", () => {
  const { venue, limiter, router } = immediateSetup();
  const answer = router.submitNow(request);
  assert.ok(!(answer instanceof Promise), "no promise on the in-process path");
  assert.equal(answer.venueOrderId, "V1");
  assert.equal(limiter.granted, 1, "the request still took a token from the shared budget");
  assert.equal(router.stats.sent, 1);
  assert.equal(venue.orders.size, 1);
});

Deno.test("submitNow throws a final refusal at once, and waits its turn when the budget is spent", async () => {
  const { clock, venue, router } = immediateSetup(1);
  venue.script = ["422"];
  assert.throws(() => router.submitNow(request), /qty must be > 0/);
  assert.equal(router.stats.failed, 1);
  // The only token went to the refused request: the next one is queued behind the limiter.
  const queued = router.submitNow({ ...request, clientOrderId: "drt-1-2" });
  assert.ok(queued instanceof Promise);
  assert.equal((await run(clock, queued)).clientOrderId, "drt-1-2");
});

Deno.test("submitNow retries a retryable refusal with backoff, never twice at once", async () => {
  const { clock, venue, router } = immediateSetup();
  venue.script = ["503"];
  const answer = router.submitNow(request);
  assert.ok(answer instanceof Promise, "a retry waits on the clock");
  assert.equal(venue.submits, 1, "not re-sent within the call");
  const t0 = clock.nowMicros();
  const order = await run(clock, answer);
  assert.equal(order.venueOrderId, "V1");
  assert.equal(venue.submits, 2);
  assert.equal(router.stats.retries, 1);
  assert.ok(clock.nowMicros() - t0 >= 800_000, "the first backoff (1 s ± 20 %) was waited");
});
