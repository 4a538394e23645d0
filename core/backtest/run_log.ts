/**
 * Every order and fill of a backtest run, kept in columns. The kernel holds only its newest
 * finished orders and fills (as it does live) and hands over the ones it forgets; holding all of
 * them as objects to the end of a long run made the collector copy each into the old generation,
 * and kept about 720 bytes of heap per order. Here an order and its fill are numbers, codes and
 * the ids' characters in typed-array chunks that are never copied, outside the collected heap.
 */
import type { InstrumentTable } from "../domain/instrument.ts";
import type { Cash } from "../domain/money.ts";
import {
  type Fill,
  ORDER_SIDES,
  ORDER_STATUSES,
  ORDER_TYPES,
  type OrderRequest,
  type OrderStatus,
  TIMES_IN_FORCE,
} from "../domain/order.ts";
import type { ManagedOrder } from "../execution/order_manager.ts";
import { BigIntColumn, RowColumn } from "./_columns.ts";
import { TextColumn } from "./_text_column.ts";

/** What a run's results say of an order: its request's plain fields, and how far it got. */
export interface LoggedOrder extends
  Pick<
    OrderRequest,
    | "clientOrderId"
    | "createdAt"
    | "symbol"
    | "side"
    | "type"
    | "tif"
    | "qty"
    | "limitPrice"
    | "stopPrice"
    | "source"
  > {
  /** Its place among the run's orders, from 1. */
  readonly seq: number;
  readonly status: OrderStatus;
  readonly filledQty: number;
}

/** `o` as the results see it. */
export function loggedOrder(o: ManagedOrder): LoggedOrder {
  const q = o.request;
  return {
    seq: o.seq,
    clientOrderId: q.clientOrderId,
    createdAt: q.createdAt,
    symbol: q.symbol,
    side: q.side,
    type: q.type,
    tif: q.tif,
    qty: q.qty,
    limitPrice: q.limitPrice,
    stopPrice: q.stopPrice,
    source: q.source,
    status: o.status,
    filledQty: o.filledQty,
  };
}

// Codes of the string fields: an index into each list.
const SIDES = ORDER_SIDES, TYPES = ORDER_TYPES, TIFS = TIMES_IN_FORCE;
const STATUSES: readonly OrderStatus[] = ORDER_STATUSES;
const LIQUIDITY: readonly Fill["liquidity"][] = ["maker", "taker"];
// A fee is kept as two signed 64-bit halves, fee = hi · 2^64 + lo: at 10^-18 units one half would
// overflow at 9.22 of quote currency, which a per-share fee on a few thousand shares passes. Beyond
// 127 bits (10^20 of currency) it is kept apart.
const HI_MIN = -(2n ** 63n), HI_MAX = 2n ** 63n - 1n;

// Fields of an order row; codes: side | type << 1 | tif << 4 | status << 7.
const O_SEQ = 0, O_CREATED = 1, O_QTY = 2, O_LIMIT = 3, O_STOP = 4, O_FILLED = 5, O_INST = 6;
const O_SOURCE = 7, O_CODES = 8, O_FIELDS = 9;
// Fields of a fill row; codes: side | liquidity << 1.
const F_QTY = 0, F_PRICE = 1, F_VENUE_TIME = 2, F_RECV_TIME = 3, F_INST = 4, F_CODES = 5;
const F_FIELDS = 6;

function code<T>(list: readonly T[], value: T, field: string): number {
  const i = list.indexOf(value);
  if (i < 0) throw new RangeError(`Cannot log ${field} ${String(value)}`);
  return i;
}

/** Orders and fills of one run, oldest first. */
export class RunLog {
  readonly #instruments: InstrumentTable;
  // Orders.
  readonly #orderIds = new TextColumn();
  /** Per order, the O_ fields. */
  readonly #orders = new RowColumn(O_FIELDS);
  readonly #sources: string[] = [];
  readonly #sourceIndex = new Map<string, number>();
  // Fills.
  readonly #fillIds = new TextColumn();
  readonly #fillOrderIds = new TextColumn();
  readonly #fillVenueIds = new TextColumn();
  /** Per fill, the F_ fields. */
  readonly #fills = new RowColumn(F_FIELDS);
  readonly #fFeeLo = new BigIntColumn();
  readonly #fFeeHi = new BigIntColumn();
  readonly #hugeFees = new Map<number, Cash>();

  /** Symbols are stored as indices into `instruments`. */
  constructor(instruments: InstrumentTable) {
    this.#instruments = instruments;
  }

  /** Orders logged. */
  get orderCount(): number {
    return this.#orderIds.size;
  }

  /** Fills logged. */
  get fillCount(): number {
    return this.#fillIds.size;
  }

  /** Logs finished orders (they change no more). */
  addOrders(orders: readonly ManagedOrder[]): void {
    for (const o of orders) this.#addOrder(o);
  }

  /** Logs fills. */
  addFills(fills: readonly Fill[]): void {
    for (const f of fills) this.#addFill(f);
  }

  /** Every order logged, oldest first. */
  orders(): LoggedOrder[] {
    const out: LoggedOrder[] = [];
    const rows = this.#orders;
    for (let i = 0; i < this.#orderIds.size; i++) {
      const c = rows.get(i, O_CODES);
      out.push({
        seq: rows.get(i, O_SEQ),
        clientOrderId: this.#orderIds.at(i),
        createdAt: rows.get(i, O_CREATED),
        symbol: this.#instruments.at(rows.get(i, O_INST)).symbol,
        side: SIDES[c & 1]!,
        type: TYPES[(c >> 1) & 7]!,
        tif: TIFS[(c >> 4) & 7]!,
        qty: rows.get(i, O_QTY),
        limitPrice: rows.get(i, O_LIMIT),
        stopPrice: rows.get(i, O_STOP),
        source: this.#sources[rows.get(i, O_SOURCE)]!,
        status: STATUSES[(c >> 7) & 15]!,
        filledQty: rows.get(i, O_FILLED),
      });
    }
    return out;
  }

  /** Every fill logged, oldest first. */
  fills(): Fill[] {
    const out: Fill[] = [];
    const rows = this.#fills;
    for (let i = 0; i < this.#fillIds.size; i++) {
      const c = rows.get(i, F_CODES);
      out.push({
        fillId: this.#fillIds.at(i),
        clientOrderId: this.#fillOrderIds.at(i),
        venueOrderId: this.#fillVenueIds.at(i),
        symbol: this.#instruments.at(rows.get(i, F_INST)).symbol,
        side: SIDES[c & 1]!,
        qty: rows.get(i, F_QTY),
        price: rows.get(i, F_PRICE),
        fee: this.#hugeFees.get(i) ?? (this.#fFeeHi.at(i) << 64n) + this.#fFeeLo.at(i),
        liquidity: LIQUIDITY[c >> 1]!,
        venueTime: rows.get(i, F_VENUE_TIME),
        recvTime: rows.get(i, F_RECV_TIME),
      });
    }
    return out;
  }

  #addOrder(o: ManagedOrder): void {
    const q = o.request;
    const inst = this.#instruments.get(q.symbol);
    if (inst === undefined) throw new RangeError(`Cannot log an order for unknown ${q.symbol}`);
    const codes = code(SIDES, q.side, "side") | code(TYPES, q.type, "type") << 1 |
      code(TIFS, q.tif, "tif") << 4 | code(STATUSES, o.status, "status") << 7;
    let source = this.#sourceIndex.get(q.source);
    if (source === undefined) {
      this.#sourceIndex.set(q.source, source = this.#sources.length);
      this.#sources.push(q.source);
    }
    this.#orderIds.push(q.clientOrderId);
    const r = this.#orders.next(), at = this.#orders.at;
    r[at + O_SEQ] = o.seq;
    r[at + O_CREATED] = q.createdAt;
    r[at + O_QTY] = q.qty;
    r[at + O_LIMIT] = q.limitPrice;
    r[at + O_STOP] = q.stopPrice;
    r[at + O_FILLED] = o.filledQty;
    r[at + O_INST] = inst.index;
    r[at + O_SOURCE] = source;
    r[at + O_CODES] = codes;
  }

  #addFill(f: Fill): void {
    const inst = this.#instruments.get(f.symbol);
    if (inst === undefined) throw new RangeError(`Cannot log a fill for unknown ${f.symbol}`);
    const codes = code(SIDES, f.side, "side") | code(LIQUIDITY, f.liquidity, "liquidity") << 1;
    const fee = f.fee;
    // Every bigint operation allocates: a zero fee (the usual backtest's) takes none.
    const lo = fee === 0n ? 0n : BigInt.asIntN(64, fee), hi = fee === lo ? 0n : (fee - lo) >> 64n;
    if (hi < HI_MIN || hi > HI_MAX) {
      this.#hugeFees.set(this.#fillIds.size, fee);
      this.#fFeeLo.push(0n);
      this.#fFeeHi.push(0n);
    } else {
      this.#fFeeLo.push(lo);
      this.#fFeeHi.push(hi);
    }
    this.#fillIds.push(f.fillId);
    this.#fillOrderIds.push(f.clientOrderId);
    this.#fillVenueIds.push(f.venueOrderId);
    const r = this.#fills.next(), at = this.#fills.at;
    r[at + F_QTY] = f.qty;
    r[at + F_PRICE] = f.price;
    r[at + F_VENUE_TIME] = f.venueTime;
    r[at + F_RECV_TIME] = f.recvTime;
    r[at + F_INST] = inst.index;
    r[at + F_CODES] = codes;
  }
}
