/**
 * The matching engine shared by the simulated and backtest venues, with its events and fee models.
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
