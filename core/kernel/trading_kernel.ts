/**
 * The trading kernel, held alike by the live node and the backtest engine: signal → slippage
 * and pre-trade risk → order → venue → fills → portfolio, every step a bus message. Fills are
 * applied one at a time in arrival order, and each is durable in the journal before order.filled
 * is published. Orders are sent only once the kernel is `ready` (state restored and reconciled).
 */
import type { Instrument } from "../domain/instrument.ts";
import type { Cash } from "../domain/money.ts";
import type { Fill, OrderRequest, Signal } from "../domain/order.ts";
import type { ManagedOrder } from "../execution/order_manager.ts";
import type { OrderEvent } from "../execution/order_state.ts";
import { checkSlippage } from "../execution/slippage.ts";
import { localVenueOrder, type TradeUpdate, type VenueOrder } from "../execution/trading_client.ts";
import { AppliedFills } from "./applied_fills.ts";
import { FinishedRetention } from "./finished_retention.ts";
import { adoptReported } from "./foreign_orders.ts";
import { DeferredCloses } from "./deferred_closes.ts";
import { type ReplayAccess, replayEntry } from "./kernel_replay.ts";
import { KillSwitchControl } from "./kill_switch_control.ts";
import { KernelBooks } from "./kernel_books.ts";
import {
  type CheckpointAccess,
  type KernelCheckpoint,
  loadCheckpoint,
  takeCheckpoint,
} from "./kernel_checkpoint.ts";
import type { KernelDeps } from "./kernel_deps.ts";
import { OrderChannels } from "./order_channels.ts";
import { ReportSequencer } from "./report_sequencer.ts";
import { orderForSignal, replacementFor } from "./order_sizing.ts";
import { bestAsk, bestBid } from "./market_prices.ts";
import type { KillSwitchState } from "../risk/kill_switch.ts";
import { reasonName } from "../risk/reasons.ts";
import { RiskEngine } from "../risk/risk_engine.ts";
import type { JournalEntry } from "../store/journal.ts";

/** The trading loop's state and logic. */
export class TradingKernel extends KernelBooks {
  readonly risk: RiskEngine;
  /** Every fill, in the order applied. */
  readonly fills: Fill[] = [];
  readonly #reports: ReportSequencer;
  /** Venue calls sent whose answer has not come back. */
  #awaiting = 0;
  readonly #kill: KillSwitchControl;
  /** False until state is restored and reconciled: no order leaves before that. */
  ready = false;
  /** The last session start found in the journal (start-up uses it to keep the day's P&L). */
  lastSession: { start: number; equity: Cash } | undefined;
  /** Called with each fill after it is applied (the strategy host). */
  onFill: (fill: Fill) => void = () => {};
  /** Venue reports that contradicted local state (counted, logged, not applied). */
  badReports = 0;
  /** Live venue reports for orders the kernel did not know (see foreign_orders.ts). */
  unknownOrderReports = 0;
  /** Fills ever applied (`fills` holds the newest `keepFinished` of them). */
  fillsApplied = 0;
  readonly #applied = new AppliedFills(new FinishedRetention(this.deps.keepFinished, this.deps));

  /** Adopts an order the venue has but the journal does not (a crash between send and journal). */
  adopt(request: OrderRequest): void {
    if (this.orders.get(request.clientOrderId) !== undefined) return;
    this.replay({ type: "order_submitted", at: this.deps.clock.nowMicros(), request });
    this.#journal({ type: "order_submitted", at: this.deps.clock.nowMicros(), request });
  }

  readonly #channels: OrderChannels;
  /** Closes waiting for their strategy's orders in flight (deferred_closes.ts). */
  readonly closes = new DeferredCloses({
    open: (symbol) => this.orders.open(symbol),
    cancel: (id) => this.cancel(id),
    run: (signal) => void (this.closes.takes(signal) || this.#act(signal)),
    refuse: (signal, reason) => this.#refuse(signal, undefined, reason),
    canSend: () => this.ready && this.deps.venueReady?.() !== false,
    clock: this.deps.clock,
    log: this.deps.log,
  });

  /** Builds the kernel; call `attach()` to start receiving market data and venue reports. */
  constructor(deps: KernelDeps) {
    super(deps);
    this.#channels = new OrderChannels(deps.bus);
    this.#reports = new ReportSequencer({
      now: (u) => this.#applyReport(u, true),
      durably: (u) => this.applyUpdate(u, true),
      needsWrite: (u) => u.fill !== undefined && deps.journal !== undefined,
      failed: (e) => {
        this.badReports++;
        deps.log(`applying a venue report failed: ${e instanceof Error ? e.stack : String(e)}`);
      },
    });
    this.risk = new RiskEngine(deps.limits, this);
    this.#kill = new KillSwitchControl(deps, this.risk, this.portfolio, () => this.cancelAll());
  }

  /** Subscribes to trades for marks and to the venue's order reports. */
  attach(onTradeUpdate: (handler: (u: TradeUpdate) => void) => void): void {
    const instruments = this.deps.instruments;
    this.deps.market.addTradeTap((i, price) =>
      this.portfolio.mark(instruments.at(i).symbol, price)
    );
    onTradeUpdate((u) => void this.#reports.push(u));
  }

  /** True when no venue answer is outstanding and no report waits to be applied. */
  get idle(): boolean {
    return this.#reports.queued === 0 && this.#awaiting === 0;
  }

  /** Whether `fill` has been applied (see AppliedFills); `exact`: by id only (journal replay). */
  hasFill(fill: Fill, exact = false): boolean {
    return this.#applied.has(fill, this.orders.get(fill.clientOrderId), exact);
  }

  /** Turns a strategy's signal into an order through slippage and risk checks. */
  onSignal(signal: Signal): void {
    const ch = this.#channels;
    if (ch.signals.active) ch.signals.publish(signal);
    if (!this.closes.takes(signal)) this.#act(signal);
  }

  /** A signal that need not wait: to an order, or a refusal. */
  #act(signal: Signal): void {
    const { instruments } = this.deps;
    const ch = this.#channels;
    const inst = instruments.get(signal.symbol);
    if (inst === undefined) return this.#refuse(signal, undefined, "unknown_symbol");
    const request = orderForSignal(
      signal,
      inst,
      this.exposure.positionQty[inst.index]!,
      this.markPrice(inst.index),
      this.deps.ids,
      this.deps.clock.nowMicros(),
    );
    if (typeof request === "string") return this.#refuse(signal, undefined, request);
    const reason = this.check(request, inst);
    if (reason !== "") return this.#refuse(signal, request, reason);
    if (ch.approved.active) ch.approved.publish({ signal, request });
    // Failures are reports (a rejection), applied in order: nothing is left to catch here.
    void this.#send(request, inst, undefined, true);
  }

  /** Signed lots of `inst` once orders in flight finish and the signals waiting behind a close run. */
  expectedPosition(inst: number): number {
    const symbol = this.deps.instruments.at(inst).symbol;
    return this.closes.expected(symbol, this.exposure.withWorking(inst));
  }

  /** Readiness, slippage and risk for `request`: "" when it may go, else the reason code. */
  check(request: OrderRequest, inst: Instrument): string {
    if (!this.ready) return this.#refused("not_reconciled");
    if (this.deps.venueReady?.() === false) return this.#refused("venue_disconnected");
    const { maxSlippageBps, maxSpreadBps } = this.deps.execution;
    const slip = checkSlippage(
      request.type,
      request.limitPrice,
      bestBid(this.deps.market, inst.index),
      bestAsk(this.deps.market, inst.index),
      maxSlippageBps,
      maxSpreadBps,
    );
    if (slip !== "") return this.#refused(slip);
    const r = this.risk.check(request, inst.index, this.deps.clock.nowMicros());
    return r === 0 ? "" : reasonName(r);
  }

  /** Registers and sends an approved order; resolves with the managed order after the venue's answer. */
  async submit(request: OrderRequest): Promise<ManagedOrder> {
    const inst = this.deps.instruments.get(request.symbol);
    if (inst === undefined) throw new RangeError(`Cannot submit: unknown symbol ${request.symbol}`);
    await this.#send(request, inst, undefined, false);
    return this.orders.get(request.clientOrderId)!;
  }

  /**
   * Registers `request` as working, sends it (as the replacement of `replacing`, if given), and
   * applies the venue's answer as a report. An in-process venue answers within the call and the
   * answer is applied at once (no promise: the backtest's path); otherwise the returned promise
   * settles once it is applied. `minted`: the id comes from this kernel's ClientOrderIds.
   */
  #send(
    request: OrderRequest,
    inst: Instrument,
    replacing: string | undefined,
    minted: boolean,
  ): void | Promise<void> {
    const now = this.deps.clock.nowMicros();
    const order = this.orders.add(request, now, minted);
    this.exposure.open(
      request,
      inst,
      request.limitPrice > 0 ? request.limitPrice : this.markPrice(inst.index),
    );
    const submitted = this.#channels.submitted;
    if (submitted.active) submitted.publish(request);
    // Sent before the journal write completes: a crash in between leaves an order only the venue
    // knows, which start-up reconciliation adopts. Waiting here would put a disk write on the
    // tick-to-order path.
    if (this.deps.journal !== undefined) {
      this.#journal({ type: "order_submitted", at: now, request });
    }
    let answer: VenueOrder | Promise<VenueOrder>;
    try {
      const router = this.deps.router;
      answer = replacing === undefined
        ? router.submitNow(request)
        : router.replace(replacing, request);
    } catch (e) {
      return this.#refusedByVenue(request, e);
    }
    const reports = this.#reports;
    if (!(answer instanceof Promise)) {
      // An in-process venue has usually reported the acceptance already, within the call.
      if (order.status !== "pending_new") return;
      return reports.push({ event: "accepted", order: answer });
    }
    this.#awaiting++;
    return answer.then(
      (order) => {
        this.#awaiting--;
        return reports.push({ event: "accepted", order });
      },
      (e) => {
        this.#awaiting--;
        return this.#refusedByVenue(request, e);
      },
    );
  }

  #refusedByVenue(request: OrderRequest, e: unknown): void | Promise<void> {
    const reason = e instanceof Error ? e.message : String(e);
    const order = localVenueOrder(request, "rejected", 0, this.deps.clock.nowMicros());
    return this.#reports.push({ event: "rejected", reason, order });
  }

  /** Requests cancellation of a working order; the outcome arrives as a venue report. */
  async cancel(clientOrderId: string): Promise<void> {
    if (this.orders.get(clientOrderId) === undefined) {
      throw new RangeError(`Cannot cancel: unknown order '${clientOrderId}'`);
    }
    this.#awaiting++; // a backtest settles it before its next event
    await this.deps.router.cancel(clientOrderId).finally(() => this.#awaiting--);
  }

  /**
   * Replaces a working order's quantity and/or limit price. The replacement is a new order (new
   * client order id) that passes slippage and risk like any other; the old one goes to `replaced`.
   * Returns the new order, or the reason code when risk refuses it.
   */
  async replace(
    clientOrderId: string,
    change: { qty?: number; limitPrice?: number },
  ): Promise<ManagedOrder | string> {
    const old = this.orders.get(clientOrderId);
    if (old === undefined) throw new RangeError(`Cannot replace: unknown order '${clientOrderId}'`);
    const inst = this.deps.instruments.get(old.request.symbol)!;
    const next = replacementFor(old, change, this.deps.ids, this.deps.clock.nowMicros());
    const reason = this.check(next, inst);
    if (reason !== "") {
      this.deps.bus.publish("risk.rejected", { request: next, reason });
      return reason;
    }
    await this.#send(next, inst, clientOrderId, true);
    return this.orders.get(next.clientOrderId)!;
  }

  /** Cancels every working order (kill switch halted). */
  async cancelAll(): Promise<void> {
    await Promise.allSettled(
      this.orders.open().map((o) => this.deps.router.cancel(o.request.clientOrderId)),
    );
  }

  /** Applies one venue report; `live` publishes and journals it (false when replaying the journal). */
  async applyUpdate(u: TradeUpdate, live: boolean): Promise<void> {
    const fill = u.fill, journal = this.deps.journal;
    let tried = false;
    if (live && fill !== undefined && this.orders.get(u.order.clientOrderId) === undefined) {
      adoptReported(this, u); // before the journal write, so the fill is durable like any other
      tried = true;
    }
    if (
      live && journal !== undefined && fill !== undefined &&
      this.orders.get(u.order.clientOrderId) !== undefined
    ) {
      if (this.hasFill(fill)) return; // duplicate report
      // A fill is durable before it is applied. Its id is claimed during the write: the same fill
      // may arrive meanwhile from another source (the stream and a gap recovery), and must still
      // be applied once. The claim ends after the write, in the same turn #applyReport applies it.
      await this.#applied.claimWhile(
        fill,
        journal.append({ type: "fill", at: this.deps.clock.nowMicros(), fill }),
      );
    }
    this.#applyReport(u, live, tried);
  }

  /**
   * Applies a report whose fill (if any) is already durable; synchronous. `tried`: adoption of an
   * unknown order was already attempted (applyUpdate).
   */
  #applyReport(u: TradeUpdate, live: boolean, tried = false): void {
    const id = u.order.clientOrderId;
    let order = this.orders.get(id);
    if (order === undefined && live && !tried) order = adoptReported(this, u);
    if (order === undefined) return;
    const now = this.deps.clock.nowMicros();
    if (u.event === "accepted") {
      if (order.status !== "pending_new") return; // a fill already overtook the acknowledgement
      this.#transition(order, "accepted", now, { venueOrderId: u.order.venueOrderId }, live);
      return;
    }
    if (u.event === "fill" || u.event === "partial_fill") {
      const fill = u.fill;
      // A duplicate report, or (for an order restored from a checkpoint, which kept no fill ids)
      // a repeat of a fill forgotten before it: see FinishedRetention. An order added in this
      // process knows every fill of its own, so a fill it has not seen is applied however late.
      if (fill === undefined || this.#applied.has(fill, order)) return;
      this.#applyFill(fill, order);
      const filledQty = order.filledQty + fill.qty;
      const event = filledQty >= order.request.qty ? "fill" : "partial_fill";
      this.#transition(
        order,
        event,
        now,
        { venueOrderId: fill.venueOrderId, filledQty },
        live,
        fill,
      );
      if (live) {
        this.onFill(fill);
        this.checkAutoHalt();
        this.closes.release();
      }
      return;
    }
    const event: OrderEvent = u.event;
    this.#transition(order, event, now, { reason: u.reason }, live);
    if (live) this.closes.release();
  }

  /** Replays one journal entry into memory (start-up); nothing is published or re-journaled. */
  replay(entry: JournalEntry): void {
    replayEntry(this, this.#internals, entry);
  }

  /**
   * The kernel's state for a journal checkpoint covering the entries up to `seq` (the journal's
   * last), or undefined while a fill is being journaled (see takeCheckpoint).
   */
  checkpoint(seq: number): KernelCheckpoint | undefined {
    return takeCheckpoint(this, this.#internals, seq);
  }

  /** Loads a checkpoint into a kernel that has applied nothing (start-up, before later entries). */
  restoreCheckpoint(c: KernelCheckpoint): void {
    loadCheckpoint(this, this.#internals, c);
  }

  // What start-up (replay, checkpoints) needs of the kernel beyond its public books.
  readonly #internals: CheckpointAccess & ReplayAccess = {
    applied: this.#applied,
    exposure: this.exposure,
    applyFill: (fill, order) => this.#applyFill(fill, order),
    transition: (order, event, at, extra) => this.#transition(order, event, at, extra, false),
  };

  /** Sets the kill switch, durably; halting cancels every working order. */
  setKillSwitch(state: KillSwitchState, reason: string): Promise<boolean> {
    return this.#kill.set(state, reason);
  }

  /** Halts automatically on a daily-loss or drawdown breach. */
  checkAutoHalt(): void {
    this.#kill.checkAutoHalt();
  }

  /** Resolves when every queued venue report has been applied. */
  settled(): Promise<void> {
    return this.#reports.settled();
  }

  /** Refusals before pre-trade risk (readiness, slippage), by reason; risk counts its own. */
  readonly refusals = new Map<string, number>();

  #refused(reason: string): string {
    this.refusals.set(reason, (this.refusals.get(reason) ?? 0) + 1);
    return reason;
  }

  #refuse(signal: Signal, request: OrderRequest | undefined, reason: string): void {
    this.deps.bus.publish("risk.rejected", { signal, request, reason });
  }

  #applyFill(fill: Fill, order: ManagedOrder | undefined): void {
    const inst = this.deps.instruments.get(fill.symbol);
    if (inst === undefined) {
      throw new RangeError(`Fill ${fill.fillId} for unknown symbol ${fill.symbol}`);
    }
    this.#applied.note(fill, order);
    this.fills.push(fill);
    this.fillsApplied++;
    this.portfolio.applyFill(fill);
    this.exposure.fill(inst.index, fill.side, fill.qty, order?.request);
    this.#applied.trim(this.fills);
  }

  #transition(
    order: ManagedOrder,
    event: OrderEvent,
    now: number,
    extra: { venueOrderId?: string; filledQty?: number; reason?: string },
    live: boolean,
    fill?: Fill,
  ): void {
    const before = order.status;
    try {
      this.orders.applyTo(order, event, now, extra);
    } catch (e) {
      // A report that contradicts our state (e.g. a cancel after a fill) is counted, not applied.
      this.badReports++;
      this.deps.log(String(e instanceof Error ? e.message : e));
      return;
    }
    const done = order.status !== "new" && order.status !== "partially_filled" &&
      order.status !== "pending_new";
    if (done && before !== order.status && event !== "fill") {
      this.exposure.releaseOrder(this.deps.instruments.get(order.request.symbol)!, order);
    }
    if (done) this.#applied.retention.trimOrders(this.orders);
    if (!live) return;
    if (event !== "fill" && event !== "partial_fill" && this.deps.journal !== undefined) {
      this.#journal({
        type: "order_event",
        at: now,
        clientOrderId: order.request.clientOrderId,
        event,
        ...extra,
      });
    }
    this.#channels.orderEvent(event, order, fill, extra.reason);
  }

  #journal(entry: JournalEntry): void {
    this.deps.journal?.append(entry).catch((e) =>
      this.deps.log(`journal write failed: ${String(e)}`)
    );
  }
}
