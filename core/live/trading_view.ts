/** The TradingView the HTTP functions read and drive, over a live node's trading loop. */
import type { PlaceOrderResult, TradingView } from "../../functions/core_view.ts";
import type {
  FillJson,
  ManualOrderBody,
  OrderJson,
  PnlJson,
  PositionJson,
} from "../../schemas/http.ts";
import { FixedPointError } from "../domain/fixed_point.ts";
import {
  formatPrice,
  formatQty,
  type Instrument,
  type InstrumentTable,
  parsePrice,
  parseQty,
} from "../domain/instrument.ts";
import { formatCash } from "../domain/money.ts";
import type { OrderRequest } from "../domain/order.ts";
import type { ManagedOrder } from "../execution/order_manager.ts";
import type { KillSwitchState } from "../risk/kill_switch.ts";
import type { Trading } from "./trading_setup.ts";

/** TradingView over a running trading loop. */
export class LiveTradingView implements TradingView {
  /** Binds to the node's trading loop and instruments. */
  constructor(readonly trading: Trading, readonly instruments: InstrumentTable) {}

  /** True for a configured symbol. */
  knowsSymbol(symbol: string): boolean {
    return this.instruments.get(symbol) !== undefined;
  }

  /** Non-flat positions. */
  positions(): PositionJson[] {
    return this.trading.kernel.portfolio.positions().map((p) => {
      const inst = this.instruments.get(p.symbol)!;
      return {
        symbol: p.symbol,
        qty: formatQty(inst, p.qty),
        avg_price: formatPrice(inst, p.avgPrice),
        market_value: formatCash(p.marketValue),
        cost_basis: formatCash(p.costBasis),
        unrealized_pnl: formatCash(p.unrealized),
        realized_pnl: formatCash(p.realized),
        fees: formatCash(p.fees),
      };
    });
  }

  /** Orders newest first. */
  orders(filter: { status?: string; symbol?: string; limit: number }): OrderJson[] {
    const m = this.trading.kernel.orders;
    const list = filter.status === "open"
      ? m.open(filter.symbol).slice(-filter.limit).reverse()
      : m.list({
        status: filter.status as ManagedOrder["status"] | undefined,
        symbol: filter.symbol,
        limit: filter.limit,
      });
    return list.map((o) => this.#order(o));
  }

  /** Fills newest first. */
  fills(filter: { symbol?: string; limit: number }): FillJson[] {
    const out: FillJson[] = [];
    const all = this.trading.kernel.fills;
    for (let i = all.length - 1; i >= 0 && out.length < filter.limit; i--) {
      const f = all[i]!;
      if (filter.symbol !== undefined && f.symbol !== filter.symbol) continue;
      const inst = this.instruments.get(f.symbol)!;
      out.push({
        fill_id: f.fillId,
        client_order_id: f.clientOrderId,
        symbol: f.symbol,
        side: f.side,
        qty: formatQty(inst, f.qty),
        price: formatPrice(inst, f.price),
        fee: formatCash(f.fee),
        liquidity: f.liquidity,
        time: f.venueTime,
      });
    }
    return out;
  }

  /** Cash, equity and P&L, exact decimal strings. */
  pnl(): PnlJson {
    const pf = this.trading.kernel.portfolio;
    const t = pf.totals();
    return {
      cash: formatCash(t.cash),
      equity: formatCash(t.equity),
      realized: formatCash(t.realized),
      unrealized: formatCash(t.unrealized),
      fees: formatCash(t.fees),
      daily_pnl: formatCash(t.dailyPnl),
      session_start: pf.sessionStart ?? null,
      by_symbol: this.instruments.list().map((inst) => {
        const p = pf.position(inst.symbol);
        return {
          symbol: inst.symbol,
          realized: formatCash(p.realized),
          unrealized: formatCash(p.unrealized),
        };
      }),
    };
  }

  /** Limits, usage, rejections by reason and the kill switch. */
  risk(): Record<string, unknown> {
    const k = this.trading.kernel;
    const now = k.deps.clock.nowMicros();
    const ks = k.risk.killSwitch;
    return {
      kill_switch: { state: ks.state, reason: ks.reason, since: ks.since },
      ready: k.ready,
      approvals: k.risk.approvals(),
      rejections: k.risk.rejections(),
      execution_rejections: Object.fromEntries(k.refusals),
      daily_loss_limit: formatCash(k.deps.limits.maxDailyLoss),
      max_drawdown: formatCash(k.deps.limits.maxDrawdown),
      max_orders_per_second: k.deps.limits.maxOrdersPerSecond,
      symbols: this.instruments.list().map((inst) => {
        const u = k.risk.usage(inst.index, now);
        return {
          symbol: u.symbol,
          position_value: formatCash(u.positionValue),
          max_position_value: formatCash(u.maxPositionValue),
          max_order_value: formatCash(k.deps.limits.maxOrderValue[inst.index]!.cash),
          max_quantity: formatQty(inst, k.deps.limits.maxQuantity[inst.index]!),
          price_collar_bps: k.deps.limits.priceCollarBps[inst.index]!,
          short_selling: k.deps.limits.shortSelling[inst.index] === 1,
          open_orders: u.openOrders,
          max_open_orders: u.maxOpenOrders,
          orders_last_second: u.ordersLastSecond,
        };
      }),
    };
  }

  /** Sets the kill switch durably. */
  async setKillSwitch(state: KillSwitchState, reason: string): Promise<Record<string, unknown>> {
    const changed = await this.trading.kernel.setKillSwitch(state, reason);
    const ks = this.trading.kernel.risk.killSwitch;
    return { state: ks.state, reason: ks.reason, since: ks.since, changed };
  }

  /** A manual order through slippage and risk, then the venue. */
  async placeOrder(body: ManualOrderBody): Promise<PlaceOrderResult> {
    const k = this.trading.kernel;
    const inst = this.instruments.get(body.symbol);
    if (inst === undefined) {
      return {
        kind: "refused",
        status: 404,
        code: "unknown_symbol",
        message: `unknown symbol '${body.symbol}'`,
        field: "symbol",
      };
    }
    // One message for every quantity that is not positive (a negative one would otherwise be
    // refused by the parser as "must be >= 0", which zero is).
    const notPositive = {
      kind: "refused",
      status: 400,
      code: "invalid_body",
      message: `'qty' must be > 0, got ${body.qty}`,
      field: "qty",
    } as const;
    if (body.qty.trimStart().startsWith("-")) return notPositive;
    let qty: number, limitPrice = 0;
    try {
      qty = parseQty(inst, body.qty, "qty");
      if (body.limit_price !== undefined) {
        limitPrice = parsePrice(inst, body.limit_price, "limit_price");
      }
    } catch (e) {
      if (e instanceof FixedPointError) {
        return {
          kind: "refused",
          status: 400,
          code: "invalid_body",
          message: e.message,
          field: e.field,
        };
      }
      throw e;
    }
    if (qty <= 0) return notPositive;
    const request: OrderRequest = {
      clientOrderId: k.deps.ids.next(),
      symbol: inst.symbol,
      side: body.side,
      type: body.type,
      tif: body.tif,
      qty,
      limitPrice: body.type === "limit" ? limitPrice : 0,
      stopPrice: 0,
      source: "manual",
      createdAt: k.deps.clock.nowMicros(),
    };
    const reason = k.check(request, inst);
    if (reason !== "") {
      k.deps.bus.publish("risk.rejected", { request, reason });
      return {
        kind: "refused",
        status: 422,
        code: reason,
        message: `order refused by ${
          reason === "not_reconciled" ? "start-up reconciliation" : "risk"
        }: ${reason}`,
      };
    }
    k.deps.bus.publish("risk.approved", { request });
    const order = await k.submit(request);
    return { kind: "submitted", order: this.#order(order) };
  }

  #order(o: ManagedOrder): OrderJson {
    const inst: Instrument = this.instruments.get(o.request.symbol)!;
    const r = o.request;
    return {
      client_order_id: r.clientOrderId,
      venue_order_id: o.venueOrderId,
      symbol: r.symbol,
      side: r.side,
      type: r.type,
      tif: r.tif,
      qty: formatQty(inst, r.qty),
      filled_qty: formatQty(inst, o.filledQty),
      limit_price: r.limitPrice > 0 ? formatPrice(inst, r.limitPrice) : null,
      stop_price: r.stopPrice > 0 ? formatPrice(inst, r.stopPrice) : null,
      status: o.status,
      source: r.source,
      reason: o.reason,
      created_at: r.createdAt,
      updated_at: o.updatedAt,
    };
  }
}
