/**
 * Sends orders to the venue through the shared rate limiter, retrying only retryable failures
 * with backoff. Before any re-send after a failure that the venue may have received (a timeout,
 * a 5xx), it looks the order up by client order id, so a retry never creates a second order;
 * a venue that answers "duplicate client order id" is treated the same way.
 */
import type { Clock } from "../clock/clock.ts";
import type { OrderRequest } from "../domain/order.ts";
import type { SeededRng } from "../domain/seeded_rng.ts";
import { type BackoffOptions, DEFAULT_BACKOFF, retryWithBackoff } from "./backoff.ts";
import type { RateLimiter } from "./rate_limiter.ts";
import type { TradingClient, VenueOrder } from "./trading_client.ts";
import { VenueError } from "./venue_error.ts";

/** Router counters for /metrics. */
export interface RouterStats {
  sent: number;
  retries: number;
  recoveredByLookup: number;
  failed: number;
}

/** Idempotent order submission over a TradingClient. */
export class OrderRouter {
  readonly stats: RouterStats = { sent: 0, retries: 0, recoveredByLookup: 0, failed: 0 };

  /** Binds the client, the shared limiter and the retry policy. */
  constructor(
    readonly client: TradingClient,
    readonly limiter: RateLimiter,
    readonly deps: {
      readonly clock: Clock;
      readonly rng: SeededRng;
      readonly backoff?: BackoffOptions;
    },
  ) {}

  /** Submits `request`; resolves with the venue's order, rejects with the final VenueError. */
  submit(request: OrderRequest): Promise<VenueOrder> {
    return this.#submit(request, undefined);
  }

  /**
   * Submits `request` and, when the venue answers in the same call (an in-process venue, a token
   * free, no queue), returns its order or throws its refusal without a promise: the backtest's
   * path. Otherwise, and for a failure worth retrying, the promise submit() would give.
   */
  submitNow(request: OrderRequest): VenueOrder | Promise<VenueOrder> {
    const client = this.client;
    if (client.submitOrderNow === undefined || !this.limiter.tryAcquire()) {
      return this.submit(request);
    }
    this.stats.sent++;
    try {
      return client.submitOrderNow(request);
    } catch (e) {
      if (e instanceof VenueError && (e.retryable || e.kind === "duplicate_client_order_id")) {
        return this.#submit(request, e); // the first attempt failed: retry (or look up) as submit does
      }
      this.stats.failed++;
      throw e;
    }
  }

  async #submit(request: OrderRequest, firstError: VenueError | undefined): Promise<VenueOrder> {
    const lookup = async (): Promise<VenueOrder | undefined> => {
      await this.limiter.acquire();
      const found = await this.client.getOrderByClientId(request.clientOrderId);
      if (found !== undefined) this.stats.recoveredByLookup++;
      return found;
    };
    try {
      return await retryWithBackoff(
        async () => {
          try {
            if (firstError !== undefined) {
              const e = firstError;
              firstError = undefined;
              throw e;
            }
            await this.limiter.acquire();
            this.stats.sent++;
            return await this.client.submitOrder(request);
          } catch (e) {
            if (e instanceof VenueError && e.kind === "duplicate_client_order_id") {
              const found = await lookup();
              if (found !== undefined) return found;
            }
            throw e;
          }
        },
        {
          clock: this.deps.clock,
          rng: this.deps.rng,
          options: this.deps.backoff ?? DEFAULT_BACKOFF,
        },
        async (error) => {
          this.stats.retries++;
          return error.maybeReceived ? await lookup() : undefined;
        },
      );
    } catch (e) {
      this.stats.failed++;
      throw e;
    }
  }

  /**
   * Replaces a working order with `next` (a new client order id). Not retried: a replace that may
   * have reached the venue is resolved by looking up `next`'s id, never by sending it twice.
   */
  async replace(clientOrderId: string, next: OrderRequest): Promise<VenueOrder> {
    await this.limiter.acquire();
    this.stats.sent++;
    try {
      return await this.client.replaceOrder(clientOrderId, next);
    } catch (e) {
      if (e instanceof VenueError && e.maybeReceived) {
        await this.limiter.acquire();
        const found = await this.client.getOrderByClientId(next.clientOrderId);
        if (found !== undefined) {
          this.stats.recoveredByLookup++;
          return found;
        }
      }
      this.stats.failed++;
      throw e;
    }
  }

  /** Cancels through the limiter with the same retry policy (a cancel is idempotent). */
  async cancel(clientOrderId: string): Promise<void> {
    await retryWithBackoff(async () => {
      await this.limiter.acquire();
      await this.client.cancelOrder(clientOrderId);
    }, {
      clock: this.deps.clock,
      rng: this.deps.rng,
      options: this.deps.backoff ?? DEFAULT_BACKOFF,
    });
  }
}
