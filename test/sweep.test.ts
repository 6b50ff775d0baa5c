import { beforeAll, describe, expect, it } from "vitest";
import { principalForSession } from "@/lib/auth/session";
import { getDatabase, getDb } from "@/lib/db/client";
import { resolveVote } from "@/lib/services/approvals/resolve";
import { sweep } from "@/lib/services/sla/sweep";
import { call } from "./http";
import { makeWorld, signedIn, type Person, type World } from "./fixtures";

const POLICY = `version: v1
rules:
  - id: escalating
    match:
      topics: ["job.esc.*"]
    decision: require_approval
    approvers: { roles: [oncall], count: 1 }
    sla: 10m
    on_timeout: escalate
    escalate_to: [eng-manager]
    cutoff: 1h
  - id: rejecting
    match:
      topics: ["job.rej.*"]
    decision: require_approval
    approvers: { roles: [finance], count: 2 }
    sla: 10m
    on_timeout: reject
    cutoff: 1h
`;
const MIN = 60_000;

async function auditTypes(w: World, jobId: string): Promise<string[]> {
  const res = await call("GET", `/api/v1/audit?job_id=${jobId}`, { token: w.admin });
  return res.body.items.map((e: { type: string }) => e.type);
}

describe("the SLA sweeper (time injected)", () => {
  let w: World;
  let manager: Person;
  beforeAll(async () => {
    w = await makeWorld("sweep");
    const put = await call("PUT", "/api/v1/policy", { token: w.admin, rawBody: POLICY, headers: { "content-type": "application/yaml" } });
    expect(put.status).toBe(200);
    manager = await w.person(["eng-manager"]);
  });

  it("escalates at due_at, expires at the cutoff or at due_at for on_timeout reject, never approves, once each", async () => {
    const db = await getDb();
    const esc = await w.submit({ topic: "job.esc.deploy" });
    const rej = await w.submit({ topic: "job.rej.pay" });
    const t0 = Date.parse(esc.job.created_at);

    // The sweeper serves every tenant, so these checks look at this test's own jobs only.
    // Before due_at nothing happens to them.
    await sweep(db, new Date(t0 + 5 * MIN));
    expect(await auditTypes(w, esc.job.id)).toEqual(["job.submitted"]);
    expect(await auditTypes(w, rej.job.id)).toEqual(["job.submitted"]);

    // At due_at: the escalating job escalates, the rejecting one expires. Two sweepers race.
    const at11 = new Date(t0 + 11 * MIN);
    await Promise.all([sweep(db, at11), sweep(db, at11)]);
    const escNow = (await call("GET", `/api/v1/jobs/${esc.job.id}`, { token: w.agent })).body;
    expect(escNow.job.state).toBe("APPROVAL");
    expect(escNow.sla.escalated).toBe(true);
    const rejNow = (await call("GET", `/api/v1/jobs/${rej.job.id}`, { token: w.agent })).body;
    expect(rejNow).toMatchObject({ resolution: "expired", resolved_by: "system:sla" });
    expect(rejNow.job.state).toBe("EXPIRED");

    // Sweeping again changes nothing; each transition has exactly one audit event.
    await sweep(db, at11);
    expect((await auditTypes(w, esc.job.id)).filter((t) => t === "job.escalated")).toHaveLength(1);
    expect((await auditTypes(w, rej.job.id)).filter((t) => t === "job.expired")).toHaveLength(1);

    // At the cutoff the escalated job expires too (never auto-approved).
    await sweep(db, new Date(t0 + 61 * MIN));
    const expired = (await call("GET", `/api/v1/jobs/${esc.job.id}`, { token: w.agent })).body;
    expect(expired).toMatchObject({ resolution: "expired", resolved_by: "system:sla" });
    expect(await auditTypes(w, esc.job.id)).toEqual(["job.submitted", "job.escalated", "job.expired"]);
  });

  it("an escalated job can be approved by the escalate_to role; a vote after expiry is refused", async () => {
    const db = await getDb();
    const esc = await w.submit({ topic: "job.esc.config" });
    const t0 = Date.parse(esc.job.created_at);
    await sweep(db, new Date(t0 + 11 * MIN));
    const approved = await call("POST", `/api/v1/approvals/${esc.job.id}/approve`, { token: manager.token, body: { reason: "escalated to me" } });
    expect(approved.status).toBe(200);
    expect(approved.body.job.state).toBe("APPROVED");

    const late = await w.submit({ topic: "job.esc.late" });
    await sweep(db, new Date(Date.parse(late.job.created_at) + 61 * MIN));
    const vote = await call("POST", `/api/v1/approvals/${late.job.id}/approve`, { token: manager.token, body: { reason: "too late" } });
    expect(vote.status).toBe(409);
    expect(["expired", "already_resolved"]).toContain(vote.body.code);
    expect((await call("GET", "/api/v1/audit/verify", { token: w.admin })).body.ok).toBe(true);
  });

  it("a vote one millisecond after expires_at is refused; one millisecond before, it counts", async () => {
    const db = await getDb();
    const { query } = await getDatabase();
    const oncall = await w.person(["oncall"], "edge");
    const principal = await principalForSession(query, await signedIn(oncall.id, w.tenant), new Date());
    const ctxAt = (ms: number) => ({ db, query, principal, now: new Date(ms) });

    const late = await w.submit({ topic: "job.esc.edge-late" });
    const expiresAt = Date.parse(late.sla.expires_at);
    await expect(resolveVote({ ctx: ctxAt(expiresAt + 1), id: late.job.id, vote: "approve", input: { reason: "too late" } })).rejects.toMatchObject({ code: "expired" });
    const stored = await call("GET", `/api/v1/jobs/${late.job.id}`, { token: w.agent });
    expect(stored.body).toMatchObject({ job: { state: "EXPIRED" }, resolution: "expired", resolved_by: "system:sla" });

    const inTime = await w.submit({ topic: "job.esc.edge-ok" });
    const ok = await resolveVote({ ctx: ctxAt(Date.parse(inTime.sla.expires_at) - 1), id: inTime.job.id, vote: "approve", input: { reason: "just in time" } });
    expect(ok.job.state).toBe("APPROVED");
  });
});
