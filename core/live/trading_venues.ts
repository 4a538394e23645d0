/**
 * The trading side of each venue, in the one shape the trading loop needs: a TradingClient, the
 * account's starting cash, trading hours, and venue-specific hooks. The sim venue matches against
 * the engine's own books; Alpaca trades over REST and reports on trade_updates.
 */
import type { Config } from "../../schemas/config.ts";
import type { Clock } from "../clock/clock.ts";
import type { MarketEngine } from "../data/market_engine.ts";
import { assetClassOf, type InstrumentTable } from "../domain/instrument.ts";
import { type Cash, formatCash, parseCash } from "../domain/money.ts";
import type { TradingClient } from "../execution/trading_client.ts";
import { bpsFee } from "../matching/fee_model.ts";
import { MatchingEngine } from "../matching/matching_engine.ts";
import { startingCashKey } from "../store/keys.ts";
import { AlpacaTrading } from "../venues/alpaca/trading.ts";
import { alpacaRecentBars } from "../venues/alpaca/recent_bars.ts";
import { simHistory } from "../venues/sim/sim_history.ts";
import { SimTrading } from "../venues/sim/sim_trading.ts";
import type { Secrets } from "./config.ts";
import type { BarHistorySource } from "./warmup_bars.ts";

/** A venue's trading side as the trading loop uses it. */
export interface TradingVenue {
  readonly client: TradingClient;
  readonly startingCash: Cash;
  readonly isMarketOpen: (symbol: string, now: number) => boolean;
  /** True while the venue's order reports are flowing; orders are refused otherwise. */
  readonly ready: () => boolean;
  /** Resolves when the venue's order reports are flowing (orders are held until then). */
  readonly connected: () => Promise<void>;
  /** Registers what to do when order reports may have been missed (recover them). */
  readonly onGap: (handler: () => void) => void;
  /** Called once a second (session roll, clock polling). */
  readonly tick: () => void;
  /** Called on a new trading session. */
  readonly onNewSession: () => void;
  readonly flushed: () => Promise<unknown>;
  readonly close: () => Promise<void>;
  /** The venue's recent closed bars, for strategy warm-up. */
  readonly history: BarHistorySource;
}

/** The embedded simulated venue's trading side, matching against the engine's books. */
export async function simTradingVenue(
  deps: {
    config: Config;
    instruments: InstrumentTable;
    clock: Clock;
    market: MarketEngine;
    kv: Deno.Kv;
  },
): Promise<TradingVenue> {
  const { config, instruments, clock, market, kv } = deps;
  const matching = new MatchingEngine(instruments, {
    // Venue order ids (and so fill ids) must not repeat across restarts of the embedded venue:
    // the start time makes every run's ids distinct.
    idPrefix: `SIM${clock.nowMicros().toString(36).toUpperCase()}`,
    fees: bpsFee(config.sim.fee_bps),
    fillOnTouch: config.sim.fill_on_touch,
  });
  const startingCash = parseCash(config.sim.starting_cash);
  const venue = await SimTrading.open({
    instruments,
    clock,
    matching,
    book: (symbol) => market.books[instruments.get(symbol)!.index]!,
    latencyMs: config.sim.latency_ms,
    startingCash,
    kv,
  });
  market.addTradeTap((i, price, size) =>
    venue.onMarketTrade(instruments.at(i).symbol, price, size)
  );
  market.addBookTap((i) => venue.onMarketBook(instruments.at(i).symbol));
  return {
    client: venue,
    startingCash,
    isMarketOpen: () => true, // the embedded venue trades around the clock
    ready: () => true,
    connected: () => Promise.resolve(),
    onGap: () => {}, // in-process reports cannot be missed
    tick: () => {},
    onNewSession: () => venue.expireDayOrders(),
    flushed: () => venue.flushed(),
    close: () => Promise.resolve(),
    // Synthetic, like the sim market: its past, ending at the price it starts from.
    history: (symbols, tf, count, end) =>
      Promise.resolve(
        symbols.flatMap((s) => simHistory(config.sim, instruments, s, tf, count, end)),
      ),
  };
}

/** Alpaca's trading side: REST + trade_updates; the account's cash at first start is remembered. */
export async function alpacaTradingVenue(
  deps: {
    config: Config;
    secrets: Secrets;
    instruments: InstrumentTable;
    clock: Clock;
    kv: Deno.Kv;
    log: (line: string) => void;
  },
): Promise<TradingVenue> {
  const { config, secrets, instruments, clock, kv, log } = deps;
  if (secrets.alpaca === undefined) throw new RangeError("Alpaca trading needs keys");
  const baseUrl = config.alpaca.trading_url ??
    (config.venue === "alpaca-live"
      ? "https://api.alpaca.markets"
      : "https://paper-api.alpaca.markets");
  const trading = new AlpacaTrading({ clock, instruments }, {
    baseUrl,
    streamUrl: config.alpaca.trade_stream_url,
    key: secrets.alpaca.key,
    secret: secrets.alpaca.secret,
  });
  // P&L counts from the cash the account had when deno_rt first traded it, kept across restarts.
  let startingCash: Cash;
  const stored = await kv.get<string>(startingCashKey());
  if (stored.value !== null) startingCash = parseCash(stored.value);
  else {
    startingCash = (await trading.account()).cash;
    await kv.set(startingCashKey(), formatCash(startingCash));
  }
  let open = false;
  const pollClock = () =>
    trading.rest.request("GET", "/v2/clock").then((c) => {
      open = (c as { is_open?: unknown }).is_open === true;
    }).catch((e) => log(`alpaca clock poll failed: ${e instanceof Error ? e.message : String(e)}`));
  await pollClock();
  let ticks = 0;
  return {
    client: trading,
    startingCash,
    // Crypto trades around the clock; stocks follow Alpaca's market clock (polled every 30 s).
    isMarketOpen: (symbol) => assetClassOf(symbol) === "crypto" || open,
    ready: () => trading.ready,
    connected: () => trading.connect(),
    onGap: (handler) => (trading.onGap = handler),
    tick: () => {
      if (++ticks % 30 === 0) void pollClock();
    },
    onNewSession: () => {},
    flushed: () => Promise.resolve(),
    close: () => trading.close(),
    history: (symbols, tf, count, end) =>
      alpacaRecentBars(
        {
          baseUrl: config.alpaca.data_url,
          key: secrets.alpaca!.key,
          secret: secrets.alpaca!.secret,
          feed: config.alpaca.data_feed,
          instruments,
          clock,
        },
        symbols,
        tf,
        count,
        end,
      ),
  };
}
