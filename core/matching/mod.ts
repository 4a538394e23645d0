/**
 * The matching engine shared by the simulated and backtest venues, with its events and fee models,
 * and the bar/quote/trade fill and slippage models of the backtest venue.
 */
export {
  type InstrumentLookup,
  MatchingEngine,
  type MatchingEngineOptions,
} from "./matching_engine.ts";
export type * from "./match_event.ts";
export {
  bpsFee,
  type FeeModel,
  type Liquidity,
  orderMinimumFee,
  perShareFee,
  sumFees,
  withMinimum,
  zeroFee,
} from "./fee_model.ts";
export {
  canTransition,
  isOpenStatus,
  nextStatus,
  ORDER_TRANSITIONS,
  type OrderAction,
} from "./order_transitions.ts";
export {
  barTriggers,
  fillLiquidity,
  type FillRules,
  type FillSettings,
  isStopType,
  matchBar,
  matchQuote,
  matchTrade,
  type OrderTerms,
  participationCap,
  quoteTriggers,
  resolveFillRules,
  tradeTriggers,
} from "./bar_fill_model.ts";
export {
  assertSlippage,
  NO_SLIPPAGE,
  quoteTakePrice,
  roundAdverse,
  type SlippageModel,
  slippedPrice,
} from "./slippage_model.ts";
