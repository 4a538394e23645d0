/**
 * Pre-trade risk: every order passes through RiskEngine.check() before it reaches a venue. The
 * checks run in a fixed order and the first failure decides the reason:
 *
 *  1. kill switch          — an operator or auto-halt decision overrides everything else
 *  2. trading_hours        — a closed venue makes every other answer moot
 *  3. max_quantity         — static fat-finger guards next: they read only the order
 *  4. no_market_data       — a mark is needed to value market orders and to judge the collar
 *  5. price_collar
 *  6. max_order_value
 *  7. short_selling        — position checks: read the instrument's position and working orders
 *  8. max_position_value
 *  9. max_open_orders
 * 10. buying_power         — account-wide checks
 * 11. max_daily_loss
 * 12. max_orders_per_second — last, because passing it consumes a slot in the window: only orders
 *                             that are actually sent count toward the venue's rate.
 *
 * Position checks use the position the order could leave if every working order on its side also
 * filled (`before` = position + working buys for a buy, position − working sells for a sell), so
 * stacked orders cannot slip past a limit one by one.
 */
import type { Instrument } from "../domain/instrument.ts";
import { type Cash, notional } from "../domain/money.ts";
import type { OrderRequest } from "../domain/order.ts";
import { LiveCashPair } from "./_exact.ts";
import { checkBuyingPower } from "./buying_power.ts";
import { KillSwitch, type KillSwitchState } from "./kill_switch.ts";
import type { RiskLimits } from "./limits.ts";
import { checkMarketData } from "./market_data.ts";
import { checkMaxDailyLoss } from "./max_daily_loss.ts";
import { checkMaxOpenOrders } from "./max_open_orders.ts";
import { checkMaxOrderValue } from "./max_order_value.ts";
import { MaxOrdersPerSecond } from "./max_orders_per_second.ts";
import { checkMaxPositionValue } from "./max_position_value.ts";
import { checkMaxQuantity } from "./max_quantity.ts";
import { checkPriceCollar } from "./price_collar.ts";
import { PASS, RISK_REASONS, type RiskReason } from "./reasons.ts";
import type { RiskState } from "./risk_state.ts";
import { checkShortSelling } from "./short_selling.ts";
import { checkTradingHours } from "./trading_hours.ts";

/** Where one instrument stands against its limits, for dashboards and the HTTP API. */
export interface RiskUsage {
  readonly symbol: string;
  /** |position| × mark, exact (0 without a mark). */
  readonly positionValue: Cash;
  readonly maxPositionValue: Cash;
  readonly openOrders: number;
  readonly maxOpenOrders: number;
  /** Orders sent in the second ending at the `now` passed to usage(). */
  readonly ordersLastSecond: number;
  readonly maxOrdersPerSecond: number;
  /** Session loss as a positive amount (0 when the session is up). */
  readonly dailyLoss: Cash;
  readonly maxDailyLoss: Cash;
  readonly killSwitch: KillSwitchState;
}

/**
 * Composes the pre-trade checks over live state; allocation-free per check.
 * @example
 * ```ts
 * import { riskConfigSchema } from "../../schemas/risk.ts";
 * import { InstrumentTable } from "../domain/instrument.ts";
 * import { resolveRiskLimits } from "./limits.ts";
 * import { RiskEngine } from "./risk_engine.ts";
 * import type { RiskState } from "./risk_state.ts";
 * const table = new InstrumentTable(["AAPL"], "SIM");
 * const state: RiskState = {
 *   positionQty: () => 0, openOrderCount: () => 0, openBuyQty: () => 0, openSellQty: () => 0,
 *   openOrderExposure: () => 0n, markPrice: () => 1_872_500, dailyPnl: () => 0n,
 *   buyingPower: () => 50_000n * 10n ** 18n, isMarketOpen: () => true,
 * };
 * const risk = new RiskEngine(resolveRiskLimits(riskConfigSchema.parse({}), table.list()), state);
 * const order = {
 *   clientOrderId: "c1", symbol: "AAPL", side: "buy", type: "limit", tif: "day", qty: 100,
 *   limitPrice: 1_872_500, stopPrice: 0, source: "manual", createdAt: 0,
 * } as const;
 * risk.check(order, 0, 1_700_000_000_000_000); // 0: approved
 * ```
 */
export class RiskEngine {
  /** The kill switch consulted first; the owner persists its snapshot. */
  readonly killSwitch: KillSwitch;
  readonly #limits: RiskLimits;
  readonly #state: RiskState;
  readonly #rate: MaxOrdersPerSecond;
  // Index = reason id; slot 0 is unused (0 means pass).
  readonly #rejected = new Float64Array(RISK_REASONS.length + 1);
  #approved = 0;
  // Live amounts with their doubles, refreshed only when the state reports a new amount.
  readonly #exposure = new LiveCashPair();
  readonly #power = new LiveCashPair();

  /** Builds the engine over `limits` and the live `state` it reads on every check. */
  constructor(limits: RiskLimits, state: RiskState, options: { killSwitch?: KillSwitch } = {}) {
    this.#limits = limits;
    this.#state = state;
    this.#rate = new MaxOrdersPerSecond(limits.maxOrdersPerSecond);
    this.killSwitch = options.killSwitch ?? new KillSwitch();
  }

  /**
   * Returns 0 when `order` on instrument index `inst` may be sent at `now` (epoch µs), else the
   * id of the first failed check (see reasons.ts). An approval is recorded in the rate window,
   * so call it once per order actually sent. Throws on a malformed order (a bug upstream).
   */
  check(order: OrderRequest, inst: number, now: number): number {
    const L = this.#limits;
    const scale = L.cashScale[inst];
    if (scale === undefined) throw new RangeError(`Cannot check order: no instrument ${inst}`);
    const qty = order.qty;
    if (!Number.isSafeInteger(qty) || qty <= 0) {
      throw new RangeError(`Cannot check order: 'qty' must be a positive integer, got ${qty}`);
    }
    const limitPrice = order.limitPrice;
    if (limitPrice <= 0 && (order.type === "limit" || order.type === "stop_limit")) {
      throw new RangeError(`Cannot check order: 'limitPrice' must be > 0, got ${limitPrice}`);
    }
    const s = this.#state;
    const isBuy = order.side === "buy";
    const pos = s.positionQty(inst);
    const before = isBuy ? pos + s.openBuyQty(inst) : pos - s.openSellQty(inst);
    const after = isBuy ? before + qty : before - qty;

    let r = this.killSwitch.check(isBuy, qty, before);
    if (r === PASS) r = checkTradingHours(s, order.symbol, now);
    if (r === PASS) r = checkMaxQuantity(qty, L.maxQuantity[inst]!);
    const mid = s.markPrice(inst);
    if (r === PASS) r = checkMarketData(mid);
    if (r === PASS) r = checkPriceCollar(limitPrice, mid, L.priceCollarBps[inst]!);
    // Value at the limit price, else the stop price (where a stop turns market), else the mark.
    const price = limitPrice > 0 ? limitPrice : order.stopPrice > 0 ? order.stopPrice : mid;
    if (r === PASS) r = checkMaxOrderValue(price, qty, scale, L.maxOrderValue[inst]!);
    if (r === PASS) r = checkShortSelling(before, after, L.shortSelling[inst] === 1);
    if (r === PASS) {
      r = checkMaxPositionValue(price, before, after, scale, L.maxPositionValue[inst]!);
    }
    if (r === PASS) r = checkMaxOpenOrders(s.openOrderCount(inst), L.maxOpenOrders[inst]!);
    if (r === PASS) {
      r = checkBuyingPower(
        price,
        qty,
        before,
        after,
        scale,
        this.#exposure.update(s.openOrderExposure()),
        this.#power.update(s.buyingPower()),
      );
    }
    if (r === PASS) r = checkMaxDailyLoss(s.dailyPnl(), L.dailyLossFloor, before, after);
    if (r === PASS) r = this.#rate.check(now);

    if (r === PASS) {
      this.#rate.record(now);
      this.#approved++;
    } else {
      this.#rejected[r]!++;
    }
    return r;
  }

  /** Orders approved so far. */
  approvals(): number {
    return this.#approved;
  }

  /** Rejections so far per reason code (every code present, zeros included). */
  rejections(): Record<RiskReason, number> {
    const out = {} as Record<RiskReason, number>;
    RISK_REASONS.forEach((name, i) => (out[name] = this.#rejected[i + 1]!));
    return out;
  }

  /** Current standing of instrument `inst` against its limits at `now` (epoch µs). */
  usage(inst: number, now: number): RiskUsage {
    const L = this.#limits;
    const instrument: Instrument | undefined = L.instruments[inst];
    if (instrument === undefined) {
      throw new RangeError(`Cannot report usage: no instrument ${inst}`);
    }
    const s = this.#state;
    const pos = s.positionQty(inst);
    const pnl = s.dailyPnl();
    return {
      symbol: instrument.symbol,
      positionValue: notional(instrument, s.markPrice(inst), pos < 0 ? -pos : pos),
      maxPositionValue: L.maxPositionValue[inst]!.cash,
      openOrders: s.openOrderCount(inst),
      maxOpenOrders: L.maxOpenOrders[inst]!,
      ordersLastSecond: this.#rate.countInWindow(now),
      maxOrdersPerSecond: L.maxOrdersPerSecond,
      dailyLoss: pnl < 0n ? -pnl : 0n,
      maxDailyLoss: L.maxDailyLoss,
      killSwitch: this.killSwitch.state,
    };
  }
}
