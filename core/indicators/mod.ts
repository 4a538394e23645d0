/**
 * Streaming indicators: O(1) float updates, one shape (`update`, `value`, `isReady`, `reset`).
 * See README.md for which come from trading-signals and which are hand-written, and why.
 */
export type { Indicator, PriceIndicator } from "./indicator.ts";
export { Sma } from "./sma.ts";
export { Ema } from "./ema.ts";
export { Rsi } from "./rsi.ts";
export { Macd } from "./macd.ts";
export { BollingerBands } from "./bollinger_bands.ts";
export { Atr } from "./atr.ts";
export { Vwap } from "./vwap.ts";
export { RollingStdDev } from "./rolling_std_dev.ts";
export { ZScore } from "./z_score.ts";
