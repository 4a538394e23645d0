/** The one-line-per-interval log summary: rates, ring state, errors and a few tops of book. */
import { formatPrice } from "../domain/instrument.ts";
import { formatCash } from "../domain/money.ts";
import type { LiveNode } from "./node.ts";

const SHOWN_SYMBOLS = 3;

/** Tracks counters between calls and formats one summary line. */
export class SummaryLine {
  #lastMessages = 0;
  #lastTime: number;

  /** Starts measuring rates from now. */
  constructor(readonly node: LiveNode) {
    this.#lastTime = node.clock.nowMicros();
  }

  /** The summary since the previous call. */
  next(): string {
    const n = this.node, e = n.engine;
    const now = n.clock.nowMicros();
    const dt = Math.max(1e-6, (now - this.#lastTime) / 1e6);
    const rate = Math.round((e.messagesIn - this.#lastMessages) / dt);
    this.#lastMessages = e.messagesIn;
    this.#lastTime = now;
    const hb = n.heartbeat();
    const tops = n.instruments.list().slice(0, SHOWN_SYMBOLS).map((inst) => {
      const b = e.books[inst.index]!;
      const bid = b.bestBid() || e.quoteBid[inst.index]!,
        ask = b.bestAsk() || e.quoteAsk[inst.index]!;
      return `${inst.symbol} ${bid > 0 ? formatPrice(inst, bid) : "-"}/${
        ask > 0 ? formatPrice(inst, ask) : "-"
      }`;
    });
    const k = n.trading?.kernel;
    const trading = k === undefined
      ? ""
      : ` orders=${k.orders.added} open=${k.orders.openCountAll()} fills=${k.fillsApplied} ` +
        `pnl=${formatCash(k.portfolio.totals().dailyPnl)} risk=${k.risk.killSwitch.state}${
          k.ready ? "" : "/not-reconciled"
        }`;
    const more = n.instruments.size > SHOWN_SYMBOLS
      ? ` +${n.instruments.size - SHOWN_SYMBOLS} more`
      : "";
    return `${
      new Date(now / 1000).toISOString().slice(11, 19)
    } ${n.venue.name}/${n.feedState} in=${rate}/s ` +
      `total=${e.messagesIn} ring=${hb.ringOccupancy}/${n.ring.capacity} dropped=${hb.ringDropped} ` +
      `conflated=${hb.ringConflated} decode_errors=${hb.decodeErrors} stale=${hb.stale.length}${trading} | ` +
      `${tops.join(" | ")}${more}`;
  }
}
