/**
 * Venue reports, applied one at a time in arrival order. A report is applied at once when nothing
 * is queued ahead of it and it needs no durable write first (always so in a backtest: no promise
 * per report); otherwise it waits behind the queue, and a fill behind its own journal write.
 */
import type { TradeUpdate } from "../execution/trading_client.ts";

/** How a report is applied, and what to do when that throws. */
export interface ReportHandlers {
  /** Applies `u` synchronously (nothing to make durable). */
  readonly now: (u: TradeUpdate) => void;
  /** Applies `u` after whatever must be durable first (a fill's journal write). */
  readonly durably: (u: TradeUpdate) => Promise<void>;
  /** True when `u` must go through `durably`. */
  readonly needsWrite: (u: TradeUpdate) => boolean;
  /** A report that could not be applied (counted and logged by the owner). */
  readonly failed: (error: unknown) => void;
}

/** Sequences venue reports. */
export class ReportSequencer {
  #tail: Promise<void> = Promise.resolve();
  #queued = 0;

  /** Applies reports through `handlers`. */
  constructor(readonly handlers: ReportHandlers) {}

  /** Reports waiting in the queue. */
  get queued(): number {
    return this.#queued;
  }

  /** Applies `u` now, or queues it; the promise (if any) settles once it is applied. */
  push(u: TradeUpdate): void | Promise<void> {
    const h = this.handlers;
    if (this.#queued === 0 && !h.needsWrite(u)) {
      try {
        h.now(u);
      } catch (e) {
        h.failed(e);
      }
      return;
    }
    this.#queued++;
    const next = this.#tail.then(() => h.durably(u)).catch((e) => h.failed(e)).finally(() =>
      this.#queued--
    );
    this.#tail = next;
    return next;
  }

  /** Resolves when every queued report has been applied. */
  settled(): Promise<void> {
    return this.#tail;
  }
}
