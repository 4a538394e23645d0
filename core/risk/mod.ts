/**
 * Pre-trade risk: the RiskEngine, its limits and kill switch, and each check as a pure function
 * returning 0 (pass) or a reason id.
 */
export * from "./reasons.ts";
export type { RiskState } from "./risk_state.ts";
export { reducesPosition } from "./reduces_position.ts";
export { resolveRiskLimits, type RiskLimits } from "./limits.ts";
export {
  type AccountLoss,
  autoHalt,
  KillSwitch,
  type KillSwitchSnapshot,
  type KillSwitchState,
} from "./kill_switch.ts";
export { RiskEngine, type RiskUsage } from "./risk_engine.ts";
export { checkBuyingPower } from "./buying_power.ts";
export { checkMarketData } from "./market_data.ts";
export { checkMaxDailyLoss } from "./max_daily_loss.ts";
export { checkMaxOpenOrders } from "./max_open_orders.ts";
export { checkMaxOrderValue } from "./max_order_value.ts";
export { MaxOrdersPerSecond } from "./max_orders_per_second.ts";
export { checkMaxPositionValue } from "./max_position_value.ts";
export { checkMaxQuantity } from "./max_quantity.ts";
export { checkPriceCollar } from "./price_collar.ts";
export { checkShortSelling } from "./short_selling.ts";
export { checkTradingHours } from "./trading_hours.ts";
