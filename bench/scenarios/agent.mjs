// The agent's view: (i) how long an agent waits from POST /jobs to a decision on an allowed job, on an
// unloaded server (one request at a time, one connection); and (j) the MCP gateway's overhead.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { getDefaultEnvironment, StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { ADMIN_TOKEN, CFG, PASSWORD, TARGETS, root } from "../config.mjs";
import { now, sequential, summarise } from "../load.mjs";
import { latencyRow, note, step } from "../report.mjs";
import { api } from "../server.mjs";
import { ms } from "../util.mjs";
import { auth } from "./common.mjs";

// A read the default policy's allow rule lets through.
const ALLOWED = { topic: "job.billing.read", risk_tags: [] };

export async function agentView(ctx) {
  const target = `p50 < ${TARGETS.agentP50} ms (1 conn, unloaded)`;
  const name = "(i) POST /jobs → decision (allowed), 1 conn";
  let result = null;
  await step(name, target, async () => {
    const probe = await api(ctx.base, "POST", "/api/v1/jobs", ctx.tokens.agent, { ...ALLOWED, payload: { probe: true } });
    if (String(probe?.decision).toLowerCase() !== "allow") throw new Error(`the policy answered ${probe?.decision} for ${ALLOWED.topic}, not allow`);
    await ctx.settle();
    let n = 0;
    const body = () => JSON.stringify({ ...ALLOWED, payload: { account: `acct-${n++}`, fields: ["balance", "currency"] }, title: `Agent read ${n}` });
    result = await sequential({ base: ctx.base, next: () => ({ method: "POST", path: "/api/v1/jobs", headers: auth(ctx.tokens.agent), body: body() }), phase: "POST /api/v1/jobs (agent, 1 conn)" });
    latencyRow(name, result, { check: (x) => x.p50 < TARGETS.agentP50 && x.errors === 0, target });
    note(`(i) the agent's wait for an allowed job over ${result.n} sequential submissions: p50 ${ms(result.p50)} ms, p99 ${ms(result.p99)} ms, max ${ms(result.max)} ms (client clock, loopback, keep-alive).`);
  });
  return result;
}

/**
 * (j) The MCP gateway's overhead (DESIGN §7.1): the same allowed `tools/call` (the MCP project's echo
 * server) made straight to the upstream and through `countersign mcp`, interleaved one by one over
 * stdio, each pair on the same arguments. The gateway submits with `"claim": true` and reports the outcome,
 * so its overhead is one submission and the gateway's own work. A tenant of its own keeps the policy to
 * one allow rule. Target: p50 overhead ≤ (i)'s p50 + 2 ms.
 */
export async function mcpGatewayOverhead(ctx, { agentP50 = null } = {}) {
  const name = "(j) MCP gateway overhead (allowed tools/call), 1 conn";
  const target = `p50 overhead ≤ (i) p50${agentP50 ? ` (${ms(agentP50)} ms)` : ""} + 2 ms`;
  await step(name, target, async () => {
    const cli = path.join(root, "packages", "cli", "bin", "countersign.js");
    const everything = path.join(root, "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js");
    for (const f of [cli, everything]) if (!fs.existsSync(f)) throw new Error(`${path.relative(root, f)} is missing (npm ci builds packages/cli)`);
    const token = await gatewayTenant(ctx.base);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cs-bench-gw-"));
    const config = path.join(dir, "gateway.yaml");
    fs.writeFileSync(config, `countersign: { url: ${ctx.base}, token_env: GW_TOKEN }\nhold: 5s\nupstreams:\n  - name: everything\n    command: ["${process.execPath}", "${everything}", "stdio"]\n`);
    const up = new Client({ name: "bench-direct", version: "1.0.0" });
    await up.connect(new StdioClientTransport({ command: process.execPath, args: [everything, "stdio"], stderr: "ignore" }));
    const gw = new Client({ name: "bench-gateway", version: "1.0.0" });
    await gw.connect(new StdioClientTransport({ command: process.execPath, args: [cli, "mcp", "--config", config], env: { ...getDefaultEnvironment(), GW_TOKEN: token, COUNTERSIGN_STATE_DIR: dir }, stderr: "ignore" }));
    try {
      const direct = [];
      const through = [];
      const over = [];
      const stopAt = now() + CFG.seqDuration * 1000;
      for (let i = -20; i < 0 || now() < stopAt; i++) {
        const args = { name: "echo", arguments: { message: `bench ${i}` } };
        let t = now();
        await up.callTool(args);
        const d = now() - t;
        t = now();
        const r = await gw.callTool(args);
        const g = now() - t;
        if (r.isError) throw new Error(`the gateway refused an allowed call: ${JSON.stringify(r.content).slice(0, 300)}`);
        if (i < 0) continue; // the first calls warm the JIT and the connections
        direct.push(d);
        through.push(g);
        over.push(g - d);
      }
      const o = summarise(over);
      const bound = agentP50 === null ? null : agentP50 + 2;
      latencyRow(name, { ...o, rps: over.length / CFG.seqDuration, non2xx: 0, errors: 0, s5xx: 0 }, { check: bound === null ? null : (x) => x.p50 <= bound, target });
      const dd = summarise(direct);
      const gg = summarise(through);
      note(
        `(j) ${over.length} allowed echo calls, paired: straight to the upstream p50 ${ms(dd.p50)} / p99 ${ms(dd.p99)} ms, through the gateway p50 ${ms(gg.p50)} / p99 ${ms(gg.p99)} ms; ` +
          `the overhead p50 ${ms(o.p50)} / p99 ${ms(o.p99)} ms${bound === null ? "" : ` against a bound of ${ms(bound)} ms ((i) p50 + 2 ms)`}.`,
      );
    } finally {
      await gw.close().catch(() => {});
      await up.close().catch(() => {});
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

/** Tenant `bench-mcp`: an agent token and a policy that lets the echo tool through. */
async function gatewayTenant(base) {
  await api(base, "POST", "/api/v1/admin/tenants", ADMIN_TOKEN, { id: "bench-mcp", name: "Benchmark MCP" });
  const ops = await api(base, "POST", "/api/v1/admin/users", ADMIN_TOKEN, { tenant: "bench-mcp", email: "ops@bench-mcp.example", roles: [], password: PASSWORD });
  const mint = (body) => api(base, "POST", "/api/v1/admin/tokens", ADMIN_TOKEN, { tenant: "bench-mcp", ...body });
  const opsToken = (await mint({ kind: "user", name: "ops", user_id: ops.id, scopes: ["policy:write", "policy:read"] })).token;
  const policy = "version: v1\ndefaults: { decision: require_approval }\nrules:\n  - id: allow-echo\n    match: { topics: [\"mcp.everything.echo\"] }\n    decision: allow\n";
  await api(base, "PUT", "/api/v1/policy", opsToken, policy, "application/yaml");
  const agent = await mint({ kind: "agent", name: "bench-gateway", owner_email: "agent-owner@bench-mcp.example", scopes: ["jobs:submit", "jobs:read", "jobs:execute"], rate_limits: { submit_per_minute: 1_000_000 } });
  return agent.token;
}
