import { CancelledError, DeniedError, ExpiredError, PendingError, RejectedError, type ExecutionGrant } from "@countersign/sdk";
import { beforeAll, describe, expect, it } from "vitest";
import { api, makeTenant, sleep, uniq, type Reviewer, type Tenant } from "./server.js";

let t: Tenant;
let reviewer: Reviewer;

beforeAll(async () => {
  t = await makeTenant("gate");
  reviewer = await t.reviewer();
});

const audit = async (jobId: string) =>
  (await api("GET", `/api/v1/audit?job_id=${jobId}`, { token: t.admin })).body.items.map((e: { type: string }) => e.type) as string[];

describe("gate(job, fn)", () => {
  it("an allowed job: one submission claims it, fn runs with the grant, the job completes succeeded", async () => {
    let seen: ExecutionGrant | undefined;
    const result = await t.client.gate({ topic: "sdk.repo.read", payload: { n: uniq() } }, (grant) => {
      seen = grant;
      return 42;
    });
    expect(result).toBe(42);
    const job = await t.client.get(seen!.job_id);
    expect(job.job.state).toBe("SUCCEEDED");
    expect(await audit(seen!.job_id)).toEqual(["job.submitted", "job.claimed", "job.completed"]);
  });

  it("fn throws: the job completes failed with the message, and the error is rethrown", async () => {
    let id = "";
    const boom = new Error("disk full\u0000 on /srv");
    await expect(
      t.client.gate({ topic: "sdk.bucket.bounded", payload: { n: uniq() } }, (grant) => {
        id = grant.job_id;
        expect(grant.constraints).toEqual({ max_runtime_sec: 5 });
        throw boom;
      }),
    ).rejects.toBe(boom);
    const job = await t.client.get(id);
    expect(job.job.state).toBe("FAILED");
    const events = (await api("GET", `/api/v1/audit?job_id=${id}&type=job.completed`, { token: t.admin })).body.items;
    expect(events[0].data).toMatchObject({ outcome: "failed", detail: "disk full  on /srv" });
  });

  it("approved while it waits: fn runs after the person's approval", async () => {
    const ran: string[] = [];
    const job = { topic: "sdk.config.change", payload: { n: uniq() } };
    const gated = t.client.gate(job, (grant) => ran.push(grant.job_id), { timeoutMs: 20_000 });
    const hash = await t.client.jobHash(job);
    let pending: string | undefined;
    for (let i = 0; i < 50 && !pending; i++) {
      await sleep(100);
      pending = (await t.client.findJobs({ job_hash: hash }))[0]?.job.id;
    }
    expect((await reviewer.vote(pending!, "approve", "go")).status).toBe(200);
    await gated;
    expect(ran).toEqual([pending]);
    expect((await t.client.get(pending!)).job.state).toBe("SUCCEEDED");
  });

  it("denied: DeniedError with the policy's reason; fn never runs", async () => {
    const err = await t.client.gate({ topic: "sdk.table.drop", payload: { n: uniq() } }, () => expect.fail("must not run")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeniedError);
    expect(err).toMatchObject({ code: "denied", detail: "Dropping data is never allowed" });
    expect((err as DeniedError).job?.job.state).toBe("DENIED");
    expect((err as Error).message).toContain("Dropping data is never allowed");
  });

  it("rejected while it waits: RejectedError with the person's reason", async () => {
    const payload = { n: uniq() };
    const gated = t.client.gate({ topic: "sdk.config.change", payload }, () => expect.fail("must not run"), { timeoutMs: 20_000 }).catch((e: unknown) => e);
    const hash = await t.client.jobHash({ topic: "sdk.config.change", payload });
    let id: string | undefined;
    for (let i = 0; i < 50 && !id; i++) {
      await sleep(100);
      id = (await t.client.findJobs({ job_hash: hash }))[0]?.job.id;
    }
    await reviewer.vote(id!, "reject", "not today");
    const err = await gated;
    expect(err).toBeInstanceOf(RejectedError);
    expect((err as RejectedError).detail).toContain("not today");
  });

  it("nobody decides before the cutoff: ExpiredError", async () => {
    const err = await t.client.gate({ topic: "sdk.flag.quick", payload: { n: uniq() } }, () => expect.fail("must not run"), { timeoutMs: 20_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExpiredError);
    expect(err).toMatchObject({ code: "expired" });
  });

  it("still pending at the deadline: PendingError; with resume, trying again continues the same job", async () => {
    const job = { topic: "sdk.config.change", payload: { n: uniq() } };
    const first = await t.client.gate(job, () => expect.fail("must not run"), { timeoutMs: 1_000, resume: true }).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(PendingError);
    const pending = first as PendingError;
    expect(pending.detail).toBe("Waiting for approval: 1 more of reviewer.");
    expect(pending.consoleUrl).toBe(`${process.env.COUNTERSIGN_URL}/jobs/${pending.job!.job.id}`);

    // Approved in between: the next try claims that job instead of submitting another.
    await reviewer.vote(pending.job!.job.id, "approve", "ok");
    const ran = await t.client.gate(job, (grant) => grant.job_id, { timeoutMs: 5_000, resume: true });
    expect(ran).toBe(pending.job!.job.id);
    expect(await t.client.findJobs({ job_hash: pending.job!.job_hash })).toHaveLength(1);
  });

  it("resume answers a refusal of the last 10 minutes again instead of asking people twice", async () => {
    const job = { topic: "sdk.config.change", payload: { n: uniq() } };
    const submitted = await t.client.submit(job);
    await t.client.cancel(submitted.job.id, "changed my mind");
    const err = await t.client.gate(job, () => expect.fail("must not run"), { timeoutMs: 1_000, resume: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CancelledError);
    expect(await t.client.findJobs({ job_hash: submitted.job_hash })).toHaveLength(1);
  });
});
