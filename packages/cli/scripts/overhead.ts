// Overhead of the gateway for an allowed call (DESIGN §7.1): the same echo call straight to the upstream
// and through the gateway, interleaved, against a real server. With the API's own POST /jobs beside it.
//   node scripts/with-server.mjs -- npx tsx packages/cli/scripts/overhead.ts [N]
import { performance } from "node:perf_hooks";
import { api, direct, everythingStdio, gatewayYaml, makeWorld, startGateway, stateDir, writeConfig } from "../test/world";

const N = Number(process.argv[2] ?? 300);
const POLICY = `version: v1
defaults: { decision: require_approval }
rules:
  - id: allow-echo
    match: { topics: ["mcp.*.echo", "bench.submit"] }
    decision: allow
`;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const fmt = (xs: number[]) => `p50 ${pct(xs, 50).toFixed(2)} ms  p95 ${pct(xs, 95).toFixed(2)} ms`;

const w = await makeWorld("bench", POLICY, { submitPerMinute: 1_000_000 });
const up = await direct();
const gw = await startGateway(writeConfig(gatewayYaml({ upstreams: everythingStdio() })), w.agent, { stateDir: stateDir() });
const times = { direct: [] as number[], gateway: [] as number[], submit: [] as number[], lookup: [] as number[] };
for (let i = 0; i < N + 20; i++) {
  const args = { message: `m${i}` };
  let t = performance.now();
  await up.callTool({ name: "echo", arguments: args });
  const d = performance.now() - t;
  t = performance.now();
  const r = await gw.client.callTool({ name: "echo", arguments: args });
  const g = performance.now() - t;
  if (r.isError) throw new Error(JSON.stringify(r));
  t = performance.now();
  await api("POST", "/api/v1/jobs", { token: w.agent, body: { topic: "bench.submit", payload: { i }, claim: true } });
  const s = performance.now() - t;
  t = performance.now();
  await api("GET", `/api/v1/jobs?topic=bench.submit&job_hash=${"0".repeat(64)}&limit=1`, { token: w.agent });
  const l = performance.now() - t;
  // The first calls warm the JIT and the connections.
  if (i >= 20) {
    times.direct.push(d);
    times.gateway.push(g);
    times.submit.push(s);
    times.lookup.push(l);
  }
}
const over = times.gateway.map((g, i) => g - times.direct[i]!);
console.log(`direct   ${fmt(times.direct)}`);
console.log(`gateway  ${fmt(times.gateway)}`);
console.log(`overhead ${fmt(over)}  (paired)`);
console.log(`POST /jobs claim:true  ${fmt(times.submit)}`);
console.log(`GET /jobs (lookup)     ${fmt(times.lookup)}`);
await gw.close();
await up.close();
