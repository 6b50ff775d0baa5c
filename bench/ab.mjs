#!/usr/bin/env node
// A/B of the submission's cost across builds: `node bench/ab.mjs [--rounds=N] [--port=P] DIR...`, where
// each DIR is a checkout with a production build (`next build`) and node_modules. Runs every DIR in turn,
// N rounds (default 3), each on a scratch database with the benchmark's 50-rule policy: a 10 s closed loop
// of (b)'s submissions between two pings, and prints submit/ping per run, then the median per DIR.
// The load, policy and bodies come from this checkout's bench/, so only the server differs. A ratio of one
// run moves by ~0.1 on a busy machine: compare medians of interleaved rounds, on a quiet one.
import path from "node:path";

const argv = process.argv.slice(2);
const flag = (name, d) => Number(argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? d);
const rounds = flag("rounds", 3);
const port = flag("port", 3400);
const dirs = argv.filter((a) => !a.startsWith("--")).map((d) => path.resolve(d));
if (!dirs.length || !Number.isInteger(rounds) || rounds < 1) {
  console.error("usage: node bench/ab.mjs [--rounds=N] [--port=P] DIR...");
  process.exit(2);
}
// config.mjs reads the benchmark's own flags from argv: it must not see these.
process.argv = process.argv.slice(0, 2);
const { ADMIN_TOKEN, PASSWORD } = await import("./config.mjs");
const { api, defaultPolicyYaml, scratchDatabase, startServer } = await import("./server.mjs");
const { load } = await import("./load.mjs");
const { watch } = await import("./sampling.mjs");
const { jobTemplates, policyYaml } = await import("./policy-gen.mjs");
const { submitSetup } = await import("./scenarios/common.mjs");
const { cleanup } = await import("./util.mjs");

/** One run: a server of `dir`'s build on a fresh database; answers submit/ping and the CPU per submission. */
async function run(dir) {
  const db = await scratchDatabase();
  const server = await startServer({ name: `ab-${path.basename(dir)}`, port, cwd: dir, env: { DATABASE_URL: db.url, LOG_LEVEL: "warn" } });
  try {
    watch(server, "pg");
    // Not server.mjs's provision(): it signs reviewers in to mint their tokens, which builds from before
    // issue 25 cannot do; an agent and a policy writer are all a submission needs.
    const b = server.base;
    await api(b, "POST", "/api/v1/admin/tenants", ADMIN_TOKEN, { id: "bench", name: "Benchmark" });
    const ops = await api(b, "POST", "/api/v1/admin/users", ADMIN_TOKEN, { tenant: "bench", email: "ops@bench.example", roles: [], password: PASSWORD });
    const mint = async (body) => (await api(b, "POST", "/api/v1/admin/tokens", ADMIN_TOKEN, { tenant: "bench", rate_limits: { submit_per_minute: 1_000_000 }, ...body })).token;
    const opsToken = await mint({ kind: "user", name: "ops", user_id: ops.id, scopes: ["policy:read", "policy:write"] });
    const agent = await mint({ kind: "agent", name: "bench-agent", owner_email: "owner@bench.example", scopes: ["jobs:submit", "jobs:read", "jobs:execute"] });
    await api(b, "PUT", "/api/v1/policy", opsToken, policyYaml(defaultPolicyYaml(), 42), "application/yaml");
    const templates = jobTemplates(42);
    const submit = () => load({ base: b, path: "/api/v1/jobs", method: "POST", token: agent, setupRequest: submitSetup(templates), server });
    const ping = () => load({ base: b, path: "/api/ping", token: agent, server });
    await submit(); // warms the JIT and the statements
    const before = await ping();
    const s = await submit();
    const after = await ping();
    return { ratio: s.rps / ((before.rps + after.rps) / 2), rps: s.rps, server: s.cpu.server, pg: s.cpu.pg };
  } finally {
    await server.stop();
  }
}

const results = new Map(dirs.map((d) => [d, []]));
try {
  for (let r = 0; r < rounds; r++) {
    // Alternate the order, so a slow spell does not always fall on the same build.
    for (const dir of r % 2 ? [...dirs].reverse() : dirs) {
      const m = await run(dir);
      results.get(dir).push(m.ratio);
      console.log(`${dir}: ratio ${m.ratio.toFixed(3)}, ${m.rps.toFixed(0)} submissions/s, CPU a submission: server ${m.server?.toFixed(0)} µs, PostgreSQL ${m.pg?.toFixed(0)} µs`);
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
  for (const [dir, xs] of results) console.log(`median ${median(xs).toFixed(3)} over ${xs.length}: ${dir}`);
} finally {
  await cleanup();
  process.exit(0);
}
