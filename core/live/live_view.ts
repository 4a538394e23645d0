/** The CoreView the HTTP functions read, over a LiveNode's in-memory state (money as decimal strings). */
import type { BarsResult, CoreView } from "../../functions/core_view.ts";
import type { BarJson, BookJson, HealthJson, InstrumentJson } from "../../schemas/http.ts";
import { type Topic, TOPICS } from "../bus/topics.ts";
import { Ctl, DECODE_ERROR_REASONS } from "../data/ring_layout.ts";
import { formatScaled } from "../domain/fixed_point.ts";
import { cashToNumber } from "../domain/money.ts";
import { formatPrice, formatQty, type Instrument } from "../domain/instrument.ts";
import type { Bar } from "../domain/market_events.ts";
import { formatRfc3339Micros } from "../domain/timestamp.ts";
import { type MetricFamily, renderMetrics } from "./metrics.ts";
import type { LiveNode } from "./node.ts";

/** CoreView over a running LiveNode. */
export class LiveView implements CoreView {
  /** Binds to `node`. */
  constructor(readonly node: LiveNode) {}

  /** Health: degraded when any symbol is stale or the feed is not running. */
  health(): HealthJson {
    const n = this.node;
    const now = n.clock.nowMicros();
    const staleMicros = n.config.stale_after_s * 1e6;
    const symbols = n.instruments.list().map((inst) => {
      const last = n.engine.lastRecv[inst.index]!;
      const age = last === 0 ? null : Math.max(0, (now - last) / 1e6);
      const stale = now - (last || n.startedAt) > staleMicros;
      return { symbol: inst.symbol, last_update_age_s: age, stale };
    });
    const anyStale = symbols.some((s) => s.stale);
    const t = n.trading;
    const trading = t === undefined ? undefined : {
      ready: t.kernel.ready,
      reconcile: t.reconcile.state,
      differences: t.reconcile.differences.map((d) => ({
        kind: d.kind,
        symbol: d.symbol,
        detail: d.detail,
      })),
      kill_switch: t.kernel.risk.killSwitch.state,
    };
    const status = n.state === "starting"
      ? "starting"
      : n.state !== "running"
      ? "stopping"
      : anyStale || (n.feedState !== "running" && n.feedState !== "ended") ||
          trading?.ready === false
      ? "degraded"
      : "ok";
    return {
      status,
      venue: n.venue.name,
      feed: n.feedState,
      uptime_s: Math.round(n.uptimeSeconds() * 1000) / 1000,
      stale_after_s: n.config.stale_after_s,
      symbols,
      ring: {
        capacity: n.ring.capacity,
        occupancy: n.reader.occupancy(),
        dropped: n.ringDropped(),
        conflated: n.reader.counter(Ctl.ConflatedQuotes),
      },
      ...(trading === undefined ? {} : { trading }),
    };
  }

  /** Prometheus metrics. */
  metrics(): string {
    const n = this.node;
    const now = n.clock.nowMicros();
    const counts = n.bus.counts();
    const staleSet = new Set(n.staleSymbols());
    const mem = Deno.memoryUsage();
    return renderMetrics([
      ...this.#marketMetrics(now, mem, staleSet, counts),
      ...this.#tradingMetrics(now),
    ]);
  }

  #tradingMetrics(now: number): MetricFamily[] {
    const t = this.node.trading;
    if (t === undefined) return [];
    const k = t.kernel;
    const byStatus = new Map<string, number>();
    for (const o of k.orders.list()) byStatus.set(o.status, (byStatus.get(o.status) ?? 0) + 1);
    const totals = k.portfolio.totals();
    const ks = k.risk.killSwitch.state;
    const g = (
      name: string,
      type: "counter" | "gauge",
      help: string,
      samples: Array<readonly [Record<string, string>, number]>,
    ): MetricFamily => ({ name, type, help, samples });
    return [
      g(
        "deno_rt_orders",
        "gauge",
        "Orders held, by status: every open one and the newest execution.keep_finished_orders finished.",
        [...byStatus].map(([status, n]) => [{ status }, n] as const),
      ),
      g("deno_rt_fills_total", "counter", "Fills applied.", [[{}, k.fillsApplied]]),
      g("deno_rt_risk_approvals_total", "counter", "Orders approved by pre-trade risk.", [[
        {},
        k.risk.approvals(),
      ]]),
      g(
        "deno_rt_risk_rejections_total",
        "counter",
        "Orders rejected by pre-trade risk, by reason.",
        Object.entries(k.risk.rejections()).map(([reason, n]) => [{ reason }, n] as const),
      ),
      g(
        "deno_rt_router_requests_total",
        "counter",
        "Order submissions sent to the venue (retries included).",
        [[{}, t.router.stats.sent]],
      ),
      g(
        "deno_rt_router_retries_total",
        "counter",
        "Order submissions retried after a retryable error.",
        [[{}, t.router.stats.retries]],
      ),
      g(
        "deno_rt_router_recovered_total",
        "counter",
        "Orders found at the venue by client id instead of being re-sent.",
        [[{}, t.router.stats.recoveredByLookup]],
      ),
      g("deno_rt_router_failed_total", "counter", "Orders that failed after retries.", [[
        {},
        t.router.stats.failed,
      ]]),
      g("deno_rt_rate_limiter_queued", "gauge", "Venue requests waiting for a token.", [[
        {},
        t.limiter.queued,
      ]]),
      g(
        "deno_rt_rate_limiter_refused_total",
        "counter",
        "Venue requests refused because the queue was full.",
        [[{}, t.limiter.refused]],
      ),
      g(
        "deno_rt_kill_switch",
        "gauge",
        "Kill switch state (1 for the current one).",
        (["active", "reducing", "halted"] as const).map((s) =>
          [{ state: s }, ks === s ? 1 : 0] as const
        ),
      ),
      g(
        "deno_rt_trading_ready",
        "gauge",
        "1 once state is restored and reconciled with the venue.",
        [[{}, k.ready ? 1 : 0]],
      ),
      g(
        "deno_rt_equity",
        "gauge",
        "Account equity at the last marks (quote currency; display only).",
        [[{}, cashToNumber(totals.equity)]],
      ),
      g(
        "deno_rt_daily_pnl",
        "gauge",
        "P&L since the session start (quote currency; display only).",
        [[{}, cashToNumber(totals.dailyPnl)]],
      ),
      g(
        "deno_rt_venue_reports_rejected_total",
        "counter",
        "Venue reports that contradicted local state.",
        [[{}, k.badReports]],
      ),
      g(
        "deno_rt_venue_reports_unknown_order_total",
        "counter",
        "Venue reports for orders the engine did not send (bracket legs, orders placed by hand).",
        [[{}, k.unknownOrderReports]],
      ),
      g(
        "deno_rt_closes_deferred_total",
        "counter",
        "Closes that waited for their strategy's orders in flight before flattening.",
        [[{}, k.closes.deferred]],
      ),
      g(
        "deno_rt_close_cancels_failed_total",
        "counter",
        "Cancels of resting orders a waiting close asked for that the venue refused.",
        [[{}, k.closes.cancelsFailed]],
      ),
      g("deno_rt_journal_failures_total", "counter", "Journal appends that failed.", [[
        {},
        t.journal.failures,
      ]]),
      g("deno_rt_journal_last_seq", "gauge", "Number of the journal's last entry.", [[
        {},
        t.journal.lastSeq,
      ]]),
      g(
        "deno_rt_journal_checkpoint_seq",
        "gauge",
        "Journal entry the latest checkpoint covers; a restart replays the entries after it.",
        [[{}, t.checkpointSeq()]],
      ),
      g("deno_rt_strategy_errors_total", "counter", "Exceptions thrown by strategies.", [[
        {},
        t.host.errors,
      ]]),
      g("deno_rt_time_seconds", "gauge", "Engine clock, epoch seconds.", [[{}, now / 1e6]]),
    ];
  }

  #marketMetrics(
    now: number,
    mem: Deno.MemoryUsage,
    staleSet: Set<string>,
    counts: Record<Topic, number>,
  ): MetricFamily[] {
    const n = this.node, e = n.engine, r = n.reader;
    const fam = (
      name: string,
      type: "counter" | "gauge",
      help: string,
      samples: Array<readonly [Record<string, string>, number]>,
    ): MetricFamily => ({ name, type, help, samples });
    return [
      fam("deno_rt_uptime_seconds", "gauge", "Seconds since the core started.", [[
        {},
        n.uptimeSeconds(),
      ]]),
      fam("deno_rt_process_resident_memory_bytes", "gauge", "Resident set size of the process.", [[
        {},
        mem.rss,
      ]]),
      fam("deno_rt_engine_heap_used_bytes", "gauge", "V8 heap in use on the engine thread.", [[
        {},
        mem.heapUsed,
      ]]),
      fam("deno_rt_engine_heap_total_bytes", "gauge", "V8 heap reserved on the engine thread.", [[
        {},
        mem.heapTotal,
      ]]),
      fam("deno_rt_messages_in_total", "counter", "Market messages applied by the engine.", [[
        {},
        e.messagesIn,
      ]]),
      fam("deno_rt_messages_by_kind_total", "counter", "Market messages applied, by kind.", [
        [{ kind: "trade" }, e.trades],
        [{ kind: "quote" }, e.quotes],
        [{ kind: "book_level" }, e.bookUpdates],
        [{ kind: "bar" }, e.venueBars],
      ]),
      fam(
        "deno_rt_bus_published_total",
        "counter",
        "Messages published on the bus, by topic (a topic without subscribers is not published).",
        TOPICS.map((t) => [{ topic: t }, counts[t]] as const),
      ),
      fam("deno_rt_bus_handler_errors_total", "counter", "Bus subscriber exceptions caught.", [[
        {},
        n.bus.handlerErrors,
      ]]),
      fam("deno_rt_ring_capacity", "gauge", "Feed ring capacity in records.", [[
        {},
        n.ring.capacity,
      ]]),
      fam("deno_rt_ring_occupancy", "gauge", "Records waiting in the feed ring.", [[
        {},
        r.occupancy(),
      ]]),
      fam(
        "deno_rt_ring_dropped_total",
        "counter",
        "Records dropped because the ring stayed full.",
        [
          [{ kind: "trade" }, r.counter(Ctl.DroppedTrades)],
          [{ kind: "book_level" }, r.counter(Ctl.DroppedBook)],
          [{ kind: "bar" }, r.counter(Ctl.DroppedOther)],
        ],
      ),
      fam(
        "deno_rt_ring_conflated_total",
        "counter",
        "Quotes replaced by a newer quote of the same symbol while the ring was full.",
        [
          [{}, r.counter(Ctl.ConflatedQuotes)],
        ],
      ),
      fam(
        "deno_rt_ring_producer_waits_total",
        "counter",
        "Times the feed worker waited for ring space.",
        [[
          {},
          r.counter(Ctl.ProducerWaits),
        ]],
      ),
      fam(
        "deno_rt_decode_errors_total",
        "counter",
        "Feed frames or messages rejected by the decoder, by reason.",
        DECODE_ERROR_REASONS.map((reason, i) =>
          [{ reason }, r.counter(Ctl.DecodeErrorsBase + i)] as const
        ),
      ),
      fam("deno_rt_bad_records_total", "counter", "Ring records the engine could not apply.", [[
        {},
        n.applier.badRecords,
      ]]),
      fam("deno_rt_book_crossed_total", "counter", "Book updates that left a book crossed.", [[
        {},
        e.crossedBooks,
      ]]),
      fam(
        "deno_rt_book_levels_ignored_total",
        "counter",
        "Book levels ignored at the per-side level cap.",
        [[
          {},
          e.ignoredBookLevels(),
        ]],
      ),
      fam(
        "deno_rt_bars_late_trades_total",
        "counter",
        "Trades that arrived after their bar had closed.",
        [[
          {},
          e.lateTrades(),
        ]],
      ),
      fam("deno_rt_feed_errors_total", "counter", "Feed connection or worker errors.", [[
        {},
        n.feedErrors,
      ]]),
      fam("deno_rt_feed_up", "gauge", "1 while the feed is running.", [[
        {},
        n.feedState === "running" ? 1 : 0,
      ]]),
      fam("deno_rt_kv_errors_total", "counter", "Failed Deno KV writes.", [[{}, n.kvErrors]]),
      fam("deno_rt_stale_symbols", "gauge", "Symbols with no update within stale_after_s.", [[
        {},
        staleSet.size,
      ]]),
      fam(
        "deno_rt_last_update_age_seconds",
        "gauge",
        "Seconds since the last market update, per symbol (-1 before the first).",
        n.instruments.list().map((inst) => {
          const last = e.lastRecv[inst.index]!;
          return [{ symbol: inst.symbol }, last === 0 ? -1 : (now - last) / 1e6] as const;
        }),
      ),
    ];
  }

  /** Instruments in index order. */
  instruments(): InstrumentJson[] {
    return this.node.instruments.list().map((i) => ({
      symbol: i.symbol,
      id: i.id,
      asset_class: i.assetClass,
      price_decimals: i.priceDecimals,
      qty_decimals: i.qtyDecimals,
    }));
  }

  /** Book to `depth` levels. */
  book(symbol: string, depth: number): BookJson | undefined {
    const inst = this.node.instruments.get(symbol);
    if (inst === undefined) return undefined;
    const book = this.node.engine.books[inst.index]!;
    const { bids, asks } = book.depth(depth);
    const px = (p: number) => (p > 0 ? formatPrice(inst, p) : null);
    const spread = book.spread();
    const mid2 = book.bestBid() + book.bestAsk(); // mid × 2 keeps the half tick exact
    return {
      symbol,
      bids: bids.map((l) => ({ price: formatPrice(inst, l.price), size: formatQty(inst, l.size) })),
      asks: asks.map((l) => ({ price: formatPrice(inst, l.price), size: formatQty(inst, l.size) })),
      best_bid: px(book.bestBid()),
      best_ask: px(book.bestAsk()),
      spread: Number.isNaN(spread) ? null : formatScaled(spread, inst.priceDecimals),
      mid: Number.isNaN(spread) ? null : formatScaled(mid2 * 5, inst.priceDecimals + 1),
      crossed: book.isCrossed(),
      venue_time: book.venueTime,
      recv_time: book.recvTime,
    };
  }

  /** Closed bars (and the open one when asked). */
  bars(symbol: string, timeframe: string, limit: number, partial: boolean): BarsResult {
    const inst = this.node.instruments.get(symbol);
    if (inst === undefined) return { kind: "unknown_symbol" };
    const e = this.node.engine;
    const bars = e.bars(inst.index, timeframe, limit);
    if (bars === undefined) return { kind: "unknown_timeframe", timeframes: e.timeframes() };
    const out = bars.map((b) => barJson(inst, b, false));
    if (partial) {
      const open = e.partialBar(inst.index, timeframe, this.node.clock.nowMicros());
      if (open !== undefined) out.push(barJson(inst, open, true));
    }
    return { kind: "ok", bars: out };
  }
}

function barJson(inst: Instrument, b: Bar, partial: boolean): BarJson {
  return {
    symbol: b.symbol,
    timeframe: b.timeframe,
    start: b.start,
    end: b.end,
    time: formatRfc3339Micros(b.end),
    open: formatPrice(inst, b.open),
    high: formatPrice(inst, b.high),
    low: formatPrice(inst, b.low),
    close: formatPrice(inst, b.close),
    volume: formatQty(inst, b.volume),
    vwap: b.vwap / 10 ** inst.priceDecimals,
    trade_count: b.tradeCount,
    empty: b.empty,
    source: b.source,
    partial,
  };
}
