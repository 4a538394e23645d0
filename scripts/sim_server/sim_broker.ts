/**
 * The broker behind the sim server's trading API: a SimTrading venue over the shared matching
 * engine, matching against VenueBooks, with an OrderLedger that records every venue report and
 * hands it, as Alpaca trade_updates data, to whoever publishes the stream. Trailing stops, opg /
 * cls and bracket / oco / oto orders run in AdvancedOrders on top of the venue's plain orders.
 */
import { WallClock } from "../../core/clock/wall_clock.ts";
import { formatPrice, formatQty, InstrumentTable } from "../../core/domain/instrument.ts";
import { parseCash } from "../../core/domain/money.ts";
import { formatRfc3339Micros } from "../../core/domain/timestamp.ts";
import type { OrderRequest } from "../../core/domain/order.ts";
import type { TradeUpdate } from "../../core/execution/trading_client.ts";
import { bpsFee, MatchingEngine } from "../../core/matching/mod.ts";
import { SimTrading } from "../../core/venues/sim/sim_trading.ts";
import { type SimConfig, simConfigSchema } from "../../schemas/config.ts";
import { AdvancedOrders, isAdvanced } from "./advanced_orders.ts";
import { orderJson } from "./alpaca_json.ts";
import { OrderLedger } from "./order_ledger.ts";
import type { TradeUpdateData } from "./trade_updates_stream.ts";
import { VenueBooks } from "./venue_books.ts";

/** Broker options. */
export interface SimBrokerOptions {
  /** Tradable symbols (default AAPL, MSFT, SPY, BTC/USD, ETH/USD). */
  readonly symbols?: readonly string[];
  /** Sim settings (prices, latency, starting cash, fees); defaults from the config schema. */
  readonly sim?: Partial<SimConfig>;
  /** Run the synthetic market (default true); false leaves the books to setBook/trade (tests). */
  readonly market?: boolean;
}

/** Symbols traded when none are configured. */
export const DEFAULT_SYMBOLS: readonly string[] = ["AAPL", "MSFT", "SPY", "BTC/USD", "ETH/USD"];

// The matching engine's events and Alpaca's trade_updates events; "accepted" is Alpaca's "new".
const ALPACA_EVENT: Record<TradeUpdate["event"], string> = {
  accepted: "new",
  partial_fill: "partial_fill",
  fill: "fill",
  canceled: "canceled",
  rejected: "rejected",
  expired: "expired",
  replaced: "replaced",
};

/** The simulated broker: venue, books, ledger and clock. */
export class SimBroker {
  readonly clock: WallClock = new WallClock();
  readonly instruments: InstrumentTable;
  readonly books: VenueBooks;
  readonly ledger: OrderLedger;
  readonly createdAt: number;
  readonly #venue: Promise<SimTrading>;
  readonly #advanced: AdvancedOrders;
  readonly #subscribers: Array<(data: TradeUpdateData) => void> = [];

  /** Builds the broker; the market (if enabled) starts at once. */
  constructor(options: SimBrokerOptions = {}) {
    const sim = simConfigSchema.parse(options.sim ?? {});
    this.instruments = new InstrumentTable(options.symbols ?? DEFAULT_SYMBOLS, "ALPACA");
    this.books = new VenueBooks(this.instruments);
    const startingCash = parseCash(sim.starting_cash, "starting_cash");
    this.ledger = new OrderLedger(this.instruments, startingCash);
    this.createdAt = this.clock.nowMicros();
    const matching = new MatchingEngine(this.instruments, {
      fees: bpsFee(sim.fee_bps),
      fillOnTouch: sim.fill_on_touch,
    });
    this.#venue = SimTrading.open({
      instruments: this.instruments,
      clock: this.clock,
      matching,
      book: (s) => this.books.book(s),
      latencyMs: sim.latency_ms,
      startingCash,
    }).then((venue) => {
      venue.onTradeUpdate((u) => {
        for (const v of this.#advanced.translate(u)) this.#publish(v);
      });
      this.books.listen({
        trade: (symbol, price, size) => {
          this.ledger.portfolio.mark(symbol, price);
          venue.onMarketTrade(symbol, price, size);
          this.#advanced.onTrade(symbol, price);
        },
        book: (symbol) => venue.onMarketBook(symbol),
      });
      return venue;
    });
    this.#advanced = new AdvancedOrders({
      instruments: this.instruments,
      venue: () => this.#venue,
      ledger: this.ledger,
      lastTrade: (s) => this.books.lastTrade(s),
      book: (s) => this.books.book(s),
      now: () => this.clock.nowMicros(),
      publish: (u) => this.#publish(u),
      newId: () => crypto.randomUUID(),
    });
    if (options.market ?? true) {
      this.books.start(sim, this.createdAt, () => this.clock.nowMicros());
    }
  }

  /** Places a new order (Alpaca-side checks done); rejects with a VenueError when refused. */
  async submitOrder(request: OrderRequest): Promise<void> {
    if (isAdvanced(request)) await this.#advanced.submit(request);
    else await (await this.#venue).submitOrder(request);
  }

  /** Cancels an open order; the outcome arrives as a report. Rejects with a VenueError. */
  async cancelOrder(clientOrderId: string): Promise<void> {
    if (await this.#advanced.cancel(clientOrderId)) return;
    await (await this.#venue).cancelOrder(clientOrderId);
  }

  /** The venue, once open. */
  venue(): Promise<SimTrading> {
    return this.#venue;
  }

  /** Receives the trade_updates data of every venue report. */
  onTradeUpdate(fn: (data: TradeUpdateData) => void): void {
    this.#subscribers.push(fn);
  }

  /** Stops the market. */
  close(): void {
    this.books.stop();
  }

  /** Records one report on an Alpaca order and hands it to the subscribers. */
  #publish(u: TradeUpdate): void {
    const now = this.clock.nowMicros();
    const rec = this.ledger.apply(u, now);
    const inst = this.instruments.get(u.order.request.symbol)!;
    const data: TradeUpdateData = {
      event: ALPACA_EVENT[u.event],
      timestamp: formatRfc3339Micros(now),
      order: orderJson(inst, rec, this.ledger),
    };
    if (u.fill !== undefined) {
      data.execution_id = u.fill.fillId;
      data.price = formatPrice(inst, u.fill.price);
      data.qty = formatQty(inst, u.fill.qty);
      data.position_qty = formatQty(inst, this.ledger.portfolio.position(inst.symbol).qty);
      data.timestamp = formatRfc3339Micros(u.fill.venueTime);
    }
    for (const fn of this.#subscribers) fn(data);
  }
}
