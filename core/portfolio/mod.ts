/**
 * The portfolio: positions, exact cash and P&L, and the session clock that decides when a
 * trading day (and so daily P&L) starts.
 * @module
 */
export { Position, type PositionSnapshot } from "./position.ts";
export { Portfolio, type PortfolioTotals } from "./portfolio.ts";
export { isNewSession, sessionStartMicros } from "./session_clock.ts";
