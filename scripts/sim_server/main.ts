/**
 * Runs the sim server on 127.0.0.1: today the Alpaca-compatible market-data stream.
 * Usage: deno task sim-server [--port N] [--key K --secret S] [--auth-timeout S] [--help]
 */
import { parseArgs } from "node:util";
import { createMarketDataRest } from "./market_data_rest.ts";
import { createMarketDataStream } from "./market_data_stream.ts";
import { createRouter } from "./router.ts";
import { createTradingRest } from "./trading_rest.ts";
import { FaultSwitches } from "./fault_switches.ts";

const HELP = `Usage: deno task sim-server [--port N] [--key K --secret S] [--auth-timeout S]

Serves an Alpaca-compatible market-data stream in front of the simulator on 127.0.0.1:
  ws://127.0.0.1:N/v2/iex  /v2/sip  /v2/test  /v1beta3/crypto/us
and Alpaca's trading API over the simulated broker:
  http://127.0.0.1:N/v2/orders /v2/account /v2/positions /v2/clock /v2/assets ...
  ws://127.0.0.1:N/stream (trade_updates)   POST /admin/faults (fault switches)

Options:
  --port N             port to listen on (0 picks a free one; default 8787)
  --key K --secret S   the only accepted credentials (default: any non-empty pair)
  --auth-timeout S     seconds a client has to authenticate (default 10)
  --help               show this text`;

/** Parses the command line and serves until killed. */
export function main(args: readonly string[]): Deno.HttpServer | undefined {
  const { values } = parseArgs({
    args: [...args],
    options: {
      port: { type: "string", default: "8787" },
      key: { type: "string" },
      secret: { type: "string" },
      "auth-timeout": { type: "string", default: "10" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return undefined;
  }
  const port = Number(values.port);
  const authTimeout = Number(values["auth-timeout"]);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`--port must be 0..65535, got ${values.port}`);
  }
  if (!(authTimeout > 0)) throw new RangeError(`--auth-timeout must be > 0, got ${authTimeout}`);
  if ((values.key === undefined) !== (values.secret === undefined)) {
    throw new RangeError("--key and --secret must be given together");
  }
  const credentials = values.key === undefined
    ? undefined
    : { key: values.key, secret: values.secret ?? "" };
  // One set of switches for every part: POST /admin/faults reaches the streams and REST alike.
  const faults = new FaultSwitches();
  const stream = createMarketDataStream({ credentials, authTimeoutSeconds: authTimeout, faults });
  const trading = createTradingRest({ credentials, faults });
  return Deno.serve(
    {
      hostname: "127.0.0.1",
      port,
      onListen: ({ port }) => console.log(`sim-server listening on 127.0.0.1:${port}`),
    },
    createRouter([
      stream.route,
      ...createMarketDataRest({
        credentials,
        failAuth: () => faults.current.fail_auth,
      }).routes,
      ...trading.routes,
    ]),
  );
}

if (import.meta.main) main(Deno.args);
