/**
 * The outcome is reported after the result is returned, and retried until the server accepts it
 * (DESIGN §7.1): through an outage of Countersign, and across a gateway that dies before it got through.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openReports } from "../src/completions";
import { breakableProxy, everythingStdio, gatewayYaml, makeWorld, startGateway, stateDir, writeConfig, type World } from "./world";

const POLICY = `version: v1
defaults: { decision: require_approval }
rules:
  - id: allow-all-everything
    match: { topics: ["mcp.everything.*"] }
    decision: allow
`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const isComplete = (_m: string, p: string) => p.endsWith("/complete");
/** The reports not yet accepted, over every journal in the state directory. */
const unsent = (dir: string) => readdirSync(path.join(dir, "completions")).flatMap((f) => openReports(readFileSync(path.join(dir, "completions", f), "utf8")));

let w: World;
let proxy: Awaited<ReturnType<typeof breakableProxy>>;
beforeAll(async () => {
  w = await makeWorld("done", POLICY);
  proxy = await breakableProxy();
});
afterAll(async () => {
  await proxy?.close();
});

async function only(topic: string, message: unknown, key = "message"): Promise<any> {
  const all = (await w.jobs({ topic })).filter((j) => j.job.payload.arguments[key] === message);
  expect(all).toHaveLength(1);
  return all[0];
}

describe("completion reports", () => {
  const config = () => writeConfig(gatewayYaml({ url: proxy.url, upstreams: everythingStdio() }));

  it("an outage after the result: the job completes once Countersign answers again", async () => {
    const gw = await startGateway(config(), w.agent, { stateDir: stateDir() });
    proxy.failing(isComplete);
    const message = `outage ${Date.now()}`;
    const result = await gw.client.callTool({ name: "echo", arguments: { message } });
    expect(result.isError ?? false).toBe(false);
    await sleep(1_000);
    expect((await only("mcp.everything.echo", message)).job.state).toBe("RUNNING");
    proxy.failing(() => false);
    await expect.poll(async () => (await only("mcp.everything.echo", message)).job.state, { timeout: 10_000 }).toBe("SUCCEEDED");
    await gw.close();
  });

  it("a gateway killed before its report got through: the next start sends it", async () => {
    const dir = stateDir();
    let gw = await startGateway(config(), w.agent, { stateDir: dir });
    proxy.failing(isComplete);
    const message = `killed ${Date.now()}`;
    await gw.client.callTool({ name: "echo", arguments: { message } });
    process.kill(gw.pid, "SIGKILL");
    await gw.close();
    expect(unsent(dir).map((e) => e.outcome)).toEqual(["succeeded"]);
    proxy.failing(() => false);
    gw = await startGateway(config(), w.agent, { stateDir: dir });
    await expect.poll(async () => (await only("mcp.everything.echo", message)).job.state, { timeout: 10_000 }).toBe("SUCCEEDED");
    await expect.poll(() => unsent(dir).length, { timeout: 5_000 }).toBe(0);
    await gw.close();
    // The journal the killed gateway left was taken over and removed, and the new one removed on exit.
    await expect.poll(() => readdirSync(path.join(dir, "completions")), { timeout: 5_000 }).toEqual([]);
  });

  it("a gateway killed while the upstream ran: the next start completes the job failed, outcome unknown", async () => {
    const dir = stateDir();
    let gw = await startGateway(config(), w.agent, { stateDir: dir });
    const args = { duration: 30, steps: 30 };
    void gw.client.callTool({ name: "trigger-long-running-operation", arguments: args }).catch(() => undefined);
    await expect.poll(async () => (await w.jobs({ topic: "mcp.everything.trigger-long-running-operation" }))[0]?.job.state, { timeout: 10_000 }).toBe("RUNNING");
    process.kill(gw.pid, "SIGKILL");
    await gw.close();
    gw = await startGateway(config(), w.agent, { stateDir: dir });
    const [job] = await w.jobs({ topic: "mcp.everything.trigger-long-running-operation" });
    await expect.poll(async () => (await w.jobs({ topic: "mcp.everything.trigger-long-running-operation" }))[0].job.state, { timeout: 10_000 }).toBe("FAILED");
    const completed = (await w.audit(job.job.id)).find((e) => e.type === "job.completed");
    expect(completed?.data).toEqual({ outcome: "failed", detail: "the gateway stopped before the upstream answered: the outcome is unknown" });
    await gw.close();
  });
});
