// docs/benchmarks.md: the machine, the table with every verdict, the run's notes, and the method.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { CFG, QUICK, TARGETS, root } from "./config.mjs";
import { HEADERS, cells, notes, rows } from "./report.mjs";
import { fmt, log } from "./util.mjs";

function machine(pgVersion) {
  const cpu = /model name\s*:\s*(.+)/.exec(fs.readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? os.cpus()[0]?.model ?? "unknown";
  const uname = spawnSync("uname", ["-a"], { encoding: "utf8" }).stdout.trim();
  const memGb = (os.totalmem() / 2 ** 30).toFixed(1);
  return { cpu, uname, cores: os.cpus().length, memGb, node: process.version, pg: pgVersion ?? "unknown" };
}

const ladderText = () => CFG.ladder.map((n) => fmt(n)).join(", ");

function method(m) {
  return `- **Server**: the production build (\`next start\`) with \`NODE_ENV=production\`, on a fresh PostgreSQL database
  created for the run and dropped at the end; then on embedded PGlite in a temporary directory.
- **References**: (a) the in-app \`GET /api/ping\` (no database, no auth) on the same server, measured before the
  scenarios, around each of (b), (c1), (c2) and (d) (a scenario's ratio is against the mean of the pings just
  before and just after it, each from a settled server: every audit event of the previous run sealed), and
  (a″) after all the other scenarios. (r) a bare Next.js app (one route handler answering like /api/ping, no
  proxy, no instrumentation) generated into a temporary folder, built once with the repo's \`next\` and started in
  its own process, measured before the scenarios and (r′) after them, with the same load as the ping.
- **Throughput (closed loop)**: autocannon on loopback, ${CFG.connections} connections, ${CFG.warmup} s warm-up then ${CFG.duration} s
  measured. Its latency is mostly the wait behind the other ${CFG.connections - 1} requests (Little's law), so it is shown but
  not judged.
- **Latency (open loop, g)**: a node:http client with a keep-alive agent that opens a socket whenever all are busy,
  so a slow answer never delays the next send; arrivals evenly spaced by a timer whatever the answers do; each
  latency from the request's scheduled time (no coordinated omission); exact percentiles over all requests.
  Each of submit, queue first page and approve at half of its own saturated rate from the closed loop of the same
  run (50 % utilisation), then at ${CFG.fixedRate} requests a second; ${CFG.openWarmup} s warm-up then ${CFG.openDuration} s. Target p99 < ${TARGETS.openP99} ms.
- **Growth (h)**: the queue's first page and a page ~${fmt(Math.ceil(CFG.ladderDepth / 200) * 200)} items deep with ${ladderText()} pending
  jobs on the same resolved history, one connection, one request at a time (${CFG.seqDuration} s each): the cost of one
  request as the tables grow, without queueing that would depend on the machine's load. Target: p99 of a later
  rung ≤ ${TARGETS.growth}× the first rung's.
- **Data** (PostgreSQL): tenant \`bench\` provisioned through the admin API (2 reviewers, an agent token, an ops
  token) with a ${8 + CFG.generatedRules}-rule policy: the default policy's 8 rules plus ${CFG.generatedRules} generated ones (bench/policy-gen.mjs). Then
  ${fmt(CFG.resolved)} resolved jobs (70% approved, 20% rejected with a reject vote and reason, 10% expired; over the last 29.5
  days) and pending jobs rung by rung, inserted with \`generate_series\` (bench/seed.mjs checks its column map
  against information_schema first; a load at least half the table's size rebuilds the indexes after), each step
  followed by VACUUM (ANALYZE) and a CHECKPOINT. The throughput, latency and agent scenarios run on the
  ${fmt(CFG.pending)}-pending rung.
- **(b) submit** cycles through 40 bodies on 50 rules (outcome mix in the notes); each payload differs. **(c)** first
  page and a deep cursor of the pending queue (default limit 50) as a reviewer. **(d)** every approve targets a
  different seeded pending job the reviewer can complete alone. **(i)** the agent's view: an allowed submission,
  one at a time on one connection, from request to the decision in the answer. **(j)** the MCP gateway
  (\`countersign mcp\`, stdio): the same allowed echo call straight to the MCP project's test server and through
  the gateway, interleaved, on a tenant of its own whose policy allows it. **(e)** the 30-day metrics, one
  connection, one request at a time. **(f)** \`compilePolicy\` + \`evaluate\` from lib/policy with 1,000 rules,
  in-process with tsx before any server starts.
- **CPU**: user + system time from /proc of the server (all its threads), of every PostgreSQL process and of this
  runner, before and after each measured run, per request; the server's main thread's time on a core and waiting
  for one (/proc schedstat) as shares of the run. The load generator shares the ${m.cores} cores with the server and
  PostgreSQL.
- **Memory**: VmRSS of the server process (and any children) sampled every 200 ms during the PostgreSQL phase.
- **The submit tail**: \`npm run bench -- --profile\` runs the open-loop submit at 50 % under the CPU profiler and
  \`--trace-gc\` and says what the server was doing while the slowest requests waited (bench/.logs/profile.md).`;
}

export function writeDoc({ pgVersion, started, seconds, buildInfo, bareInfo, fatal, loadAtStart }) {
  const m = machine(pgVersion);
  const esc = (c) => String(c ?? "").replace(/\|/g, "\\|");
  const table = [
    `| ${HEADERS.join(" | ")} |`,
    "|---|--:|--:|--:|--:|--:|--:|--:|---|---|",
    ...rows.map((r) => `| ${cells({ ...r, result: r.result === "MISSED" ? "**MISSED**" : r.result }).map(esc).join(" | ")} |`),
  ];
  const missed = rows.filter((r) => r.result === "MISSED").map((r) => r.name);
  const doc = `# Benchmarks

Written by \`npm run bench${QUICK ? " -- --quick" : ""}\` (bench/run.mjs) on ${started.toISOString()}; the run took ${Math.round(seconds)} s${QUICK ? " (**--quick**: reduced data and short runs, not the reference figures)" : ""}.
Re-run it to refresh this file; nothing here is edited by hand. What the figures taught us: [performance.md](performance.md).

## Machine

- Date: ${started.toISOString().slice(0, 10)}
- \`uname -a\`: \`${m.uname}\`
- CPU: ${m.cpu}, ${m.cores} cores; memory ${m.memGb} GiB
- Node ${m.node}; PostgreSQL ${m.pg} (127.0.0.1:5432); autocannon 8
- Load average when the run started: ${loadAtStart} (1/5/15 min; anything else running competes for the same cores)
- Build: ${buildInfo}; bare reference app: ${bareInfo ?? "not run"}

## Results

${missed.length ? `**Missed targets: ${missed.join("; ")}.**` : "All targets met."}${fatal ? `\n\n**The run stopped early: ${fatal}**` : ""}

${table.join("\n")}

"ratio" is requests per second over the in-app ceiling (the verdicts' reference; PGlite's against its own ping),
or for a growth rung its p99 over the first rung's; "× bare" is requests per second over the bare Next.js app's
ping measured before the scenarios. "non-2xx" counts non-2xx answers plus connection errors and timeouts.
Latency rows: p50/p99/max in milliseconds, and "req/s" is the rate achieved.

## Notes from this run

${notes.map((n) => `- ${n}`).join("\n")}

## Method

${method(m)}
`;
  // Only a full run is the record; a quick run (smaller data, shorter runs) writes beside it, untracked.
  const file = QUICK ? path.join(root, "bench", ".logs", "benchmarks-quick.md") : path.join(root, "docs", "benchmarks.md");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, doc);
  log(`wrote ${path.relative(root, file)}`);
}
