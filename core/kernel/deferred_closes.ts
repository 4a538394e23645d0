/**
 * Closes that wait for the closing strategy's orders in flight. A position moves only when a fill
 * is applied, after its journal write, so a strategy can decide to get out while its entry is
 * still on its way: closing the filled position then would close nothing and leave the entry to
 * land afterwards, a position the strategy no longer wants. Instead the close waits: the strategy's
 * resting (limit and stop) orders in the symbol are cancelled, its market orders are left to finish,
 * and once none is working the close flattens whatever position they left. Signals the same
 * strategy emits for the symbol meanwhile queue behind the close and run after it, in order.
 */
import type { Signal } from "../domain/order.ts";
import type { ManagedOrder } from "../execution/order_manager.ts";

/** What the queue needs of the kernel. */
export interface DeferredClosesDeps {
  /** Working (not finished) orders of `symbol`. */
  readonly open: (symbol: string) => readonly ManagedOrder[];
  /** Requests cancellation of a working order. */
  readonly cancel: (clientOrderId: string) => Promise<void>;
  /** Runs a signal as if just emitted. */
  readonly run: (signal: Signal) => void;
  readonly log: (line: string) => void;
}

interface Waiting {
  readonly source: string;
  readonly symbol: string;
  readonly signals: Signal[];
}

/** Per strategy and symbol, the signals held behind a close. */
export class DeferredCloses {
  readonly #waiting = new Map<string, Waiting>();
  /** Closes that had to wait for orders in flight. */
  deferred = 0;
  /** Cancels of resting orders a close asked for that the venue refused (usually: already filled). */
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
    // Entries with nothing waiting (the per-order path) build no key.
    if (signal.action !== "close" && this.#waiting.size === 0) return false;
    const key = keyOf(signal);
    const waiting = this.#waiting.get(key);
    if (waiting !== undefined) {
      waiting.signals.push(signal);
      return true;
    }
    if (signal.action !== "close") return false;
    const working = this.#working(signal.strategyId, signal.symbol);
    if (working.length === 0) return false;
    this.#waiting.set(key, {
      source: signal.strategyId,
      symbol: signal.symbol,
      signals: [signal],
    });
    this.deferred++;
    for (const o of working) {
      // A market order is filled within moments; a cancel would only race its fill.
      if (o.request.type === "market") continue;
      this.deps.cancel(o.request.clientOrderId).catch((e) => {
        this.cancelsFailed++;
        this.deps.log(
          `close of ${signal.symbol} by ${signal.strategyId}: cancel of ${o.request.clientOrderId} failed (${
            e instanceof Error ? e.message : String(e)
          })`,
        );
      });
    }
    return true;
  }

  /** Runs the signals of every close whose orders have all finished; call after each report. */
  release(): void {
    if (this.#waiting.size === 0) return;
    for (const [key, w] of this.#waiting) {
      if (this.#working(w.source, w.symbol).length > 0) continue;
      this.#waiting.delete(key);
      // A signal that must wait again (a later close behind a buy just sent) re-queues the key,
      // and takes() puts the rest behind it, still in order.
      for (const s of w.signals) this.deps.run(s);
    }
  }

  /** Signals waiting, over every strategy and symbol. */
  get size(): number {
    let n = 0;
    for (const w of this.#waiting.values()) n += w.signals.length;
    return n;
  }

  #working(source: string, symbol: string): ManagedOrder[] {
    return this.deps.open(symbol).filter((o) => o.request.source === source);
  }
}

function keyOf(signal: Signal): string {
  return `${signal.strategyId}\u0000${signal.symbol}`;
}
