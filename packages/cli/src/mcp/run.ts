// `countersign mcp --config FILE [--http PORT] [--host H]`
import { parseArgs } from "node:util";
import { Countersign } from "@countersign/sdk";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { Completions, defaultStateDir } from "../completions.js";
import { ConfigError, loadConfig } from "../config.js";
import { httpFetch } from "../http-fetch.js";
import { CallMemory } from "../memory.js";
import { Gateway } from "./gateway.js";
import { serveHttp } from "./http.js";
import { createSession } from "./server.js";

const log = (m: string) => process.stderr.write(`[countersign mcp] ${m}\n`);
export const MCP_USAGE = "usage: countersign mcp --config FILE [--http PORT] [--host HOST]";

export async function runMcp(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { config: { type: "string" }, http: { type: "string" }, host: { type: "string" } }, strict: true });
  if (!values.config) {
    log(MCP_USAGE);
    return 2;
  }
  const port = values.http === undefined ? undefined : Number(values.http);
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
    log(`--http: a port number, not ${values.http}`);
    return 2;
  }
  let config;
  try {
    config = loadConfig(values.config);
  } catch (err) {
    if (err instanceof ConfigError) {
      log(`the config is refused:\n${err.message}`);
      return 2;
    }
    throw err;
  }
  // Keep-alive node:http: the gateway stands in front of every tool call (see http-fetch.ts).
  const cs = new Countersign({ baseUrl: config.url, token: config.token, fetch: httpFetch });
  const stateDir = defaultStateDir();
  const completions = new Completions(cs, config.url, { stateDir });
  completions.recover();
  const memory = new CallMemory(config.url, config.token, stateDir);
  // Not fatal: Countersign may be down now and back by the first call (which then fails closed).
  await memory.seed(cs).catch((err: unknown) => log(`could not read the agent's recent jobs: ${(err as Error).message}`));
  const gateway = new Gateway(config);
  try {
    await gateway.start();
  } catch (err) {
    log((err as Error).message);
    await gateway.close();
    return 1;
  }
  const deps = { gateway, cs, completions, memory };

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    // Reports not yet accepted stay in the state directory for the next run.
    await completions.idle(5_000);
    completions.close();
    await gateway.close();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);

  if (port !== undefined) {
    const host = values.host ?? "127.0.0.1";
    await serveHttp(deps, port, host);
    log(`listening on http://${host.includes(":") ? `[${host}]` : host}:${port}/mcp (${gateway.upstreams.length} upstream${gateway.upstreams.length === 1 ? "" : "s"})`);
  } else {
    const session = createSession(deps);
    await session.connect(new StdioServerTransport());
    process.stdin.on("end", stop);
  }
  return new Promise<number>(() => undefined);
}
