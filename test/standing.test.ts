import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { call } from "./http";
import { makeWorld, type Person, type World } from "./fixtures";
import { activatePolicy, allowRule, approvalRule, policyOf } from "./policies";

// Standing approvals (DESIGN §2.1) end to end through the real routes on PostgreSQL.
const SINGLE = approvalRule({ id: "single", topics: "job.ops.*", roles: ["oncall"], count: 1, sla: "10m", cutoff: "1h" });
const DUAL = approvalRule({ id: "dual", topics: "job.pay.*", roles: ["finance"], count: 2, sla: "10m", cutoff: "1h" });
// Two single approvals from different roles: one person's approval alone does not approve it.
const TWO_ROLES = [
  approvalRule({ id: "two-a", topics: "job.two.*", roles: ["oncall"], count: 1, sla: "10m", cutoff: "1h" }),
  approvalRule({ id: "two-b", topics: "job.two.*", roles: ["security"], count: 1, sla: "10m", cutoff: "1h" }),
];
const POLICY = policyOf(SINGLE, DUAL, ...TWO_ROLES, allowRule("reads", "job.read.*"));

const approve = (p: Person, id: string, body: Record<string, unknown> = {}) =>
  call("POST", `/api/v1/approvals/${id}/approve`, { token: p.token, body: { reason: "looks right", ...body } });
const standingList = (token: string) => call("GET", "/api/v1/approvals/standing", { token });
const revoke = (token: string, id: string) => call("DELETE", `/api/v1/approvals/standing/${id}`, { token });

async function rows<T>(q: ReturnType<typeof sql>): Promise<T[]> {
  const db = await getDb();
  return [...((await db.execute(q)) as unknown as T[])];
}
const auditTypes = (tenant: string, type: string) =>
  rows<{ actor: string; job_id: string | null; data: Record<string, unknown> }>(
    sql`select actor, job_id, data from audit_events where tenant_id = ${tenant} and type = ${type} order by id`,
  );

describe("standing approvals", () => {
  let w: World;
  let oncall: Person;
  let other: Person;
  let finance: Person[];
  let otherAgent: string;
  const deploy = { topic: "job.ops.restart", payload: { service: "billing-api" } };

  beforeAll(async () => {
    w = await makeWorld("standing");
    await activatePolicy(w, POLICY);
    [oncall, other, ...finance] = await Promise.all([w.person(["oncall"], "oncall"), w.person(["oncall"], "oncall2"), w.person(["finance"]), w.person(["finance"])]);
    const tok = await call("POST", "/api/v1/admin/tokens", {
      token: w.admin,
      body: { kind: "agent", name: "other-bot", scopes: ["jobs:submit", "jobs:read"] },
    });
    otherAgent = tok.body.token;
  });

  /** Submit `deploy`, approve it with a standing approval for `for_`; the grant. */
  async function grant(for_ = "2h", body: { topic: string; payload: Record<string, unknown> } = deploy) {
    const job = await w.submit(body);
    const res = await approve(oncall, job.job.id, { standing_for: for_ });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.job.state).toBe("APPROVED");
    return { job, standing: res.body.standing_approval as { id: string; expires_at: string } };
  }

  it("approves an identical later job of the same agent at submission, named in its decision log", async () => {
    const { job: first, standing } = await grant("2h");
    expect(standing).toMatchObject({ job_hash: first.job_hash, topic: deploy.topic, agent: "agent:deploy-bot", granted_by: oncall.email });

    const listed = await standingList(oncall.token);
    expect(listed.status).toBe(200);
    expect(listed.body.items).toContainEqual(expect.objectContaining({ id: standing.id, job_hash: first.job_hash, agent: "agent:deploy-bot", granted_by: oncall.email, expires_at: standing.expires_at }));

    const again = await w.submit(deploy);
    expect(again.job.state).toBe("APPROVED");
    expect(again).toMatchObject({ decision: "REQUIRE_APPROVAL", resolution: "approved", resolved_by: oncall.email, job_hash: first.job_hash });
    const log = await call("GET", `/api/v1/jobs/${again.job.id}/decisions`, { token: w.admin });
    expect(log.body.decisions.map((d: { cause: string }) => d.cause)).toEqual(["submit", "standing_approval"]);
    expect(log.body.decisions[1].reason).toContain(standing.id);
    expect(log.body.decisions[1].reason).toContain(oncall.email);
    expect(log.body.votes).toEqual([]);
    // It can run: claimed like any approved job.
    const claim = await call("POST", `/api/v1/jobs/${again.job.id}/claim`, { token: w.agent, body: { job_hash: again.job_hash } });
    expect(claim.status).toBe(200);

    const granted = await auditTypes(w.tenant, "approval.standing_granted");
    expect(granted.at(-1)).toMatchObject({ actor: `user:${oncall.email}`, job_id: first.job.id, data: expect.objectContaining({ id: standing.id, standing_for: "2h" }) });
    const used = await auditTypes(w.tenant, "approval.standing_used");
    expect(used.at(-1)).toMatchObject({ job_id: again.job.id, data: expect.objectContaining({ standing_approval: standing.id, granted_by: oncall.email }) });
  });

  it("does not approve another agent's job, another payload, or anything after it expires", async () => {
    await grant("1s", { topic: "job.ops.scale", payload: { replicas: 3 } });
    const otherBot = await call("POST", "/api/v1/jobs", { token: otherAgent, body: { topic: "job.ops.scale", risk_tags: [], payload: { replicas: 3 } } });
    expect(otherBot.body.job.state).toBe("APPROVAL");
    const otherPayload = await w.submit({ topic: "job.ops.scale", payload: { replicas: 4 } });
    expect(otherPayload.job.state).toBe("APPROVAL");
    await new Promise((r) => setTimeout(r, 1100));
    const late = await w.submit({ topic: "job.ops.scale", payload: { replicas: 3 } });
    expect(late.job.state).toBe("APPROVAL");
    expect((await standingList(oncall.token)).body.items.map((i: { topic: string }) => i.topic)).not.toContain("job.ops.scale");
  });

  it("is revoked by its granter or an admin, not by another reviewer, and then approves nothing", async () => {
    const body = { topic: "job.ops.flush", payload: { cache: "edge" } };
    const { standing } = await grant("2h", body);
    const refused = await revoke(other.token, standing.id);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe("not_granter");
    expect((await revoke(oncall.token, "std-unknown")).status).toBe(404);

    const revoked = await revoke(oncall.token, standing.id);
    expect(revoked.status, JSON.stringify(revoked.body)).toBe(200);
    expect(revoked.body).toMatchObject({ id: standing.id, revoked_by: `user:${oncall.email}` });
    // Again: answered as it stands, audited once.
    expect((await revoke(oncall.token, standing.id)).body).toEqual(revoked.body);
    expect((await w.submit(body)).job.state).toBe("APPROVAL");

    const byAdmin = await grant("2h", { topic: "job.ops.flush", payload: { cache: "origin" } });
    expect((await revoke(w.admin, byAdmin.standing.id)).status).toBe(200);
    const ended = await auditTypes(w.tenant, "approval.standing_revoked");
    expect(ended.map((e) => e.data.id)).toEqual(expect.arrayContaining([standing.id, byAdmin.standing.id]));
    expect(ended.filter((e) => e.data.id === standing.id)).toHaveLength(1);
  });

  it("ends when another policy becomes active", async () => {
    const body = { topic: "job.ops.drain", payload: { node: "n1" } };
    const { standing } = await grant("2h", body);
    await activatePolicy(w, POLICY.replace("sla: 10m", "sla: 15m"));
    expect((await standingList(oncall.token)).body.items.map((i: { id: string }) => i.id)).not.toContain(standing.id);
    expect((await w.submit(body)).job.state).toBe("APPROVAL");
    const ended = await auditTypes(w.tenant, "approval.standing_revoked");
    expect(ended.find((e) => e.data.id === standing.id)?.data).toMatchObject({ cause: "policy_activated" });
  });

  it("is refused with 409 standing_not_allowed where two people are needed, recording nothing", async () => {
    const job = await w.submit({ topic: "job.pay.refund", payload: { amount: 5000 } });
    const before = await rows<{ n: number }>(sql`select count(*)::int as n from votes where job_id = ${job.job.id}`);
    const res = await approve(finance[0]!, job.job.id, { standing_for: "1h" });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe("standing_not_allowed");
    expect(await rows(sql`select count(*)::int as n from votes where job_id = ${job.job.id}`)).toEqual(before);
    expect(await rows(sql`select id from standing_approvals where source_job_id = ${job.job.id}`)).toEqual([]);
    expect(await rows(sql`select id from audit_events where job_id = ${job.job.id} and type <> 'job.submitted'`)).toEqual([]);
    // Without it the same vote counts as usual.
    expect((await approve(finance[0]!, job.job.id)).status).toBe(200);
  });

  it("is refused where this approval alone would not approve the job, recording nothing", async () => {
    const job = await w.submit({ topic: "job.two.rotate", payload: { key: "k1" } });
    const res = await approve(oncall, job.job.id, { standing_for: "1h" });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe("standing_not_allowed");
    expect(await rows(sql`select id from votes where job_id = ${job.job.id}`)).toEqual([]);
  });

  it.each([["25h"], ["2 hours"], ["0h"], [""]])("refuses standing_for %j with 400", async (value) => {
    const job = await w.submit({ topic: "job.ops.restart", payload: { service: `x-${value}` } });
    const res = await approve(oncall, job.job.id, { standing_for: value });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("validation_failed");
    expect(await rows(sql`select id from votes where job_id = ${job.job.id}`)).toEqual([]);
  });

  it("refuses standing_for on a reject", async () => {
    const job = await w.submit({ topic: "job.ops.restart", payload: { service: "reject-me" } });
    const res = await call("POST", `/api/v1/approvals/${job.job.id}/reject`, { token: oncall.token, body: { reason: "no", standing_for: "1h" } });
    expect(res.status).toBe(400);
  });

  it("lists only the caller's tenant, and needs approvals:read", async () => {
    const stranger = await makeWorld("standing-other");
    expect((await standingList(stranger.admin)).body.items).toEqual([]);
    expect((await standingList(w.agent)).status).toBe(403);
  });
});
