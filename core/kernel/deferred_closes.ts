/**
 * Closes that wait for the closing strategy's orders in flight. A position moves only when a fill
 * is applied, after its journal write, so a strategy can decide to get out while its entry is
 * still on its way: closing the filled position then would close nothing and leave the entry to
 * land afterwards, a position the strategy no longer wants. Instead the close waits: the strategy's
 * resting (limit and stop) orders in the symbol are cancelled, its market orders are left to finish,
 * and once none is working the close flattens whatever position they left. Signals the same
 * strategy emits for the symbol meanwhile queue behind the close and run after it, in order.
 *
 * A refused cancel usually means the order has just filled, and its report follows; the close
 * keeps waiting for it. A cancel refused because the venue does not know the order yet (its
 * submit still unanswered) is asked again after 1, 2, 4 and 8 s of clock time; an order whose
 * cancel is refused that often is left working and the close goes ahead without it (logged).
 * While orders may not leave (a trade-report gap, trading disabled) nothing is released; a buy or
 * sell that has waited longer than STALE_AFTER_MS by then is refused as `stale_signal` (an entry
 * decided on a market long gone), a close still runs (getting flat is never stale).
 */
import type { Clock } from "../clock/clock.ts";
import type { Signal } from "../domain/order.ts";
import type { ManagedOrder } from "../execution/order_manager.ts";

/** What the queue needs of the kernel. */
export interface DeferredClosesDeps {
  /** Working (not finished) orders of `symbol`. */
  readonly open: (symbol: string) => readonly ManagedOrder[];
  /** Requests cancellation of a working order. */
  readonly cancel: (clientOrderId: string) => Promise<void>;
  /** Runs a released signal as if just emitted (it may have to wait again). */
  readonly run: (signal: Signal) => void;
  /** Refuses a released signal with a reason code instead (one that waited too long). */
  readonly refuse: (signal: Signal, reason: string) => void;
  /** Whether orders may leave now; a waiting close is held while they may not (a report gap). */
  readonly canSend: () => boolean;
  readonly clock: Clock;
  readonly log: (line: string) => void;
}

/** Clock time after which a waiting buy or sell is refused, not sent. */
export const STALE_AFTER_MS = 60_000;

// Retries of a refused cancel, the last one this long after the first refusal: 1 + 2 + 4 + 8 s.
const CANCEL_RETRIES = 4;

interface Waiting {
  readonly source: string;
  readonly symbol: string;
  readonly signals: Signal[];
}

/** Per strategy and symbol, the signals held behind a close. */
export class DeferredCloses {
  readonly #waiting = new Map<string, Waiting>();
  // Refused cancels per order id; past CANCEL_RETRIES the order no longer holds a close. Kept
  // until nothing waits, so the close released by giving up does not wait for it again.
  readonly #refused = new Map<string, number>();
  /** Closes that had to wait for orders in flight. */
  deferred = 0;
  /** Cancels a waiting close asked for that the venue refused (usually: the order just filled). */
  cancelsFailed = 0;

  /** Binds to the kernel. */
  constructor(readonly deps: DeferredClosesDeps) {}

  /**
   * Lots `symbol` will hold once the signals waiting there have run, from `working`: the position
   * plus working orders. A close makes it flat; a buy or sell sized by notional counts as none.
   */
  expected(symbol: string, working: number): number {
    if (this.#waiting.size === 0) return working;
    let q = working;
    for (const w of this.#waiting.values()) {
      if (w.symbol !== symbol) continue;
      for (const s of w.signals) {
        q = s.action === "close" ? 0 : s.action === "buy" ? q + s.qty : q - s.qty;
      }
    }
    return q;
  }

  /**
   * Takes `signal` when it must wait: it follows a waiting close of its strategy and symbol, or it
   * is a close while that strategy has orders working there. False: run it now.
   */
  takes(signal: Signal): boolean {
    // With nothing waiting (the per-order path) no key is built: a fresh string's hash costs.
    if (this.#waiting.size > 0) {
      const waiting = this.#waiting.get(keyOf(signal.strategyId, signal.symbol));
      if (waiting !== undefined) {
        waiting.signals.push(signal);
        return true;
      }
    }
    // A close that cannot be sent now is refused as any order would be, not held for later.
    if (signal.action !== "close" || !this.deps.canSend()) return false;
    if (this.deps.open(signal.symbol).length === 0) return false;
    const w: Waiting = { source: signal.strategyId, symbol: signal.symbol, signals: [signal] };
    const working = this.#holding(w);
    if (working.length === 0) return false;
    this.#waiting.set(keyOf(signal.strategyId, signal.symbol), w);
    this.deferred++;
    // A market order is filled within moments; a cancel would only race its fill.
    for (const o of working) if (o.request.type !== "market") this.#cancel(w, o, 0);
    return true;
  }

  /** Runs the signals of every close whose orders have all finished; call after each report. */
  release(): void {
    if (this.#waiting.size === 0 || !this.deps.canSend()) return;
    for (const [key, w] of this.#waiting) {
      if (this.#holding(w).length > 0) continue;
      this.#waiting.delete(key);
      // A signal that must wait again (a later close behind a buy just sent) re-queues the key,
      // and takes() puts the rest behind it, still in order.
      const staleBefore = this.deps.clock.nowMicros() - STALE_AFTER_MS * 1000;
      for (const s of w.signals) {
        if (s.action !== "close" && s.time < staleBefore) this.deps.refuse(s, "stale_signal");
        else this.deps.run(s);
      }
    }
    if (this.#waiting.size === 0) this.#refused.clear();
  }

  /** Signals waiting, over every strategy and symbol. */
  get size(): number {
    let n = 0;
    for (const w of this.#waiting.values()) n += w.signals.length;
    return n;
  }

  /** The strategy's working orders in the symbol that still hold its close. */
  #holding(w: Waiting): ManagedOrder[] {
    return this.deps.open(w.symbol).filter((o) =>
      o.request.source === w.source &&
      (this.#refused.get(o.request.clientOrderId) ?? 0) <= CANCEL_RETRIES
    );
  }

  #cancel(w: Waiting, o: ManagedOrder, attempt: number): void {
    const id = o.request.clientOrderId;
    this.deps.cancel(id).catch((e) => {
      this.cancelsFailed++;
      const refused = attempt + 1;
      this.#refused.set(id, refused);
      const why = e instanceof Error ? e.message : String(e);
      if (refused > CANCEL_RETRIES) {
        this.deps.log(
          `close of ${w.symbol} by ${w.source}: cancel of ${id} refused ${refused} times (${why}); closing without waiting for it`,
        );
        this.release();
        return;
      }
      // Not logged: most refusals are of an order that has just filled, whose report follows.
      this.deps.clock.setTimer(1000 * 2 ** attempt, () => {
        // Finished meanwhile (the usual case: it had filled), or its close already ran.
        if (this.#waiting.get(keyOf(w.source, w.symbol)) !== w) return;
        if (!this.deps.open(w.symbol).includes(o)) return;
        this.#cancel(w, o, refused);
      });
    });
  }
}

function keyOf(strategyId: string, symbol: string): string {
  return `${strategyId}\u0000${symbol}`;
}
