/**
 * Every order and fill of a backtest run, kept in columns. The kernel holds only its newest
 * finished orders and fills (as it does live) and hands over the ones it forgets; holding all of
 * them as objects to the end of a long run cost the collector most of an order's round trip
 * (each survives into the old generation) and several kilobytes of heap per order. A row here is
 * about a hundred bytes: numbers, codes, and the ids' characters.
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
import { grown, TextColumn } from "./_text_column.ts";

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
// A fee is kept as its low 64 bits (unsigned) and the rest (signed): 10^-18 units overflow 64 bits
// at 9.22 of quote currency, which a per-share fee on a few thousand shares passes. Beyond 127 bits
// (10^20 of currency) it is kept apart.
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
  #oCap = 64;
  #oSeq = new Float64Array(64);
  #oCreated = new Float64Array(64);
  #oQty = new Float64Array(64);
  #oLimit = new Float64Array(64);
  #oStop = new Float64Array(64);
  #oFilled = new Float64Array(64);
  #oInst = new Int32Array(64);
  #oSource = new Int32Array(64);
  /** side | type << 1 | tif << 4 | status << 7. */
  #oCodes = new Int32Array(64);
  readonly #sources: string[] = [];
  readonly #sourceIndex = new Map<string, number>();
  // Fills.
  readonly #fillIds = new TextColumn();
  readonly #fillOrderIds = new TextColumn();
  readonly #fillVenueIds = new TextColumn();
  #fCap = 64;
  #fQty = new Float64Array(64);
  #fPrice = new Float64Array(64);
  #fVenueTime = new Float64Array(64);
  #fRecvTime = new Float64Array(64);
  #fInst = new Int32Array(64);
  /** side | liquidity << 1. */
  #fCodes = new Uint8Array(64);
  #fFeeLo = new BigUint64Array(64);
  #fFeeHi = new BigInt64Array(64);
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
      const c = this.#oCodes[i]!;
      out.push({
        seq: this.#oSeq[i]!,
        clientOrderId: this.#orderIds.at(i),
        createdAt: this.#oCreated[i]!,
        symbol: this.#instruments.at(this.#oInst[i]!).symbol,
        side: SIDES[c & 1]!,
        type: TYPES[(c >> 1) & 7]!,
        tif: TIFS[(c >> 4) & 7]!,
        qty: this.#oQty[i]!,
        limitPrice: this.#oLimit[i]!,
        stopPrice: this.#oStop[i]!,
        source: this.#sources[this.#oSource[i]!]!,
        status: STATUSES[(c >> 7) & 15]!,
        filledQty: this.#oFilled[i]!,
      });
    }
    return out;
  }

  /** Every fill logged, oldest first. */
  fills(): Fill[] {
    const out: Fill[] = [];
    for (let i = 0; i < this.#fillIds.size; i++) {
      const c = this.#fCodes[i]!;
      out.push({
        fillId: this.#fillIds.at(i),
        clientOrderId: this.#fillOrderIds.at(i),
        venueOrderId: this.#fillVenueIds.at(i),
        symbol: this.#instruments.at(this.#fInst[i]!).symbol,
        side: SIDES[c & 1]!,
        qty: this.#fQty[i]!,
        price: this.#fPrice[i]!,
        fee: this.#hugeFees.get(i) ?? (this.#fFeeHi[i]! << 64n) + this.#fFeeLo[i]!,
        liquidity: LIQUIDITY[c >> 1]!,
        venueTime: this.#fVenueTime[i]!,
        recvTime: this.#fRecvTime[i]!,
      });
    }
    return out;
  }

  #addOrder(o: ManagedOrder): void {
    const q = o.request, i = this.#orderIds.size;
    const inst = this.#instruments.get(q.symbol);
    if (inst === undefined) throw new RangeError(`Cannot log an order for unknown ${q.symbol}`);
    if (i === this.#oCap) this.#growOrders();
    let source = this.#sourceIndex.get(q.source);
    if (source === undefined) {
      this.#sourceIndex.set(q.source, source = this.#sources.length);
      this.#sources.push(q.source);
    }
    this.#orderIds.push(q.clientOrderId);
    this.#oSeq[i] = o.seq;
    this.#oCreated[i] = q.createdAt;
    this.#oQty[i] = q.qty;
    this.#oLimit[i] = q.limitPrice;
    this.#oStop[i] = q.stopPrice;
    this.#oFilled[i] = o.filledQty;
    this.#oInst[i] = inst.index;
    this.#oSource[i] = source;
    this.#oCodes[i] = code(SIDES, q.side, "side") | code(TYPES, q.type, "type") << 1 |
      code(TIFS, q.tif, "tif") << 4 | code(STATUSES, o.status, "status") << 7;
  }

  #addFill(f: Fill): void {
    const i = this.#fillIds.size;
    const inst = this.#instruments.get(f.symbol);
    if (inst === undefined) throw new RangeError(`Cannot log a fill for unknown ${f.symbol}`);
    if (i === this.#fCap) this.#growFills();
    this.#fillIds.push(f.fillId);
    this.#fillOrderIds.push(f.clientOrderId);
    this.#fillVenueIds.push(f.venueOrderId);
    this.#fQty[i] = f.qty;
    this.#fPrice[i] = f.price;
    this.#fVenueTime[i] = f.venueTime;
    this.#fRecvTime[i] = f.recvTime;
    this.#fInst[i] = inst.index;
    this.#fCodes[i] = code(SIDES, f.side, "side") | code(LIQUIDITY, f.liquidity, "liquidity") << 1;
    const fee = f.fee;
    if (fee === 0n) return; // the columns start at 0
    const hi = fee >> 64n;
    if (hi >= HI_MIN && hi <= HI_MAX) {
      this.#fFeeLo[i] = BigInt.asUintN(64, fee);
      this.#fFeeHi[i] = hi;
    } else this.#hugeFees.set(i, fee);
  }

  #growOrders(): void {
    const n = (this.#oCap *= 2);
    this.#oSeq = grown(this.#oSeq, n);
    this.#oCreated = grown(this.#oCreated, n);
    this.#oQty = grown(this.#oQty, n);
    this.#oLimit = grown(this.#oLimit, n);
    this.#oStop = grown(this.#oStop, n);
    this.#oFilled = grown(this.#oFilled, n);
    this.#oInst = grown(this.#oInst, n);
    this.#oSource = grown(this.#oSource, n);
    this.#oCodes = grown(this.#oCodes, n);
  }

  #growFills(): void {
    const n = (this.#fCap *= 2);
    this.#fQty = grown(this.#fQty, n);
    this.#fPrice = grown(this.#fPrice, n);
    this.#fVenueTime = grown(this.#fVenueTime, n);
    this.#fRecvTime = grown(this.#fRecvTime, n);
    this.#fInst = grown(this.#fInst, n);
    this.#fCodes = grown(this.#fCodes, n);
    this.#fFeeLo = grown(this.#fFeeLo, n);
    this.#fFeeHi = grown(this.#fFeeHi, n);
  }
}
