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
import { BigIntColumn, NumberColumn } from "./_columns.ts";
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
  readonly #oSeq = new NumberColumn();
  readonly #oCreated = new NumberColumn();
  readonly #oQty = new NumberColumn();
  readonly #oLimit = new NumberColumn();
  readonly #oStop = new NumberColumn();
  readonly #oFilled = new NumberColumn();
  readonly #oInst = new NumberColumn(Int32Array);
  readonly #oSource = new NumberColumn(Int32Array);
  /** side | type << 1 | tif << 4 | status << 7. */
  readonly #oCodes = new NumberColumn(Int32Array);
  readonly #sources: string[] = [];
  readonly #sourceIndex = new Map<string, number>();
  // Fills.
  readonly #fillIds = new TextColumn();
  readonly #fillOrderIds = new TextColumn();
  readonly #fillVenueIds = new TextColumn();
  readonly #fQty = new NumberColumn();
  readonly #fPrice = new NumberColumn();
  readonly #fVenueTime = new NumberColumn();
  readonly #fRecvTime = new NumberColumn();
  readonly #fInst = new NumberColumn(Int32Array);
  /** side | liquidity << 1. */
  readonly #fCodes = new NumberColumn(Int32Array);
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
    for (let i = 0; i < this.#orderIds.size; i++) {
      const c = this.#oCodes.at(i);
      out.push({
        seq: this.#oSeq.at(i),
        clientOrderId: this.#orderIds.at(i),
        createdAt: this.#oCreated.at(i),
        symbol: this.#instruments.at(this.#oInst.at(i)).symbol,
        side: SIDES[c & 1]!,
        type: TYPES[(c >> 1) & 7]!,
        tif: TIFS[(c >> 4) & 7]!,
        qty: this.#oQty.at(i),
        limitPrice: this.#oLimit.at(i),
        stopPrice: this.#oStop.at(i),
        source: this.#sources[this.#oSource.at(i)]!,
        status: STATUSES[(c >> 7) & 15]!,
        filledQty: this.#oFilled.at(i),
      });
    }
    return out;
  }

  /** Every fill logged, oldest first. */
  fills(): Fill[] {
    const out: Fill[] = [];
    for (let i = 0; i < this.#fillIds.size; i++) {
      const c = this.#fCodes.at(i);
      out.push({
        fillId: this.#fillIds.at(i),
        clientOrderId: this.#fillOrderIds.at(i),
        venueOrderId: this.#fillVenueIds.at(i),
        symbol: this.#instruments.at(this.#fInst.at(i)).symbol,
        side: SIDES[c & 1]!,
        qty: this.#fQty.at(i),
        price: this.#fPrice.at(i),
        fee: this.#hugeFees.get(i) ?? (this.#fFeeHi.at(i) << 64n) + this.#fFeeLo.at(i),
        liquidity: LIQUIDITY[c >> 1]!,
        venueTime: this.#fVenueTime.at(i),
        recvTime: this.#fRecvTime.at(i),
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
    this.#oSeq.push(o.seq);
    this.#oCreated.push(q.createdAt);
    this.#oQty.push(q.qty);
    this.#oLimit.push(q.limitPrice);
    this.#oStop.push(q.stopPrice);
    this.#oFilled.push(o.filledQty);
    this.#oInst.push(inst.index);
    this.#oSource.push(source);
    this.#oCodes.push(codes);
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
    this.#fQty.push(f.qty);
    this.#fPrice.push(f.price);
    this.#fVenueTime.push(f.venueTime);
    this.#fRecvTime.push(f.recvTime);
    this.#fInst.push(inst.index);
    this.#fCodes.push(codes);
  }
}
