/**
 * Live venue reports for orders the kernel does not hold: a bracket's exit leg (the venue makes
 * it, with an id of its own), an order placed at the broker by hand, or a repeat of a fill whose
 * order was forgotten. One that moved the account or works at the venue (accepted, filled) is
 * adopted, if the kernel's deps allow it: trading on without it would judge risk on a stale
 * position until the next restart. A refusal or cancel of an unknown order changes nothing.
 */
import type { Fill, OrderRequest } from "../domain/order.ts";
import type { ManagedOrder, OrderManager } from "../execution/order_manager.ts";
import type { TradeUpdate } from "../execution/trading_client.ts";
import type { KernelDeps } from "./kernel_deps.ts";

/** What to do with such a report, and the line that says so. */
export interface ForeignReportVerdict {
  readonly adopt: boolean;
  readonly line: string;
  /** For `system.reconcile`, when adopted. */
  readonly detail: string;
}

/** The verdict on `u`; `applied`: its fill (if any) is one the kernel already applied. */
export function foreignReportVerdict(
  u: TradeUpdate,
  deps: Pick<KernelDeps, "adoptUnknownOrders" | "instruments">,
  applied: boolean,
): ForeignReportVerdict {
  const id = u.order.clientOrderId, symbol = u.order.request.symbol;
  if (applied) {
    const line = `venue report for forgotten order ${id} (${u.event}) repeats an applied fill`;
    return { adopt: false, line, detail: "" };
  }
  const moves = u.event === "accepted" || u.event === "fill" || u.event === "partial_fill";
  if (!moves || deps.adoptUnknownOrders !== true || deps.instruments.get(symbol) === undefined) {
    return {
      adopt: false,
      line: `venue report for unknown order ${id} (${u.event}) ignored`,
      detail: "",
    };
  }
  const detail = `${id} first seen in a venue report (${u.event}); adopted`;
  return { adopt: true, line: `venue report: ${symbol}: ${detail}`, detail };
}

/** What adoptReported needs of the kernel. */
export interface AdoptingKernel {
  readonly deps: KernelDeps;
  /** Counts every report this is called for. */
  unknownOrderReports: number;
  readonly orders: OrderManager;
  hasFill(fill: Fill): boolean;
  adopt(request: OrderRequest): void;
}

/** Adopts the order of `u`, a live report of an order `k` does not hold, when the verdict allows. */
export function adoptReported(k: AdoptingKernel, u: TradeUpdate): ManagedOrder | undefined {
  k.unknownOrderReports++;
  const v = foreignReportVerdict(u, k.deps, u.fill !== undefined && k.hasFill(u.fill));
  k.deps.log(v.line);
  if (!v.adopt) return undefined;
  k.adopt(u.order.request);
  const symbol = u.order.request.symbol;
  k.deps.bus.publish("system.reconcile", { kind: "unknown_venue_order", symbol, detail: v.detail });
  return k.orders.get(u.order.clientOrderId);
}
