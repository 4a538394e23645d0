/**
 * What a backtest produces: the run's parameters, its orders and fills (money as exact decimal
 * strings), the daily equity curve beside a buy-and-hold benchmark, round-trip trades, and the
 * metrics of both. results.json is this object serialised with sorted keys, so the same inputs
 * and seed give byte-identical files; the tearsheet renders it.
 */

/** One UTC calendar day's close of the account and of the benchmark. */
export interface EquityPoint {
  /** YYYY-MM-DD (UTC) of the last event of the day. */
  readonly date: string;
  /** Account equity (cash + marked positions), in account currency. */
  readonly equity: number;
  /** Buy-and-hold benchmark equity, same starting cash. */
  readonly benchmark: number;
  /** Cash balance. */
  readonly cash: number;
  /** Gross market value of open positions (sum of |qty × mark|). */
  readonly grossExposure: number;
}

/** A position from first entry to flat (FIFO), with its realised P&L after fees. */
export interface RoundTrip {
  readonly symbol: string;
  readonly direction: "long" | "short";
  /** Largest absolute position held during the trip, as a decimal string. */
  readonly qty: string;
  /** RFC 3339 µs. */
  readonly entryTime: string;
  readonly exitTime: string;
  /** Quantity-weighted average entry and exit prices, decimal strings. */
  readonly entryPrice: string;
  readonly exitPrice: string;
  /** Realised P&L after fees, exact decimal string. */
  readonly pnl: string;
  /** pnl over the entry notional. */
  readonly returnPct: number;
}

/** The metric set reported for the strategy and for the benchmark (definitions in README). */
export interface Metrics {
  readonly totalReturn: number;
  readonly cagr: number;
  readonly annualVolatility: number;
  readonly sharpe: number;
  readonly sortino: number;
  readonly calmar: number;
  /** Largest peak-to-trough fall, as a positive fraction. */
  readonly maxDrawdown: number;
  /** Calendar days from the peak to the recovery (or to the end when not recovered). */
  readonly maxDrawdownDays: number;
  readonly winRate: number;
  /** Gross wins over gross losses; null without a losing trade. */
  readonly profitFactor: number | null;
  readonly avgWin: number;
  readonly avgLoss: number;
  readonly expectancy: number;
  /** Share of days with a non-zero position. */
  readonly exposure: number;
  /** Traded notional per year over average equity. */
  readonly turnover: number;
  readonly trades: number;
}

/** An order as the backtest saw it, decimal strings for prices and quantities. */
export interface OrderRecord {
  readonly clientOrderId: string;
  readonly time: string;
  readonly symbol: string;
  readonly side: "buy" | "sell";
  readonly type: string;
  readonly tif: string;
  readonly qty: string;
  readonly limitPrice: string | null;
  readonly stopPrice: string | null;
  readonly status: string;
  readonly filledQty: string;
  readonly source: string;
}

/** A fill, decimal strings for price, quantity and fee. */
export interface FillRecord {
  readonly fillId: string;
  readonly clientOrderId: string;
  readonly time: string;
  readonly symbol: string;
  readonly side: "buy" | "sell";
  readonly qty: string;
  readonly price: string;
  readonly fee: string;
  readonly liquidity: "maker" | "taker";
}

/** A backtest's full output. */
export interface BacktestResults {
  readonly version: 1;
  readonly strategy: string;
  readonly params: Readonly<Record<string, string | number | boolean>>;
  readonly symbols: readonly string[];
  /** First and last event time, RFC 3339. */
  readonly from: string;
  readonly to: string;
  readonly startingCash: string;
  readonly endingEquity: string;
  readonly seed: number;
  /** Fill, slippage and fee settings as given. */
  readonly execution: Readonly<Record<string, string | number | boolean>>;
  readonly events: number;
  readonly metrics: Metrics;
  readonly benchmark: Metrics;
  readonly equity: readonly EquityPoint[];
  /** End-of-day non-flat positions: date → symbol → decimal quantity. */
  readonly positions: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly orders: readonly OrderRecord[];
  readonly fills: readonly FillRecord[];
  readonly trades: readonly RoundTrip[];
  /** Risk refusals by reason code. */
  readonly refusals: Readonly<Record<string, number>>;
}
