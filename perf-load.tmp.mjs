// usage: node perf-load.tmp.mjs <scenario> <n> ; measures server + postgres CPU per request
import autocannon from "autocannon";
import postgres from "postgres";
import fs from "node:fs";
import { execSync } from "node:child_process";
const [scenario, nStr, conns = "10"] = process.argv.slice(2);
const N = Number(nStr);
const DB = "countersign_bench_1795592364460_11362";
const sql = postgres(`postgres://postgres@127.0.0.1:5432/${DB}`, { max: 1 });
const T = fs.readFileSync("/tmp/perf-token", "utf8").trim();
const AG = fs.readFileSync("/tmp/perf-agent", "utf8").trim();
const spid = execSync("pgrep -f next-server | head -1").toString().trim();
const ticks = (pids) => pids.reduce((t, p) => { try { const f = fs.readFileSync(`/proc/${p}/stat`, "utf8").split(") ")[1].split(" "); return t + Number(f[11]) + Number(f[12]); } catch { return t; } }, 0);
const pgPids = () => execSync("pgrep -x postgres").toString().trim().split("\n");
let opts;
if (scenario === "ping") opts = { url: "http://127.0.0.1:3400/api/ping" };
if (scenario === "queue") opts = { url: "http://127.0.0.1:3400/api/v1/approvals?include_resolved=false", headers: { authorization: `Bearer ${T}` } };
if (scenario === "submit") {
  let n = 0;
  opts = { url: "http://127.0.0.1:3400/api/v1/jobs", method: "POST", headers: { authorization: `Bearer ${AG}`, "content-type": "application/json" },
    setupRequest: (r) => ({ ...r, body: JSON.stringify({ topic: ["job.config.update", "job.ticket.update", "job.misc.read"][n % 3], risk_tags: n % 3 === 0 ? ["prod", "write"] : [], payload: { n: n++, service: "svc" } }) }) };
}
if (scenario === "approve") {
  const ids = (await sql`select id from jobs where tenant_id='bench' and state='APPROVAL' and policy_rule_id <> 'payment-gate' and requirements->0->>'count' = '1' and (on_behalf_of is null) order by created_at desc limit ${N + 200}`).map((r) => r.id);
  let i = 0;
  opts = { url: "http://127.0.0.1:3400/", method: "POST", headers: { authorization: `Bearer ${T}`, "content-type": "application/json" }, body: JSON.stringify({ reason: "ok" }),
    setupRequest: (r) => ({ ...r, path: `/api/v1/approvals/${ids[i++]}/approve` }) };
}
const s0 = ticks([spid]); const p0 = ticks(pgPids());
const { setupRequest, method, headers, body, ...rest } = opts;
const res = await autocannon({ ...rest, connections: Number(conns), amount: N, requests: [{ method: method ?? "GET", headers, body, ...(setupRequest ? { setupRequest } : {}) }] });
const s1 = ticks([spid]); const p1 = ticks(pgPids());
console.log(JSON.stringify(res.statusCodeStats)); console.log(scenario.padEnd(8), `rps ${res.requests.average} p50 ${res.latency.p50} p99 ${res.latency.p99} non2xx ${res.non2xx}`, `server ${((s1 - s0) * 10 / N).toFixed(2)} ms/req  pg ${((p1 - p0) * 10 / N).toFixed(2)} ms/req`);
await sql.end();
