/**
 * The MCP gateway (DESIGN §7.1) end to end: a real Countersign server, the gateway as a child process,
 * @modelcontextprotocol/server-everything as the upstream, the official MCP client downstream.
 */
import { randomInt } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import { spawn, type ChildProcess } from "node:child_process";
import { request as httpRequest } from "node:http";
import path from "node:path";
import { ErrorCode, McpError, ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { direct, everythingStdio, EVERYTHING, freePort, gatewayYaml, makeWorld, startGateway, stateDir, writeConfig, type Running, type World } from "./world";

export const POLICY = `version: v1
defaults:
  decision: require_approval
  approvers: { roles: [reviewer], count: 1 }
rules:
  - id: allow-echo
    match: { topics: ["mcp.*.echo", "mcp.*.grow"] }
    decision: allow
  - id: deny-env
    match: { topics: ["mcp.everything.get-env"] }
    decision: deny
    reason: Environment variables may hold secrets
  - id: env-check
    match: { topics: ["mcp.envcheck.get-env"] }
    decision: allow
  - id: slow-capped
    match: { topics: ["mcp.*.trigger-long-running-operation"] }
    decision: allow_with_constraints
    constraints: { max_runtime_sec: 1 }
  - id: trusted-reads
    match: { risk_tags: [read] }
    decision: allow
  - id: sums-reviewed
    match: { topics: ["mcp.*.get-sum"] }
    decision: require_approval
    reason: Sums need a second pair of eyes
`;

const GROWING = path.resolve(import.meta.dirname, "fixtures/growing-server.mjs");
const text = (r: any) => (r.content as { type: string; text?: string }[]).map((c) => c.text ?? "").join("\n");
const sumArgs = () => ({ a: randomInt(1, 1e9), b: randomInt(1, 1e9) });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let w: World;
let upstream: Client;
beforeAll(async () => {
  w = await makeWorld("gw", POLICY);
  upstream = await direct();
});
afterAll(async () => {
  await upstream?.close();
});

/** The job of `topic` whose arguments are `args`, as the server holds it. */
async function jobOf(w: World, topic: string, args: Record<string, unknown>, state?: string, ms = 15_000): Promise<any> {
  const deadline = Date.now() + ms;
  for (;;) {
    const hit = (await w.jobs({ topic })).filter((j) => isDeepStrictEqual(j.job.payload.arguments, args));
    if (hit.length > 1) throw new Error(`${hit.length} jobs for one call: ${hit.map((j) => j.job.id).join(", ")}`);
    if (hit[0] && (!state || hit[0].job.state === state)) return hit[0];
    if (Date.now() > deadline) throw new Error(`no ${topic} job ${JSON.stringify(args)} in ${state}: ${JSON.stringify(hit.map((j) => j.job.state))}`);
    await sleep(100);
  }
}

describe.each([
  ["stdio", false],
  ["streamable HTTP", true],
])("over %s", (_, http) => {
  let gw: Running;
  beforeAll(async () => {
    const config = writeConfig(gatewayYaml({ hold: "20s", upstreams: `${everythingStdio()}    hide: [get-tiny-image]\n` }));
    gw = await startGateway(config, w.agent, { http, stateDir: stateDir() });
  });
  afterAll(async () => {
    await gw?.close();
  });

  it("lists the upstream's tools unchanged, the hidden one removed", async () => {
    const mine = (await gw.client.listTools()).tools;
    const theirs = (await upstream.listTools()).tools;
    expect(mine.map((t) => t.name)).toEqual(theirs.map((t) => t.name).filter((n) => n !== "get-tiny-image"));
    expect(mine).toEqual(theirs.filter((t) => t.name !== "get-tiny-image"));
  });

  it("an allowed call runs once, returns the upstream's result unchanged, and completes the job", async () => {
    const args = { message: `hello ${randomInt(1e9)}` };
    const result = await gw.client.callTool({ name: "echo", arguments: args });
    expect(result).toEqual(await upstream.callTool({ name: "echo", arguments: args }));
    const job = await jobOf(w, "mcp.everything.echo", args, "SUCCEEDED");
    expect(job.job.payload).toEqual({ arguments: args });
    expect(job.job.labels).toEqual({ gateway: "mcp", upstream: "everything", tool: "echo" });
    expect(job.job.title).toBe("everything: echo");
    expect(job.job.description).toBe((await upstream.listTools()).tools.find((t) => t.name === "echo")!.description);
    expect(job.job.risk_tags).toEqual([]);
  });

  it("a denied call is not made: isError naming the decision, the reason and the job id", async () => {
    const result = await gw.client.callTool({ name: "get-env", arguments: {} });
    expect(result.isError).toBe(true);
    const job = await jobOf(w, "mcp.everything.get-env", {}, "DENIED");
    expect(text(result)).toContain("DENIED");
    expect(text(result)).toContain("Environment variables may hold secrets");
    expect(text(result)).toContain(job.job.id);
    // get-env would have answered with the environment; nothing of it came back.
    expect(text(result)).not.toContain("PATH");
  });

  it("a hidden or unknown tool is the SDK's unknown-tool JSON-RPC error, and makes no job", async () => {
    for (const name of ["get-tiny-image", "no-such-tool"]) {
      const err = await gw.client.callTool({ name, arguments: {} }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(McpError);
      expect((err as McpError).code).toBe(ErrorCode.InvalidParams);
      expect((err as McpError).message).toContain(`Tool ${name} not found`);
    }
    expect(await w.jobs({ topic: "mcp.everything.get-tiny-image" })).toEqual([]);
    expect(await w.jobs({ topic: "mcp.everything.no-such-tool" })).toEqual([]);
  });

  it.runIf(http)("refuses a Host header that does not name loopback (DNS rebinding)", async () => {
    // fetch cannot set Host; a page that reached the port through a rebinding DNS name would send its own.
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(gw.url!, {
        method: "POST",
        headers: { host: "attacker.example", "content-type": "application/json", accept: "application/json, text/event-stream" },
      });
      req.on("response", (res) => resolve(res.statusCode ?? 0)).on("error", reject);
      req.end(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "x", version: "1" } } }));
    });
    expect(status).toBe(403);
  });

  it("a call approved while it is held runs, with progress notifications while it waited", async () => {
    const args = sumArgs();
    const progress: unknown[] = [];
    const call = gw.client.callTool({ name: "get-sum", arguments: args }, undefined, { onprogress: (p) => void progress.push(p), timeout: 60_000 });
    const pending = await jobOf(w, "mcp.everything.get-sum", args, "APPROVAL");
    await sleep(300);
    await w.approve(pending.job.id);
    const result = await call;
    expect(result).toEqual(await upstream.callTool({ name: "get-sum", arguments: args }));
    expect(progress.length).toBeGreaterThan(0);
    expect(JSON.stringify(progress[0])).toContain(pending.job.id);
    expect((await jobOf(w, "mcp.everything.get-sum", args, "SUCCEEDED")).job.id).toBe(pending.job.id);
  });
});

describe("several upstreams", () => {
  let gw: Running;
  let httpUpstream: ChildProcess;
  beforeAll(async () => {
    // server-everything over streamable HTTP as the second upstream, with a header from the environment.
    const port = await freePort();
    httpUpstream = spawn(process.execPath, [EVERYTHING, "streamableHttp"], { env: { ...process.env, PORT: String(port) }, stdio: ["ignore", "ignore", "pipe"] });
    await new Promise<void>((resolve) => httpUpstream.stderr!.on("data", (d: Buffer) => d.toString().includes("listening") && resolve()));
    const upstreams = `${everythingStdio("a")}  - name: b
    url: http://127.0.0.1:${port}/mcp
    headers: { X-Trace: "\${TRACE_ID}" }
  - name: growing
    command: ["${process.execPath}", "${GROWING}"]
`;
    gw = await startGateway(writeConfig(gatewayYaml({ upstreams })), w.agent, { stateDir: stateDir(), env: { TRACE_ID: "t-1" } });
  });
  afterAll(async () => {
    await gw?.close();
    httpUpstream?.kill();
  });

  it("lists every upstream's tools as <upstream>__<tool>, and routes a call to its upstream as mcp.<upstream>.<tool>", async () => {
    const names = (await gw.client.listTools()).tools.map((t) => t.name);
    const theirs = (await upstream.listTools()).tools.map((t) => t.name);
    expect(names).toEqual([...theirs.map((n) => `a__${n}`), ...theirs.map((n) => `b__${n}`), "growing__grow"]);
    const args = { message: `via http ${randomInt(1e9)}` };
    expect(await gw.client.callTool({ name: "b__echo", arguments: args })).toEqual(await upstream.callTool({ name: "echo", arguments: args }));
    const job = await jobOf(w, "mcp.b.echo", args, "SUCCEEDED");
    expect(job.job.labels).toEqual({ gateway: "mcp", upstream: "b", tool: "echo" });
    expect(job.job.title).toBe("b: echo");
  });

  it("passes resources and prompts through ungated (no job)", async () => {
    const before = (await w.jobs()).length;
    const resources = (await gw.client.listResources()).resources;
    const direct = (await upstream.listResources()).resources;
    expect(resources).toEqual([...direct, ...direct]);
    expect(await gw.client.readResource({ uri: direct[0]!.uri })).toEqual(await upstream.readResource({ uri: direct[0]!.uri }));
    const prompts = (await gw.client.listPrompts()).prompts;
    const theirs = (await upstream.listPrompts()).prompts;
    expect(prompts).toEqual([...theirs.map((p) => ({ ...p, name: `a__${p.name}` })), ...theirs.map((p) => ({ ...p, name: `b__${p.name}` }))]);
    const simple = theirs.find((p) => !p.arguments?.some((a) => a.required))!;
    expect(await gw.client.getPrompt({ name: `b__${simple.name}` })).toEqual(await upstream.getPrompt({ name: simple.name }));
    expect((await w.jobs()).length).toBe(before);
  });

  it("passes an upstream's tools/list_changed on, and lists the new tool", async () => {
    const changed = new Promise<void>((resolve) => gw.client.setNotificationHandler(ToolListChangedNotificationSchema, () => resolve()));
    await gw.client.callTool({ name: "growing__grow", arguments: {} });
    await changed;
    expect((await gw.client.listTools()).tools.map((t) => t.name)).toContain("growing__grown-1");
  });
});

describe("pending, then retried", () => {
  const config = () => writeConfig(gatewayYaml({ hold: "1s", upstreams: everythingStdio() }));
  const dir = stateDir();

  it("answers pending with roles, counts, link and how to continue; a retry holds the same job; after approval and a restart, the retry runs it", async () => {
    const args = sumArgs();
    let gw = await startGateway(config(), w.agent, { stateDir: dir });
    const first = await gw.client.callTool({ name: "get-sum", arguments: args });
    const job = await jobOf(w, "mcp.everything.get-sum", args, "APPROVAL");
    expect(first.isError).toBe(true);
    const t = text(first);
    expect(t).toContain("PENDING");
    expect(t).toContain("1 more approval (0 of 1) from reviewer (rule sums-reviewed)");
    expect(t).toContain(`Console: ${process.env.COUNTERSIGN_URL}/jobs/${job.job.id}`);
    expect(t).toContain("call the tool again with the same arguments to continue");

    const second = await gw.client.callTool({ name: "get-sum", arguments: args });
    expect(text(second)).toContain(job.job.id);
    expect((await w.jobs({ topic: "mcp.everything.get-sum" })).filter((j) => j.job.payload.arguments.a === args.a)).toHaveLength(1);

    await w.approve(job.job.id);
    // The approval is for these arguments only: other ones are another job, which waits.
    const other = { a: args.a, b: args.b + 1 };
    expect(text(await gw.client.callTool({ name: "get-sum", arguments: other }))).toContain("PENDING");
    expect((await jobOf(w, "mcp.everything.get-sum", args)).job.state).toBe("APPROVED");
    await gw.close();
    gw = await startGateway(config(), w.agent, { stateDir: dir });
    const third = await gw.client.callTool({ name: "get-sum", arguments: args });
    expect(third).toEqual(await upstream.callTool({ name: "get-sum", arguments: args }));
    expect((await jobOf(w, "mcp.everything.get-sum", args, "SUCCEEDED")).job.id).toBe(job.job.id);
    await gw.close();
  });

  it("a rejected job answers REJECTED with the reviewer's reason to the retry, without a new job, also from a new gateway with no state", async () => {
    const args = sumArgs();
    let gw = await startGateway(config(), w.agent, { stateDir: dir });
    await gw.client.callTool({ name: "get-sum", arguments: args });
    const job = await jobOf(w, "mcp.everything.get-sum", args, "APPROVAL");
    await w.reject(job.job.id, "not with these numbers");
    await gw.close();
    // A fresh state directory: the gateway learns of the rejection from the agent's recent jobs.
    gw = await startGateway(config(), w.agent, { stateDir: stateDir() });
    const again = await gw.client.callTool({ name: "get-sum", arguments: args });
    expect(again.isError).toBe(true);
    expect(text(again)).toContain("REJECTED");
    expect(text(again)).toContain("not with these numbers");
    expect(text(again)).toContain(job.job.id);
    expect((await jobOf(w, "mcp.everything.get-sum", args)).job.id).toBe(job.job.id);
    await gw.close();
  });
});

describe("constraints, annotations, failure", () => {
  it("max_runtime_sec bounds the upstream call: cancelled, job failed, isError naming the limit", async () => {
    const gw = await startGateway(writeConfig(gatewayYaml({ upstreams: everythingStdio() })), w.agent, { stateDir: stateDir() });
    const args = { duration: 5, steps: 5 };
    const started = Date.now();
    const result = await gw.client.callTool({ name: "trigger-long-running-operation", arguments: args });
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(result.isError).toBe(true);
    expect(text(result)).toContain("max_runtime_sec: 1");
    const job = await jobOf(w, "mcp.everything.trigger-long-running-operation", args, "FAILED");
    expect(text(result)).toContain(job.job.id);
    await gw.close();
  });

  it("annotations add tags only with trust_annotations: true", async () => {
    const args = { messageType: "success" as const };
    for (const trust of [false, true]) {
      const name = trust ? "trusted" : "untrusted";
      const gw = await startGateway(
        writeConfig(gatewayYaml({ hold: "0s", upstreams: `${everythingStdio(name)}    trust_annotations: ${trust}\n` })),
        w.agent,
        { stateDir: stateDir() },
      );
      const result = await gw.client.callTool({ name: "get-annotated-message", arguments: args });
      const job = await jobOf(w, `mcp.${name}.get-annotated-message`, args);
      // readOnlyHint: true, destructiveHint: false, openWorldHint: false: only `read`, and only when trusted.
      expect(job.job.risk_tags).toEqual(trust ? ["read"] : []);
      expect(result.isError ?? false).toBe(!trust);
      await gw.close();
    }
  });

  it("a stdio upstream never sees the agent token in its environment", async () => {
    const gw = await startGateway(writeConfig(gatewayYaml({ upstreams: everythingStdio("envcheck") })), w.agent, { stateDir: stateDir() });
    const result = await gw.client.callTool({ name: "get-env", arguments: {} });
    expect(result.isError ?? false).toBe(false);
    expect(text(result)).toContain("PATH");
    expect(text(result)).not.toContain(w.agent);
    expect(text(result)).not.toContain("GW_TOKEN");
    await gw.close();
  });

  it("fails closed when Countersign cannot be reached: the call is not made", async () => {
    const gw = await startGateway(writeConfig(gatewayYaml({ url: "http://127.0.0.1:9", upstreams: everythingStdio() })), w.agent, { stateDir: stateDir() });
    const result = await gw.client.callTool({ name: "echo", arguments: { message: "never" } });
    expect(result.isError).toBe(true);
    expect(text(result)).toContain("could not be reached");
    expect(text(result)).not.toContain("Echo: never");
    await gw.close();
  });
});
