import { beforeAll, describe, expect, it } from "vitest";
import { Countersign, CountersignError } from "@countersign/sdk";
import { makeWorld, type World } from "./fixtures";
import { call, dispatch } from "./http";

// The SDK against the real route handlers and database (its fetch is routed like the server routes).
const fetchViaHandlers: typeof fetch = async (input, init) => dispatch(new Request(input, init));

let w: World;
let cs: Countersign;
let reviewer: { token: string };

beforeAll(async () => {
  w = await makeWorld("sdk");
  reviewer = await w.person(["service-owner"], "ops");
  cs = new Countersign({ baseUrl: "http://localhost:3000/", token: w.agent, fetch: fetchViaHandlers });
});

const PROD = { topic: "job.config.update", risk_tags: ["prod", "write"], payload: { key: "timeout", value: 30 } };

describe("the agent SDK", () => {
  it("runs the whole loop: submit, wait for the decision, claim once, report the outcome", async () => {
    const job = await cs.submit(PROD, { idempotencyKey: `sdk-${Date.now()}` });
    expect(job.decision).toBe("REQUIRE_APPROVAL");
    const waiting = cs.waitForDecision(job.job.id, { timeoutMs: 10_000 });
    await new Promise((r) => setTimeout(r, 100));
    expect((await call("POST", `/api/v1/approvals/${job.job.id}/approve`, { token: reviewer.token, body: { reason: "ok" } })).status).toBe(200);
    const decided = await waiting;
    expect(decided.job.state).toBe("APPROVED");

    const grant = await cs.claim(decided);
    expect(grant).toMatchObject({ job_id: job.job.id, job_hash: job.job_hash, policy_snapshot: job.policy_snapshot });
    await expect(cs.claim(decided)).rejects.toMatchObject({ status: 409, code: "already_claimed" });
    const done = await cs.complete(job.job.id, "succeeded", "rolled out");
    expect(done.job.state).toBe("SUCCEEDED");
  });

  it("a denied job answers at once; refusals carry the stable code", async () => {
    const denied = await cs.submit({ topic: "job.db.drop", risk_tags: ["prod"], payload: { db: "orders" } });
    expect(denied.decision).toBe("DENY");
    expect(denied.job.state).toBe("DENIED");
    const err = await cs.submit({ topic: "Not A Topic", payload: {} } as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CountersignError);
    expect(err).toMatchObject({ status: 400, code: "validation_failed" });
  });

  it("waitForDecision gives up at its timeout with the job still pending; cancel withdraws it", async () => {
    const job = await cs.submit({ ...PROD, payload: { n: Date.now() } });
    const still = await cs.waitForDecision(job.job.id, { timeoutMs: 1_000 });
    expect(still.job.state).toBe("APPROVAL");
    const cancelled = await cs.cancel(job.job.id, "no longer needed");
    expect(cancelled.job.state).toBe("CANCELLED");
  });
});

describe("verifyAudit (what `countersign audit verify` calls)", () => {
  it("sends the log's text and the key, names the tenant in the query, and refuses with the stable codes", async () => {
    const audit = new Countersign({ baseUrl: "http://localhost:3000", token: w.admin, fetch: fetchViaHandlers });
    const v = await audit.verifyAudit({ checkpoints: "" });
    expect(v.ok).toBe(true);
    expect(v.results.map((r) => r.tenant)).toEqual([w.tenant]);
    expect(v.checkpoints).toEqual({ lines: 0, problems: [] });
    expect((await audit.verifyAudit({ checkpoints: "not a checkpoint\n", tenant: w.tenant })).checkpoints.problems).toEqual([
      { code: "not_a_checkpoint", line: 1, reason: "not a checkpoint" },
    ]);
    await expect(audit.verifyAudit({ checkpoints: "", tenant: "someone-else" })).rejects.toMatchObject({ status: 403, code: "tenant_forbidden" });
    await expect(audit.verifyAudit({ checkpoints: "", public_key: "nope" })).rejects.toMatchObject({ status: 400, code: "validation_failed", errors: [{ path: "public_key" }] });
    await expect(cs.verifyAudit({ checkpoints: "" })).rejects.toMatchObject({ status: 403, code: "insufficient_scope" });
  });
});
