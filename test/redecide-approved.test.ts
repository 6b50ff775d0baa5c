/**
 * A new policy reaches approved work that has not run (issue 25, part 1): activation re-decides approved,
 * unclaimed jobs as it re-decides pending ones, and a claim is only ever granted under the tenant's
 * active snapshot, also while an activation races it.
 */
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { DEFAULT_POLICY_YAML } from "@/lib/policy/default-policy";
import { makeWorld, type Person, type World } from "./fixtures";
import { call, type CallResult } from "./http";
import { auditOf, claim, decisionsOf, expectChainOk, expectProblem, observe, people, req, sleep, submit, tenantAudit, vote } from "./races-helpers";

const TICKET = { topic: "job.ticket.update", risk_tags: [] as string[] }; // allow_with_constraints (max_runtime_sec 30)
const PROD_WRITE = { topic: "job.config.update", risk_tags: ["prod", "write"] }; // 1 of service-owner/oncall
const READ = { topic: "job.repo.read", risk_tags: [] as string[] }; // allow

const rules = (...extra: string[]) => `${DEFAULT_POLICY_YAML}${extra.join("")}`;
const LOCKDOWN = `
  - id: lockdown-tickets
    match: { topics: ["job.ticket.update"] }
    decision: deny
    reason: "Lockdown: no ticket updates"
`;
const TWO_SECURITY = `
  - id: config-needs-security
    match: { topics: ["job.config.*"], risk_tags: [prod] }
    decision: require_approval
    approvers: { roles: [security], count: 2 }
`;

async function put(w: World, yaml: string): Promise<string> {
  const res = await req("PUT", "/api/v1/policy", { token: w.admin, rawBody: yaml, headers: { "content-type": "application/yaml" } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.snapshot_id as string;
}

const job = async (w: World, id: string) => (await req("GET", `/api/v1/jobs/${id}`, { token: w.admin })).body;

describe("activation re-decides approved, unclaimed jobs: the stricter outcome wins", () => {
  let w: World;
  let oncall: Person;
  let security: Person[];
  beforeAll(async () => {
    w = await makeWorld("redecide-approved");
    oncall = await w.person(["oncall"], "oncall");
    security = await people(w, 2, ["security"], "sec");
  });

  it("a lockdown that denies the topic denies the approved job; its claim is stale_snapshot and writes nothing", async () => {
    await put(w, DEFAULT_POLICY_YAML);
    const allowed = await submit(w, { ...TICKET, payload: { lockdown: 1 } });
    expect(allowed.job.state).toBe("APPROVED");
    const running = await submit(w, { ...TICKET, payload: { lockdown: "claimed first" } });
    expect((await claim(running.job.id, w.agent, { job_hash: running.job_hash })).status).toBe(200);

    const s2 = await put(w, rules(LOCKDOWN));
    expect(await job(w, allowed.job.id)).toMatchObject({
      job: { state: "DENIED" },
      decision: "DENY",
      policy_snapshot: s2,
      policy_rule_id: "lockdown-tickets",
      resolution: null,
      resolved_by: "system:policy",
    });
    const log = await decisionsOf(w.admin, allowed.job.id);
    expect(log.decisions.map((d: { cause: string; decision: string }) => `${d.cause}:${d.decision}`)).toEqual(["submit:ALLOW_WITH_CONSTRAINTS", "policy_change:DENY"]);
    const redecided = (await auditOf(w.admin, allowed.job.id)).filter((e) => e.type === "job.redecided");
    expect(redecided.map((e) => e.data)).toEqual([expect.objectContaining({ policy_snapshot: s2, decision: "deny", state: "DENIED" })]);

    const before = await observe(w.admin, allowed.job.id);
    expectProblem(await claim(allowed.job.id, w.agent, { job_hash: allowed.job_hash }), 409, "stale_snapshot");
    expect(await observe(w.admin, allowed.job.id)).toEqual(before);
    // Work already claimed is not the new policy's: it runs under the grant it was given.
    expect((await job(w, running.job.id)).job.state).toBe("RUNNING");
    expect((await decisionsOf(w.admin, running.job.id)).decisions).toHaveLength(1);
    await expectChainOk(w.admin);
  });

  it("approved by one on-call person, then two security people are needed: back to APPROVAL with the vote kept", async () => {
    await put(w, DEFAULT_POLICY_YAML);
    const pending = await submit(w, { ...PROD_WRITE, payload: { on_call: 1 } });
    const approved = await vote("approve", pending.job.id, oncall.token);
    expect(approved.body.job.state).toBe("APPROVED");

    const s2 = await put(w, rules(TWO_SECURITY));
    const now = await job(w, pending.job.id);
    expect(now).toMatchObject({ job: { state: "APPROVAL" }, policy_snapshot: s2, resolution: null, resolved_by: null, resolved_at: null });
    expect(now.requirements).toEqual([
      { rule_id: "prod-write-gate", roles: ["service-owner", "oncall"], count: 1, approvals: 1 },
      { rule_id: "config-needs-security", roles: ["security"], count: 2, approvals: 0 },
    ]);
    expect((await decisionsOf(w.admin, pending.job.id)).votes).toHaveLength(1);
    // Back in the queue of the people it now needs.
    const queue = await req("GET", "/api/v1/approvals?limit=200", { token: security[0]!.token });
    expect(queue.body.items.find((i: { job: { id: string } }) => i.job.id === pending.job.id)).toMatchObject({ can_act: true, policy_snapshot: s2 });

    const before = await observe(w.admin, pending.job.id);
    expectProblem(await claim(pending.job.id, w.agent, { job_hash: pending.job_hash }), 409, "stale_snapshot");
    expect(await observe(w.admin, pending.job.id)).toEqual(before);

    for (const p of security) expect((await vote("approve", pending.job.id, p.token, { policy_snapshot: s2 })).status).toBe(200);
    const grant = await claim(pending.job.id, w.agent, { job_hash: pending.job_hash });
    expect(grant.status, JSON.stringify(grant.body)).toBe(200);
    expect(grant.body.policy_snapshot).toBe(s2);
    await expectChainOk(w.admin);
  });

  it("approvals that still meet every requirement stand under the new snapshot, with the stricter constraints", async () => {
    await put(w, DEFAULT_POLICY_YAML);
    const ticket = await submit(w, { ...TICKET, payload: { stand: 1 } });
    expect(ticket.constraints).toEqual({ max_runtime_sec: 30 });
    const change = await submit(w, { ...PROD_WRITE, payload: { stand: 2 } });
    expect((await vote("approve", change.job.id, oncall.token)).body.job.state).toBe("APPROVED");

    const s2 = await put(
      w,
      rules(`
  - id: tickets-github-only
    match: { topics: ["job.ticket.update"] }
    decision: allow_with_constraints
    constraints: { max_runtime_sec: 120, network_allowlist: [api.github.com] }
  - id: config-update-allowed
    match: { topics: ["job.config.update"] }
    decision: allow
`),
    );
    // The ticket keeps the tighter runtime and gains the allowlist.
    expect(await job(w, ticket.job.id)).toMatchObject({ job: { state: "APPROVED" }, policy_snapshot: s2 });
    const g1 = await claim(ticket.job.id, w.agent, { job_hash: ticket.job_hash, policy_snapshot: s2 });
    expect(g1.body).toEqual({ job_id: ticket.job.id, job_hash: ticket.job_hash, policy_snapshot: s2, constraints: { max_runtime_sec: 30, network_allowlist: ["api.github.com"] } });
    // A weaker outcome (allow) leaves the human approval as it was, now under the new snapshot.
    expect(await job(w, change.job.id)).toMatchObject({ job: { state: "APPROVED" }, decision: "REQUIRE_APPROVAL", policy_snapshot: s2, resolution: "approved", resolved_by: oncall.email });
    const g2 = await claim(change.job.id, w.agent, { job_hash: change.job_hash });
    expect(g2.status, JSON.stringify(g2.body)).toBe(200);
    expect(g2.body.policy_snapshot).toBe(s2);
  });

  it("an approved job whose stricter deadline has already passed expires instead of waiting again", async () => {
    await put(w, DEFAULT_POLICY_YAML);
    const old = await submit(w, { ...TICKET, payload: { old: true } });
    const db = await getDb();
    await db.execute(sql`update jobs set created_at = now() - interval '2 days' where id = ${old.job.id}`);
    await put(w, rules(`
  - id: tickets-need-review
    match: { topics: ["job.ticket.update"] }
    decision: require_approval
`));
    expect(await job(w, old.job.id)).toMatchObject({ job: { state: "EXPIRED" }, resolution: "expired", resolved_by: "system:sla" });
    expect((await auditOf(w.admin, old.job.id)).map((e) => e.type)).toEqual(["job.submitted", "job.redecided", "job.expired"]);
    expectProblem(await claim(old.job.id, w.agent, { job_hash: old.job_hash }), 409, "expired");
  });
});

describe("a claim re-checks the active snapshot itself", () => {
  it("a job still carrying an earlier snapshot is re-decided by the claim, and that is committed even when it refuses", async () => {
    const w = await makeWorld("claim-recheck");
    const s1 = await put(w, DEFAULT_POLICY_YAML);
    const s2 = await put(w, rules(LOCKDOWN));
    const db = await getDb();
    // Jobs approved under s1 that no activation re-decided (as before activations reached approved work).
    await db.execute(sql`update tenants set active_snapshot_id = ${s1} where id = ${w.tenant}`);
    const denied = await call("POST", "/api/v1/jobs", { token: w.agent, body: { ...TICKET, payload: { recheck: 1 } } });
    const allowed = await call("POST", "/api/v1/jobs", { token: w.agent, body: { ...READ, payload: { recheck: 2 } } });
    expect([denied.body.policy_snapshot, allowed.body.policy_snapshot]).toEqual([s1, s1]);
    await db.execute(sql`update tenants set active_snapshot_id = ${s2} where id = ${w.tenant}`);

    expectProblem(await claim(denied.body.job.id, w.agent, { job_hash: denied.body.job_hash }), 409, "stale_snapshot");
    expect(await job(w, denied.body.job.id)).toMatchObject({ job: { state: "DENIED" }, policy_snapshot: s2 });
    expect((await decisionsOf(w.admin, denied.body.job.id)).decisions.map((d: { cause: string }) => d.cause)).toEqual(["submit", "policy_change"]);
    expect((await auditOf(w.admin, denied.body.job.id)).map((e) => e.type)).toEqual(["job.submitted", "job.redecided"]);

    // Still allowed under s2: granted, under s2.
    const grant = await claim(allowed.body.job.id, w.agent, { job_hash: allowed.body.job_hash });
    expect(grant.status, JSON.stringify(grant.body)).toBe(200);
    expect(grant.body.policy_snapshot).toBe(s2);
    expect((await auditOf(w.admin, allowed.body.job.id)).map((e) => e.type)).toEqual(["job.submitted", "job.redecided", "job.claimed"]);
    await expectChainOk(w.admin);
  });
});

describe("claims racing an activation", () => {
  const ROUNDS = 12;
  // Each round's policies are new snapshots (an unrelated rule names the round); what the second one
  // says about the racing jobs cycles: still allowed, denied, or needing two security people.
  const base = (round: number) => rules(`\n  - id: base-${round}\n    match: { topics: ["job.unrelated.base${round}"] }\n    decision: deny\n`);
  const next = (round: number) => {
    const tag = `\n  - id: next-${round}\n    match: { topics: ["job.unrelated.next${round}"] }\n    decision: deny\n`;
    const kind = ["allow", "deny", "gate"][round % 3]!;
    if (kind === "deny") return { kind, yaml: rules(tag, `  - id: no-reads\n    match: { topics: ["job.repo.read", "job.config.update"] }\n    decision: deny\n`) };
    if (kind === "gate") return { kind, yaml: rules(tag, TWO_SECURITY, `  - id: reads-need-security\n    match: { topics: ["job.repo.read"] }\n    decision: require_approval\n    approvers: { roles: [security], count: 2 }\n`) };
    return { kind, yaml: rules(tag) };
  };

  it(`no grant ever carries a superseded snapshot (${ROUNDS} rounds, 6 jobs each)`, async () => {
    const w = await makeWorld("claim-race");
    const oncall = await people(w, 2, ["oncall"], "oncall");
    for (let round = 0; round < ROUNDS; round++) {
      const sa = await put(w, base(round));
      const allowed = await Promise.all([0, 1, 2, 3].map((k) => submit(w, { ...READ, payload: { round, k } })));
      const gated = await Promise.all([0, 1].map((k) => submit(w, { ...PROD_WRITE, payload: { round, k } })));
      for (const [k, g] of gated.entries()) expect((await vote("approve", g.job.id, oncall[k]!.token)).status).toBe(200);
      const jobs = [...allowed, ...gated];

      const { kind, yaml } = next(round);
      // Claims staggered over a few milliseconds around the activation, so they land before, during and after it.
      const racing: Promise<CallResult>[] = jobs.map((j, k) => sleep(((round * 7 + k * 5) % 12) * 5).then(() => claim(j.job.id, w.agent, { job_hash: j.job_hash })));
      racing.splice(round % (jobs.length + 1), 0, call("PUT", "/api/v1/policy", { token: w.admin, rawBody: yaml, headers: { "content-type": "application/yaml" } }));
      const results = await Promise.all(racing);
      for (const r of results) expect(r.status, JSON.stringify(r.body)).toBeLessThan(500);
      const activation = results.find((r) => "redecided" in (r.body ?? {}))!;
      expect(activation.status).toBe(200);
      const sb = activation.body.snapshot_id as string;

      // The order the tenant's writes were serialized in (claims and activations exclude each other on
      // the tenant row): which snapshot was active when each grant was issued.
      const events = (await tenantAudit(w.admin)) as { id: number; type: string; job_id: string | null; data: any }[];
      const activatedAt = events.find((e) => e.type === "policy.activated" && e.data.snapshot_id === sb)!.id;
      for (const j of jobs) {
        const res = results.find((r) => r.status === 200 && r.body?.job_id === j.job.id);
        const claimed = events.find((e) => e.type === "job.claimed" && e.job_id === j.job.id);
        const now = await job(w, j.job.id);
        if (claimed) {
          const activeThen = claimed.id < activatedAt ? sa : sb;
          expect(res?.body.policy_snapshot, `round ${round} (${kind})`).toBe(activeThen);
          expect(claimed.data.policy_snapshot).toBe(activeThen);
          expect(now.job.state).toBe("RUNNING");
        } else {
          // Refused: the activation came first and took the approval back.
          expect(kind, `round ${round}: a refused claim`).not.toBe("allow");
          expect(now.policy_snapshot).toBe(sb);
          expect(["DENIED", "APPROVAL"]).toContain(now.job.state);
        }
      }
      const refused = results.filter((r) => r.status === 409);
      for (const r of refused) expectProblem(r, 409, "stale_snapshot");
      expect(refused.length + jobs.filter((j) => events.some((e) => e.type === "job.claimed" && e.job_id === j.job.id)).length).toBe(jobs.length);
    }
    await expectChainOk(w.admin);
  }, 120_000);
});
