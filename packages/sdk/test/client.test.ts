import { CountersignError, type JobItem } from "@countersign/sdk";
import { beforeAll, describe, expect, it } from "vitest";
import { api, makeTenant, sleep, uniq, type Reviewer, type Tenant } from "./server.js";

let t: Tenant;
let reviewer: Reviewer;

beforeAll(async () => {
  t = await makeTenant("client");
  reviewer = await t.reviewer();
});

describe("the client against a real server", () => {
  it("submit with claim: an allowed job comes back RUNNING with its grant", async () => {
    const job = { topic: "sdk.repo.read", risk_tags: ["read"], payload: { path: "README.md", n: uniq() } };
    const res = await t.client.submit(job, { claim: true });
    expect(res.job.state).toBe("RUNNING");
    expect(res.grant).toEqual({ job_id: res.job.id, job_hash: res.job_hash, policy_snapshot: res.policy_snapshot, constraints: null });
    expect(res.job_hash).toBe(await t.client.jobHash(job));
    const done = await t.client.complete(res.job.id, "succeeded", "read 12 lines");
    expect(done.job.state).toBe("SUCCEEDED");
  });

  it("submit without claim: allowed is APPROVED; claim once, the second claim is 409 already_claimed", async () => {
    const res = await t.client.submit({ topic: "sdk.bucket.bounded", payload: { n: uniq() } });
    expect(res.job.state).toBe("APPROVED");
    expect(res.grant).toBeUndefined();
    const grant = await t.client.claim(res);
    expect(grant.constraints).toEqual({ max_runtime_sec: 5 });
    const again = await t.client.claim({ job_id: res.job.id, job_hash: res.job_hash }).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(CountersignError);
    expect(again).toMatchObject({ status: 409, code: "already_claimed" });
  });

  it("a person approves over the API while the agent waits; the agent claims and completes", async () => {
    const job = await t.client.submit({ topic: "sdk.config.change", risk_tags: ["prod"], payload: { key: "timeout", to: 30, n: uniq() } }, { idempotencyKey: `k-${uniq()}` });
    expect(job.job.state).toBe("APPROVAL");
    expect(job.requirements).toEqual([{ rule_id: "change", roles: ["reviewer"], count: 1, approvals: 0 }]);
    const polls: JobItem[] = [];
    const waiting = t.client.waitForDecision(job.job.id, { timeoutMs: 20_000, onPoll: (i) => polls.push(i) });
    await sleep(300);
    expect((await reviewer.vote(job.job.id, "approve", "looks right")).status).toBe(200);
    const decided = await waiting;
    expect(decided.job.state).toBe("APPROVED");
    expect(decided.resolved_by).toBe(reviewer.email);
    expect(polls.at(-1)?.job.state).toBe("APPROVED");
    const grant = await t.client.claim(decided);
    expect(grant.job_hash).toBe(job.job_hash);
    expect((await t.client.complete(job.job.id, "failed", "rolled back")).job.state).toBe("FAILED");
  });

  it("a person rejects: the wait ends REJECTED with the reason; claiming is 409 not_approved", async () => {
    const job = await t.client.submit({ topic: "sdk.config.change", payload: { n: uniq() } });
    const waiting = t.client.waitForDecision(job.job.id, { timeoutMs: 20_000 });
    await sleep(200);
    expect((await reviewer.vote(job.job.id, "reject", "not during the freeze")).status).toBe(200);
    const decided = await waiting;
    expect(decided.job.state).toBe("REJECTED");
    expect(decided.resolved_comment).toContain("not during the freeze");
    await expect(t.client.claim(decided)).rejects.toMatchObject({ status: 409, code: "not_approved" });
  });

  it("a job nobody approves expires at its cutoff, and the wait reports it at once", async () => {
    const job = await t.client.submit({ topic: "sdk.flag.quick", payload: { n: uniq() } });
    expect(job.sla.expires_at).not.toBeNull();
    const started = Date.now();
    const decided = await t.client.waitForDecision(job.job.id, { timeoutMs: 20_000 });
    expect(decided.job.state).toBe("EXPIRED");
    expect(decided.resolution).toBe("expired");
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("waitForDecision returns the job still pending at its timeout; cancel withdraws it", async () => {
    const job = await t.client.submit({ topic: "sdk.config.change", payload: { n: uniq() } });
    const still = await t.client.waitForDecision(job.job.id, { timeoutMs: 1_200 });
    expect(still.job.state).toBe("APPROVAL");
    const cancelled = await t.client.cancel(job.job.id, "no longer needed");
    expect(cancelled.job.state).toBe("CANCELLED");
  });

  it("findJobs: the agent's own jobs with one topic and job hash, newest first", async () => {
    const job = { topic: "sdk.config.change", payload: { find: uniq() } };
    const a = await t.client.submit(job);
    const b = await t.client.submit(job);
    const found = await t.client.findJobs({ topic: job.topic, job_hash: await t.client.jobHash(job) });
    expect(found.map((i) => i.job.id)).toEqual([b.job.id, a.job.id]);
    expect(await t.client.findJobs({ job_hash: "0".repeat(64) })).toEqual([]);
  });

  it("refusals carry status and code: validation, scope, unknown job, unreachable server", async () => {
    const invalid = await t.client.submit({ topic: "Not A Topic", payload: {} }).catch((e: unknown) => e);
    expect(invalid).toMatchObject({ status: 400, code: "validation_failed" });
    expect((invalid as CountersignError).errors?.length).toBeGreaterThan(0);
    await expect(t.client.get("job-unknown")).rejects.toMatchObject({ status: 404, code: "not_found" });
    const reader = (await api("POST", "/api/v1/admin/tokens", { token: t.admin, body: { kind: "agent", name: "submit-only", scopes: ["jobs:submit"] } })).body.token;
    const { Countersign } = await import("@countersign/sdk");
    const limited = new Countersign({ baseUrl: process.env.COUNTERSIGN_URL!, token: reader });
    await expect(limited.submit({ topic: "sdk.repo.read", payload: {} }, { claim: true })).rejects.toMatchObject({ status: 403, code: "insufficient_scope" });
    const nowhere = new Countersign({ baseUrl: "http://127.0.0.1:9", token: "cs_x" });
    await expect(nowhere.get("job-x")).rejects.toMatchObject({ status: 0, code: "unreachable" });
  });
});
