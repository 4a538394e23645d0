/**
 * Alpaca's order features the shared matching engine lacks, built here from plain venue orders:
 *
 * - trailing_stop: parked in the broker. Its water mark (high for a sell, low for a buy) follows
 *   the prints since submission, starting from the last print (else the touch); its stop is
 *   computed in trailing_stop.ts. A print at or through the stop triggers it: it goes to the
 *   venue as a market order. (Alpaca elects stops on prints too, and so does core/matching.)
 * - opg / cls: the sim market trades around the clock and holds no auctions, so the auction is
 *   the moment the order arrives: it goes to the venue as an IOC (market or limit), and whatever
 *   does not fill at once is canceled, as an auction order left unfilled after the open/close is.
 * - bracket / oto: the entry goes to the venue; its exit legs are "held" until it has completely
 *   filled, then go to the venue (take-profit as a limit, stop-loss as a stop or stop_limit).
 * - oco: both exits go to the venue at once; the take-profit is the parent order.
 * - Exits of one group cancel each other: when one fills, the others are cut to what is left to
 *   close (canceled at 0; a cut working leg is re-sent for the rest under a fresh venue id). When
 *   any member is canceled, expires or is rejected, the group's other open members are canceled.
 *
 * The venue reports on its own orders; translate() turns those reports into reports on the Alpaca
 * orders they work for (the Alpaca request, client order id and status), which is what the ledger
 * records and trade_updates publishes. Orders none of this applies to pass through untouched.
 */
import type { InstrumentTable } from "../../core/domain/instrument.ts";
import type { Fill, OrderRequest, OrderSide, OrderStatus } from "../../core/domain/order.ts";
import type { TradeUpdate, TradingClient } from "../../core/execution/trading_client.ts";
import { VenueError } from "../../core/execution/venue_error.ts";
import type { BookView } from "../../core/strategy/strategy.ts";
import { type OrderLedger, PARKED_ID_PREFIX } from "./order_ledger.ts";
import { movesMark, trailingStopPrice } from "./trailing_stop.ts";

/** What the advanced-order layer works with. */
export interface AdvancedOrdersDeps {
  readonly instruments: InstrumentTable;
  readonly venue: () => Promise<Pick<TradingClient, "submitOrder" | "cancelOrder">>;
  readonly ledger: OrderLedger;
  /** Last print of a symbol in ticks, 0 before the first. */
  readonly lastTrade: (symbol: string) => number;
  readonly book: (symbol: string) => BookView;
  readonly now: () => number;
  /** Records and publishes one report on an Alpaca order. */
  readonly publish: (u: TradeUpdate) => void;
  /** A client order id for a leg (Alpaca makes them up too). */
  readonly newId: () => string;
}

/** One Alpaca order this layer runs. */
interface Managed {
  readonly cid: string;
  /** The order as Alpaca shows it; a leg's qty shrinks when its sibling fills part. */
  view: OrderRequest;
  status: OrderStatus;
  filledQty: number;
  /** Stable for the order's life: the first venue order's id, or a parked one. */
  venueOrderId: string;
  /** The venue order working for it now. */
  venueCid: string | undefined;
  /** Lots its earlier venue orders filled (a cut leg is re-sent). */
  filledBefore: number;
  resends: number;
  announced: boolean;
  canceling: boolean;
  readonly group: Group | undefined;
  readonly links: { held: boolean; hwm: number; stop: number; legs: string[] };
}

/** A bracket, oco or oto order: an optional entry and the exits that cancel each other. */
interface Group {
  entry: Managed | undefined;
  readonly exits: Managed[];
  /** Lots the exits close together. */
  readonly qty: number;
}

/** True for an order this layer runs rather than the venue alone. */
export function isAdvanced(q: OrderRequest): boolean {
  return q.type === "trailing_stop" || q.tif === "opg" || q.tif === "cls" ||
    (q.orderClass ?? "simple") !== "simple";
}

const isOpen = (s: OrderStatus) => s === "pending_new" || s === "new" || s === "partially_filled";
const opposite = (side: OrderSide): OrderSide => side === "buy" ? "sell" : "buy";

/** Trailing stops, auction orders and order classes over a venue of plain orders. */
export class AdvancedOrders {
  readonly #deps: AdvancedOrdersDeps;
  readonly #byCid = new Map<string, Managed>();
  readonly #byVenueCid = new Map<string, Managed>();
  /** Venue orders this layer canceled to re-send for less: their cancel is not news. */
  readonly #internalCancels = new Set<string>();
  #trailing: Managed[] = [];
  #parkedSeq = 0;

  /** Binds the venue, the ledger and the publisher. */
  constructor(deps: AdvancedOrdersDeps) {
    this.#deps = deps;
  }

  /** Takes a new order `isAdvanced` accepted; rejects with the venue's VenueError if refused. */
  async submit(q: OrderRequest): Promise<void> {
    const cls = q.orderClass ?? "simple";
    if (cls !== "simple") return await this.#submitGroup(q);
    const m = this.#manage(q, undefined);
    if (q.type === "trailing_stop") return this.#park(m);
    try {
      // opg / cls: the auction is now (see the module doc).
      await this.#send(m, this.#venueRequest(m, m.cid, { tif: "ioc" }));
    } catch (e) {
      this.#byCid.delete(m.cid);
      throw e;
    }
  }

  /** Cancels an order of this layer; false when `cid` is not one (the venue's to cancel). */
  async cancel(cid: string): Promise<boolean> {
    const m = this.#byCid.get(cid);
    if (m === undefined) return false;
    if (!isOpen(m.status) || m.canceling) {
      throw new VenueError("invalid_request", `order ${cid} is ${m.status}`);
    }
    if (m.venueCid !== undefined) {
      m.canceling = true;
      try {
        await (await this.#deps.venue()).cancelOrder(m.venueCid);
      } finally {
        m.canceling = false;
      }
      return true;
    }
    const out: TradeUpdate[] = [];
    this.#cancelMember(m, out);
    if (m.group !== undefined) this.#endGroup(m.group, out);
    for (const u of out) this.#deps.publish(u);
    return true;
  }

  /** A print: trailing stops of `symbol` move their mark and may trigger. */
  onTrade(symbol: string, price: number): void {
    if (this.#trailing.length === 0) return; // every print lands here: stay cheap
    let triggered: Managed[] | undefined;
    for (const m of this.#trailing) {
      if (m.view.symbol !== symbol) continue;
      this.#mark(m, price);
      const hit = m.view.side === "sell" ? price <= m.links.stop : price >= m.links.stop;
      if (hit) (triggered ??= []).push(m);
    }
    if (triggered === undefined) return;
    this.#trailing = this.#trailing.filter((m) => !triggered.includes(m));
    for (const m of triggered) {
      void this.#sendOrReject(m, this.#venueRequest(m, m.cid, { type: "market", stopPrice: 0 }));
    }
  }

  /** The reports on Alpaca orders that a venue report `u` amounts to (often just `u`). */
  translate(u: TradeUpdate): TradeUpdate[] {
    const vcid = u.order.clientOrderId;
    const m = this.#byVenueCid.get(vcid);
    if (m === undefined) return [u];
    const out: TradeUpdate[] = [];
    if (u.event === "accepted") {
      if (m.venueOrderId === "") m.venueOrderId = u.order.venueOrderId;
      if (m.announced) return out; // a triggered stop or a re-sent leg: Alpaca says nothing
      m.announced = true;
      m.status = "new";
      // The legs become orders of their own once their parent is accepted, held or working.
      for (const cid of m.links.legs) this.#record(this.#byCid.get(cid)!);
      out.push(this.#view(m, "accepted"));
    } else if (u.event === "fill" || u.event === "partial_fill") {
      if (u.order.status === "filled") this.#detach(m, vcid);
      m.filledQty = m.filledBefore + u.order.filledQty;
      const done = m.filledQty >= m.view.qty;
      m.status = done ? "filled" : "partially_filled";
      out.push(this.#view(m, done ? "fill" : "partial_fill", u.fill));
      if (m.group !== undefined) this.#afterFill(m, m.group, out);
    } else if (u.event === "canceled" || u.event === "expired" || u.event === "rejected") {
      this.#detach(m, vcid);
      if (this.#internalCancels.delete(vcid)) return out;
      m.status = u.event;
      out.push(this.#view(m, u.event));
      if (m.group !== undefined) this.#endGroup(m.group, out);
    }
    // "replaced" cannot happen: the server refuses to replace these orders.
    return out;
  }

  async #submitGroup(q: OrderRequest): Promise<void> {
    const cls = q.orderClass!;
    const group: Group = { entry: undefined, exits: [], qty: q.qty };
    const parent = this.#manage(q, group);
    const exitSide = cls === "oco" ? q.side : opposite(q.side);
    const leg = (type: OrderRequest["type"], limitPrice: number, stopPrice: number) => {
      const m = this.#manage({
        clientOrderId: this.#deps.newId(),
        symbol: q.symbol,
        side: exitSide,
        type,
        tif: q.tif,
        qty: q.qty,
        limitPrice,
        stopPrice,
        source: q.source,
        createdAt: q.createdAt,
        orderClass: cls,
      }, group);
      m.venueOrderId = this.#parkedId();
      m.links.held = cls !== "oco";
      group.exits.push(m);
      parent.links.legs.push(m.cid);
      return m;
    };
    if (cls === "oco") group.exits.push(parent); // the take-profit is the parent
    else group.entry = parent;
    if (q.takeProfit !== undefined && cls !== "oco") leg("limit", q.takeProfit.limitPrice, 0);
    const sl = q.stopLoss;
    if (sl !== undefined) {
      leg(sl.limitPrice === undefined ? "stop" : "stop_limit", sl.limitPrice ?? 0, sl.stopPrice);
    }
    try {
      await this.#send(parent, this.#venueRequest(parent, parent.cid, {}));
    } catch (e) {
      for (const m of [parent, ...group.exits]) this.#byCid.delete(m.cid);
      throw e;
    }
    if (cls === "oco") await this.#activate(group);
  }

  /** A new Managed for `view`, its live links noted for the ledger. */
  #manage(view: OrderRequest, group: Group | undefined): Managed {
    const m: Managed = {
      cid: view.clientOrderId,
      view,
      status: "pending_new",
      filledQty: 0,
      venueOrderId: "",
      venueCid: undefined,
      filledBefore: 0,
      resends: 0,
      announced: false,
      canceling: false,
      group,
      links: { held: false, hwm: 0, stop: 0, legs: [] },
    };
    this.#byCid.set(m.cid, m);
    this.#deps.ledger.link(m.cid, m.links);
    return m;
  }

  /**
   * Makes or refreshes `m`'s ledger record without a report: a leg exists before Alpaca reports
   * it (when it goes to work), and a cut leg changes size silently.
   */
  #record(m: Managed): void {
    this.#deps.ledger.apply(this.#view(m, "accepted"), this.#deps.now());
  }

  /** Holds a trailing stop here and reports it new. */
  #park(m: Managed): void {
    const q = m.view;
    const book = this.#deps.book(q.symbol);
    const first = this.#deps.lastTrade(q.symbol) ||
      (q.side === "sell" ? book.bestBid() : book.bestAsk());
    if (first > 0) this.#mark(m, first);
    m.venueOrderId = this.#parkedId();
    m.status = "new";
    m.announced = true;
    this.#trailing.push(m);
    this.#deps.publish(this.#view(m, "accepted"));
  }

  /** Moves a trailing stop's water mark to `price` if it is better, and its stop with it. */
  #mark(m: Managed, price: number): void {
    const q = m.view;
    if (!movesMark(q.side, m.links.hwm, price)) return;
    m.links.hwm = price;
    m.links.stop = trailingStopPrice(this.#deps.instruments.get(q.symbol)!, q.side, price, q);
  }

  /** Sends the exits of a group whose entry filled (or an oco's at once). */
  async #activate(g: Group): Promise<void> {
    for (const e of g.exits) {
      if (e.venueCid !== undefined || !isOpen(e.status)) continue;
      e.links.held = false;
      const left = g.qty - this.#exitFills(g);
      if (left <= 0) {
        const out: TradeUpdate[] = [];
        this.#cancelMember(e, out);
        for (const u of out) this.#deps.publish(u);
        continue;
      }
      if (e.view.qty - e.filledQty > left) e.view = { ...e.view, qty: e.filledQty + left };
      await this.#sendOrReject(e, this.#venueRequest(e, e.cid, { qty: e.view.qty - e.filledQty }));
    }
  }

  #afterFill(m: Managed, g: Group, out: TradeUpdate[]): void {
    if (m === g.entry) {
      if (m.status === "filled") void this.#activate(g);
      return;
    }
    // An exit filled (part): the others may close only what is left.
    const left = g.qty - this.#exitFills(g);
    for (const e of g.exits) {
      if (e === m || !isOpen(e.status)) continue;
      if (left <= 0) this.#cancelMember(e, out);
      else if (e.view.qty - e.filledQty > left) void this.#cut(e, g);
    }
  }

  /** Shrinks exit `e` to what is left to close; a working one is canceled and re-sent. */
  async #cut(e: Managed, g: Group): Promise<void> {
    const old = e.venueCid;
    if (old !== undefined) {
      if (e.canceling) return;
      this.#internalCancels.add(old);
      e.canceling = true;
      try {
        await (await this.#deps.venue()).cancelOrder(old);
      } catch {
        this.#internalCancels.delete(old); // it finished first
        return;
      } finally {
        e.canceling = false;
      }
    }
    const left = g.qty - this.#exitFills(g);
    if (!isOpen(e.status)) return;
    if (left <= 0) {
      const out: TradeUpdate[] = [];
      this.#cancelMember(e, out);
      for (const u of out) this.#deps.publish(u);
      return;
    }
    e.view = { ...e.view, qty: e.filledQty + left };
    this.#record(e); // Alpaca shows the cut leg at its new size, with no report of its own
    if (old === undefined) return; // held: it goes out at the new size when activated
    e.filledBefore = e.filledQty;
    e.resends++;
    await this.#sendOrReject(e, this.#venueRequest(e, `${e.cid}.${e.resends}`, { qty: left }));
  }

  /** Cancels every other open member of a group one of whose members ended unfilled. */
  #endGroup(g: Group, out: TradeUpdate[]): void {
    for (const m of [...(g.entry === undefined ? [] : [g.entry]), ...g.exits]) {
      if (isOpen(m.status)) this.#cancelMember(m, out);
    }
  }

  /** Cancels `m`: at once if nothing works for it at the venue, else by a venue cancel. */
  #cancelMember(m: Managed, out: TradeUpdate[]): void {
    if (m.venueCid === undefined) {
      m.status = "canceled";
      m.links.held = false;
      this.#trailing = this.#trailing.filter((t) => t !== m);
      out.push(this.#view(m, "canceled"));
      return;
    }
    if (m.canceling) return;
    m.canceling = true;
    const vcid = m.venueCid;
    void this.#deps.venue().then((v) => v.cancelOrder(vcid)).catch(() => {
      // It finished at the venue first; that report says what happened.
    }).finally(() => m.canceling = false);
  }

  /** Sends `req` for `m`; a refusal makes `m` rejected (and ends its group). */
  async #sendOrReject(m: Managed, req: OrderRequest): Promise<void> {
    try {
      await this.#send(m, req);
    } catch (e) {
      if (!(e instanceof VenueError)) throw e;
      const out: TradeUpdate[] = [];
      m.status = "rejected";
      out.push(this.#view(m, "rejected"));
      if (m.group !== undefined) this.#endGroup(m.group, out);
      for (const u of out) this.#deps.publish(u);
    }
  }

  /** Puts `req` to the venue on behalf of `m`; its reports come back through translate(). */
  async #send(m: Managed, req: OrderRequest): Promise<void> {
    const venue = await this.#deps.venue();
    this.#byVenueCid.set(req.clientOrderId, m);
    m.venueCid = req.clientOrderId;
    try {
      await venue.submitOrder(req);
    } catch (e) {
      this.#detach(m, req.clientOrderId);
      throw e;
    }
  }

  #detach(m: Managed, vcid: string): void {
    this.#byVenueCid.delete(vcid);
    if (m.venueCid === vcid) m.venueCid = undefined;
  }

  #exitFills(g: Group): number {
    return g.exits.reduce((sum, e) => sum + e.filledQty, 0);
  }

  /** The plain venue order that works for `m`: no trail, auction or class fields. */
  #venueRequest(m: Managed, cid: string, over: Partial<OrderRequest>): OrderRequest {
    const v = m.view;
    return {
      clientOrderId: cid,
      symbol: v.symbol,
      side: v.side,
      type: v.type,
      tif: v.tif,
      qty: v.qty - m.filledQty,
      limitPrice: v.limitPrice,
      stopPrice: v.stopPrice,
      source: v.source,
      createdAt: v.createdAt,
      ...over,
    };
  }

  #parkedId(): string {
    return `${PARKED_ID_PREFIX}-${++this.#parkedSeq}`;
  }

  /** The report on Alpaca order `m` now. */
  #view(m: Managed, event: TradeUpdate["event"], fill?: Fill): TradeUpdate {
    const order = {
      clientOrderId: m.cid,
      venueOrderId: m.venueOrderId,
      request: m.view,
      status: m.status,
      filledQty: m.filledQty,
      updatedAt: this.#deps.now(),
    };
    if (fill === undefined) return { event, order };
    return { event, order, fill: { ...fill, clientOrderId: m.cid, venueOrderId: m.venueOrderId } };
  }
}
