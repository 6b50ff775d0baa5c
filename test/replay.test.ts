/**
 * Replay and binding, through the real route handlers on the real database. An approval is bound to
 * its job, its tenant, its exact request (job_hash) and its policy snapshot; an execution grant is
 * used once; an Idempotency-Key never makes a second job. Every refusal is checked to have changed
 * nothing: the other job's state, votes, decisions and audit events, and the tenant's rows.
 */
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_POLICY_YAML } from "@/lib/policy/default-policy";
import { call, type CallResult } from "./http";
import { makeWorld, type Person, type World } from "./fixtures";
import {
  ALLOWED,
  PAYMENT,
  PROD_WRITE,
  agentToken,
  auditOf,
  claim,
  complete,
  countTypes,
  expectChainOk,
  expectProblem,
  isRateLimited,
  observe,
  people,
  req,
  stored,
  submit,
  tenantAudit,
  vote,
} from "./races-helpers";

let w: World;
let other: World;
let alice: Person, bob: Person, carol: Person; // qualified reviewers of w (oncall + finance)
let stranger: Person; // a qualified reviewer of the other tenant
let executor: string; // a second agent token of w with jobs:execute

beforeAll(async () => {
  w = await makeWorld("replay");
  other = await makeWorld("replay-other");
  const revs = await people(w, 3, ["oncall", "finance"], "rev");
  [alice, bob, carol] = [revs[0]!, revs[1]!, revs[2]!];
  stranger = (await people(other, 1, ["oncall", "finance"], "stranger"))[0]!;
  executor = await agentToken(w, "executor-2");
}, 60_000);

/** What a refused request must not change: the jobs named, and the whole tenant's rows and events. */
async function snapshotOf(world: World, jobIds: string[]) {
  return {
    jobs: await Promise.all(jobIds.map((id) => observe(world.admin, id))),
    rows: await stored(world.tenant),
    events: (await tenantAudit(world.admin)).length,
  };
}

describe("an approval is bound to its job", () => {
  it("approving A does nothing for B, even when B is the same request (same job_hash)", async () => {
    const a = await submit(w, { ...PROD_WRITE, payload: { service: "api", timeout: 30 } });
    const twin = await submit(w, { ...PROD_WRITE, payload: { service: "api", timeout: 30 } });
    const changed = await submit(w, { ...PROD_WRITE, payload: { service: "api", timeout: 300 } });
    expect(twin.job_hash).toBe(a.job_hash);
    expect(changed.job_hash).not.toBe(a.job_hash);

    const approved = await vote("approve", a.job.id, alice.token, { job_hash: a.job_hash, policy_snapshot: a.policy_snapshot });
    expect(approved.status).toBe(200);
    expect(approved.body.job.state).toBe("APPROVED");
    const before = await snapshotOf(w, [a.job.id, twin.job.id, changed.job.id]);
    expect(before.jobs.map((j) => j.state)).toEqual(["APPROVED", "APPROVAL", "APPROVAL"]);

    // A's approval and hash in hand, the executor tries the twin and the changed job: not approved.
    expectProblem(await claim(twin.job.id, w.agent, { job_hash: a.job_hash, policy_snapshot: a.policy_snapshot }), 409, "not_approved");
    expectProblem(await claim(changed.job.id, w.agent, { job_hash: a.job_hash }), 409, "not_approved");
    expectProblem(await claim(changed.job.id, w.agent, { job_hash: changed.job_hash }), 409, "not_approved");
    // Nor does A's grant stretch to another request: A with the changed job's hash is stale.
    expectProblem(await claim(a.job.id, w.agent, { job_hash: changed.job_hash }), 409, "stale_request");
    // A reviewer's vote for what they saw on A, sent to the changed job, is refused as stale.
    expectProblem(await vote("approve", changed.job.id, bob.token, { job_hash: a.job_hash }), 409, "stale_request");

    expect(await snapshotOf(w, [a.job.id, twin.job.id, changed.job.id])).toEqual(before);
    // A itself still claims, exactly as approved, once.
    const grant = await claim(a.job.id, w.agent, { job_hash: a.job_hash, policy_snapshot: a.policy_snapshot });
    expect(grant.status).toBe(200);
    expect(grant.body).toMatchObject({ job_id: a.job.id, job_hash: a.job_hash, policy_snapshot: a.policy_snapshot });
    await expectChainOk(w.admin);
  });
});

describe("an approval is bound to its tenant", () => {
  it("another tenant's reviewer, agent or job id gets 404, and neither tenant changes", async () => {
    const mine = await submit(w, { ...PROD_WRITE, payload: { tenant: "mine" } });
    const theirs = await submit(other, { ...PROD_WRITE, payload: { tenant: "mine" } });
    // The same request in two tenants is the same hash, but never the same approval.
    const myTwin = await submit(w, { ...PROD_WRITE, payload: { tenant: "theirs" } });
    const theirTwin = await submit(other, { ...PROD_WRITE, payload: { tenant: "theirs" } });
    expect(theirTwin.job_hash).toBe(myTwin.job_hash);
    expect((await vote("approve", myTwin.job.id, alice.token)).status).toBe(200);
    const approvedHere = await vote("approve", mine.job.id, bob.token);
    expect(approvedHere.body.job.state).toBe("APPROVED");

    const beforeMine = await snapshotOf(w, [mine.job.id, myTwin.job.id]);
    const beforeTheirs = await snapshotOf(other, [theirs.job.id, theirTwin.job.id]);
    expect(beforeTheirs.jobs.map((j) => j.state)).toEqual(["APPROVAL", "APPROVAL"]);

    // My reviewers on their jobs: 404, exactly as an unknown id (even carrying the right hash and snapshot).
    for (const reviewer of [alice, bob, carol]) {
      expectProblem(await vote("approve", theirs.job.id, reviewer.token, { job_hash: theirs.job_hash, policy_snapshot: theirs.policy_snapshot }), 404, "not_found");
      expectProblem(await vote("reject", theirTwin.job.id, reviewer.token), 404, "not_found");
    }
    // Their agent claiming my approved job with its exact hash: 404.
    expectProblem(await claim(mine.job.id, other.agent, { job_hash: mine.job_hash, policy_snapshot: mine.policy_snapshot }), 404, "not_found");
    expectProblem(await complete(mine.job.id, other.agent), 404, "not_found");
    // My agent claiming their (pending) twin of my approved job: 404, not a grant.
    expectProblem(await claim(theirTwin.job.id, w.agent, { job_hash: myTwin.job_hash }), 404, "not_found");
    // Their reviewer on my job: 404; and my job carrying their snapshot id is not my snapshot.
    expectProblem(await vote("approve", myTwin.job.id, stranger.token), 404, "not_found");
    const pending = await submit(w, { ...PROD_WRITE, payload: { tenant: "snapshot" } });
    const beforePending = await observe(w.admin, pending.job.id);
    expectProblem(await vote("approve", pending.job.id, alice.token, { policy_snapshot: theirs.policy_snapshot }), 409, "stale_snapshot");
    expect(await observe(w.admin, pending.job.id)).toEqual(beforePending);

    expect(await snapshotOf(w, [mine.job.id, myTwin.job.id])).toEqual({ ...beforeMine, rows: { ...beforeMine.rows, jobs: beforeMine.rows.jobs + 1 }, events: beforeMine.events + 1 });
    expect(await snapshotOf(other, [theirs.job.id, theirTwin.job.id])).toEqual(beforeTheirs);
    // Their audit log never names my jobs, mine never names theirs.
    expect(await auditOf(other.admin, mine.job.id)).toEqual([]);
    expect(await auditOf(w.admin, theirs.job.id)).toEqual([]);
    await expectChainOk(w.admin);
    await expectChainOk(other.admin);
  });
});

describe("an approval is bound to the payload", () => {
  it("a changed payload is a new job that waits for its own approval; the old approval never covers it", async () => {
    const key = `pay-${randomUUID()}`;
    const original = await req("POST", "/api/v1/jobs", { token: w.agent, body: { ...PAYMENT, payload: { to: "acme", amount: 10 } }, headers: { "idempotency-key": key } });
    expect(original.status).toBe(201);
    const job = original.body;
    // The agent tries to slip a bigger amount in under the same key: refused, nothing stored.
    const before = await snapshotOf(w, [job.job.id]);
    const swapped = await req("POST", "/api/v1/jobs", { token: w.agent, body: { ...PAYMENT, payload: { to: "acme", amount: 10_000 } }, headers: { "idempotency-key": key } });
    expectProblem(swapped, 409, "idempotency_key_reused");
    expect(await snapshotOf(w, [job.job.id])).toEqual(before);

    // Two approvals for the 10, as seen (hash and snapshot carried).
    const seen = { job_hash: job.job_hash, policy_snapshot: job.policy_snapshot };
    expect((await vote("approve", job.job.id, alice.token, seen)).status).toBe(200);
    expect((await vote("approve", job.job.id, bob.token, seen)).body.job.state).toBe("APPROVED");

    // The bigger amount as a new job: pending, with no votes; the old approvals do not carry over.
    const bigger = await submit(w, { ...PAYMENT, payload: { to: "acme", amount: 10_000 } });
    expect(bigger.job.state).toBe("APPROVAL");
    expect(bigger.job_hash).not.toBe(job.job_hash);
    expect(bigger.requirements[0].approvals).toBe(0);
    const beforeBig = await snapshotOf(w, [job.job.id, bigger.job.id]);
    // A reviewer's approval of what they saw (the 10) sent for the 10 000: stale.
    expectProblem(await vote("approve", bigger.job.id, carol.token, seen), 409, "stale_request");
    // The executor holding the 10's approval: the 10 000 is not approved, and the 10 is not the 10 000.
    expectProblem(await claim(bigger.job.id, w.agent, { job_hash: job.job_hash }), 409, "not_approved");
    expectProblem(await claim(job.job.id, w.agent, { job_hash: bigger.job_hash }), 409, "stale_request");
    expect(await snapshotOf(w, [job.job.id, bigger.job.id])).toEqual(beforeBig);
    await expectChainOk(w.admin);
  });
});

describe("an approval is bound to the policy snapshot", () => {
  let pw: World;
  let reviewers: Person[];
  const policyWith = (n: number) => `${DEFAULT_POLICY_YAML}\n  - id: unrelated-${n}\n    match:\n      topics: ["job.unrelated.${n}"]\n    decision: deny\n`;
  const putPolicy = async (yaml: string) => {
    const res = await req("PUT", "/api/v1/policy", { token: pw.admin, rawBody: yaml, headers: { "content-type": "application/yaml" } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.snapshot_id as string;
  };
  const current = async (id: string) => (await req("GET", `/api/v1/jobs/${id}`, { token: pw.admin })).body;

  beforeAll(async () => {
    // A tenant of its own: a policy change re-decides every pending job of the tenant.
    pw = await makeWorld("replay-policy");
    reviewers = await people(pw, 3, ["oncall", "finance"], "rev");
  });

  it("a vote for the old snapshot after the policy changed is stale_snapshot and counts nothing", async () => {
    const job = await submit(pw, { ...PROD_WRITE, payload: { policy: "vote" } });
    const s1 = job.policy_snapshot;
    const s2 = await putPolicy(policyWith(1));
    expect(s2).not.toBe(s1);
    const now = await current(job.job.id);
    expect(now.policy_snapshot).toBe(s2);
    expect(now.job.state).toBe("APPROVAL");

    const before = await snapshotOf(pw, [job.job.id]);
    for (const kind of ["approve", "reject"] as const) {
      expectProblem(await vote(kind, job.job.id, reviewers[0]!.token, { job_hash: job.job_hash, policy_snapshot: s1 }), 409, "stale_snapshot");
    }
    expect(await snapshotOf(pw, [job.job.id])).toEqual(before);

    const fresh = await vote("approve", job.job.id, reviewers[0]!.token, { job_hash: job.job_hash, policy_snapshot: s2 });
    expect(fresh.status).toBe(200);
    expect(fresh.body).toMatchObject({ job: { state: "APPROVED" }, policy_snapshot: s2 });
    // The grant binds the new snapshot: the old one is refused, the new one claims.
    const beforeClaim = await snapshotOf(pw, [job.job.id]);
    expectProblem(await claim(job.job.id, pw.agent, { job_hash: job.job_hash, policy_snapshot: s1 }), 409, "stale_snapshot");
    expect(await snapshotOf(pw, [job.job.id])).toEqual(beforeClaim);
    const grant = await claim(job.job.id, pw.agent, { job_hash: job.job_hash, policy_snapshot: s2 });
    expect(grant.status).toBe(200);
    expect(grant.body.policy_snapshot).toBe(s2);
    await expectChainOk(pw.admin);
  });

  it("a job approved under one snapshot is claimed under the active one, never an earlier one", async () => {
    const job = await submit(pw, { ...PROD_WRITE, payload: { policy: "claim" } });
    const sa = job.policy_snapshot;
    expect((await vote("approve", job.job.id, reviewers[1]!.token, { policy_snapshot: sa })).body.job.state).toBe("APPROVED");
    const sb = await putPolicy(policyWith(2));
    expect(sb).not.toBe(sa);
    // An approved, unclaimed job is re-decided too: the new policy still lets its approval stand.
    expect(await current(job.job.id)).toMatchObject({ job: { state: "APPROVED" }, policy_snapshot: sb, resolution: "approved" });

    const before = await snapshotOf(pw, [job.job.id]);
    expectProblem(await claim(job.job.id, pw.agent, { job_hash: job.job_hash, policy_snapshot: sa }), 409, "stale_snapshot");
    expectProblem(await claim(job.job.id, pw.agent, { job_hash: job.job_hash, policy_snapshot: `cfg:${pw.tenant}:policy#sha256:${"0".repeat(64)}` }), 409, "stale_snapshot");
    expect(await snapshotOf(pw, [job.job.id])).toEqual(before);
    const grant = await claim(job.job.id, pw.agent, { job_hash: job.job_hash, policy_snapshot: sb });
    expect(grant.status).toBe(200);
    expect(grant.body.policy_snapshot).toBe(sb);
  });

  it("dual approval across a policy change: the first vote still counts, the second must be for the new snapshot", async () => {
    const job = await submit(pw, { ...PAYMENT, payload: { policy: "dual" } });
    const s1 = job.policy_snapshot;
    const first = await vote("approve", job.job.id, reviewers[0]!.token, { policy_snapshot: s1 });
    expect(first.body).toMatchObject({ job: { state: "APPROVAL" }, requirements: [{ approvals: 1, count: 2 }] });
    const s2 = await putPolicy(policyWith(3));
    expect((await current(job.job.id)).requirements).toEqual([expect.objectContaining({ rule_id: "payment-gate", count: 2, approvals: 1 })]);

    const before = await snapshotOf(pw, [job.job.id]);
    expectProblem(await vote("approve", job.job.id, reviewers[1]!.token, { job_hash: job.job_hash, policy_snapshot: s1 }), 409, "stale_snapshot");
    expect(await snapshotOf(pw, [job.job.id])).toEqual(before);

    const second = await vote("approve", job.job.id, reviewers[1]!.token, { job_hash: job.job_hash, policy_snapshot: s2 });
    expect(second.body).toMatchObject({ job: { state: "APPROVED" }, policy_snapshot: s2, requirements: [{ approvals: 2, count: 2 }] });
    const approved = (await auditOf(pw.admin, job.job.id)).filter((e) => e.type === "job.approved");
    expect(approved).toHaveLength(1);
    expect(approved[0]!.data.policy_snapshot).toBe(s2);
    expectProblem(await claim(job.job.id, pw.agent, { job_hash: job.job_hash, policy_snapshot: s1 }), 409, "stale_snapshot");
    expect((await claim(job.job.id, pw.agent, { job_hash: job.job_hash, policy_snapshot: s2 })).status).toBe(200);
    await expectChainOk(pw.admin);
  });
});

describe("an execution grant is used once", () => {
  it("a second claim, by the same or another executor, before or after completion, is already_claimed", async () => {
    const job = await submit(w, { ...ALLOWED, payload: { grant: "once" } });
    const body = { job_hash: job.job_hash, policy_snapshot: job.policy_snapshot };
    const grant = await claim(job.job.id, w.agent, body);
    expect(grant.status).toBe(200);

    const before = await snapshotOf(w, [job.job.id]);
    expect(before.jobs[0]!.state).toBe("RUNNING");
    expectProblem(await claim(job.job.id, w.agent, body), 409, "already_claimed");
    expectProblem(await claim(job.job.id, executor, body), 409, "already_claimed");
    expect(await snapshotOf(w, [job.job.id])).toEqual(before);

    expect((await complete(job.job.id, executor)).body.job.state).toBe("SUCCEEDED");
    const done = await snapshotOf(w, [job.job.id]);
    expectProblem(await claim(job.job.id, w.agent, body), 409, "already_claimed");
    expectProblem(await complete(job.job.id, w.agent, "failed"), 409, "not_running");
    expect(await snapshotOf(w, [job.job.id])).toEqual(done);
    const types = countTypes(await auditOf(w.admin, job.job.id));
    expect(types).toEqual({ "job.submitted": 1, "job.claimed": 1, "job.completed": 1 });
  });

  it("claiming A lets nobody complete B", async () => {
    const a = await submit(w, { ...ALLOWED, payload: { grant: "a" } });
    const b = await submit(w, { ...ALLOWED, payload: { grant: "b" } });
    expect((await claim(a.job.id, w.agent, { job_hash: a.job_hash })).status).toBe(200);
    const before = await snapshotOf(w, [b.job.id]);
    expectProblem(await complete(b.job.id, w.agent), 409, "not_running");
    expect(await snapshotOf(w, [b.job.id])).toEqual(before);
  });

  it("eight concurrent claims with the grant's exact body: one grant each time (10 rounds)", async () => {
    for (let round = 0; round < 10; round++) {
      const job = await submit(w, { ...ALLOWED, payload: { grant: "concurrent", round } });
      const body = { job_hash: job.job_hash, policy_snapshot: job.policy_snapshot };
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => claim(job.job.id, i % 2 ? executor : w.agent, body)));
      for (const r of results) expect(r.status, JSON.stringify(r.body)).toBeLessThan(500);
      expect(results.filter((r) => r.status === 200), `round ${round}`).toHaveLength(1);
      for (const r of results.filter((r) => r.status !== 200 && !isRateLimited(r))) expectProblem(r, 409, "already_claimed");
      expect(countTypes(await auditOf(w.admin, job.job.id))).toEqual({ "job.submitted": 1, "job.claimed": 1 });
    }
    await expectChainOk(w.admin);
  });
});

describe("Idempotency-Key never creates a second job", () => {
  let agents: string[]; // one fresh agent token per round: a key belongs to its submitter
  let next = 0;
  const nextAgent = () => agents[next++ % agents.length]!;
  const post = (token: string, key: string, body: Record<string, unknown>) =>
    call("POST", "/api/v1/jobs", { token, body: { risk_tags: [], ...body }, headers: { "idempotency-key": key } });
  const submittedEvents = async (world: World) => (await tenantAudit(world.admin)).filter((e) => e.type === "job.submitted").length;

  beforeAll(async () => {
    agents = [];
    for (let i = 0; i < 12; i++) agents.push(await agentToken(w, `idem-${i}`, ["jobs:submit", "jobs:read"]));
  });

  it("same key + same body → 200 with the first job, also after it was decided; other body → 409, nothing stored", async () => {
    const agent = nextAgent();
    const key = `seq-${randomUUID()}`;
    const body = { ...PROD_WRITE, payload: { idem: "seq" } };
    const first = await post(agent, key, body);
    expect(first.status).toBe(201);
    const before = await snapshotOf(w, [first.body.job.id]);

    for (let i = 0; i < 3; i++) {
      const again = await post(agent, key, { ...body, risk_tags: ["write", "prod"] });
      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);
    }
    const changed = await post(agent, key, { ...body, payload: { idem: "seq", extra: 1 } });
    expectProblem(changed, 409, "idempotency_key_reused");
    expectProblem(await post(agent, key, { ...body, title: "a title now" }), 409, "idempotency_key_reused");
    expect(await snapshotOf(w, [first.body.job.id])).toEqual(before);

    // After approval, a retry answers with the job as it is now (APPROVED), still no second job.
    expect((await vote("approve", first.body.job.id, alice.token)).status).toBe(200);
    const rows = await stored(w.tenant);
    const late = await post(agent, key, body);
    expect(late.status).toBe(200);
    expect(late.body.job).toMatchObject({ id: first.body.job.id, state: "APPROVED" });
    expect(await stored(w.tenant)).toEqual(rows);
  });

  it("12 concurrent resubmissions with one key and one body: one 201, eleven 200 with the same job (10 rounds)", async () => {
    for (let round = 0; round < 10; round++) {
      const agent = nextAgent();
      const key = `burst-${round}-${randomUUID()}`;
      const body = { ...PROD_WRITE, payload: { idem: "burst", round } };
      const rows = await stored(w.tenant);
      const events = await submittedEvents(w);
      const results = (await Promise.all(Array.from({ length: 12 }, () => post(agent, key, body)))).filter((r) => !isRateLimited(r));
      for (const r of results) expect(r.status, JSON.stringify(r.body)).toBeLessThan(500);
      expect(results.filter((r) => r.status === 201), `round ${round}`).toHaveLength(1);
      expect(results.every((r) => r.status === 201 || r.status === 200)).toBe(true);
      expect(new Set(results.map((r) => r.body.job.id)).size).toBe(1);
      expect(await stored(w.tenant)).toEqual({ ...rows, jobs: rows.jobs + 1 });
      expect(await submittedEvents(w)).toBe(events + 1);
    }
    await expectChainOk(w.admin);
  });

  it("concurrent resubmissions with one key and two bodies: one job; the other body gets idempotency_key_reused (10 rounds)", async () => {
    for (let round = 0; round < 10; round++) {
      const agent = nextAgent();
      const key = `split-${round}-${randomUUID()}`;
      const bodies = [
        { ...PAYMENT, payload: { idem: "split", round, amount: 1 } },
        { ...PAYMENT, payload: { idem: "split", round, amount: 1_000_000 } },
      ];
      const rows = await stored(w.tenant);
      const events = await submittedEvents(w);
      const sent = Array.from({ length: 12 }, (_, i) => i % 2);
      const all = await Promise.all(sent.map((b) => post(agent, key, bodies[b]!)));
      const results: [number, CallResult][] = all.map((r, i) => [sent[i]!, r] as [number, CallResult]).filter(([, r]) => !isRateLimited(r));
      for (const [, r] of results) expect(r.status, JSON.stringify(r.body)).toBeLessThan(500);
      const created = results.filter(([, r]) => r.status === 201);
      expect(created, `round ${round}`).toHaveLength(1);
      const [winnerBody, winner] = created[0]!;
      expect(winner.body.job.payload).toEqual(bodies[winnerBody]!.payload);
      for (const [b, r] of results) {
        if (r === winner) continue;
        if (b === winnerBody) {
          expect(r.status).toBe(200);
          expect(r.body.job.id).toBe(winner.body.job.id);
        } else expectProblem(r, 409, "idempotency_key_reused");
      }
      expect(await stored(w.tenant)).toEqual({ ...rows, jobs: rows.jobs + 1 });
      expect(await submittedEvents(w)).toBe(events + 1);
    }
    await expectChainOk(w.admin);
  });

  it("the key belongs to its submitter: another tenant's agent with the same key gets its own job, and mine is untouched", async () => {
    const agent = nextAgent();
    const key = `shared-${randomUUID()}`;
    const body = { ...PROD_WRITE, payload: { idem: "tenant" } };
    const mine = await post(agent, key, body);
    expect(mine.status).toBe(201);
    const before = await snapshotOf(w, [mine.body.job.id]);
    const theirs = await post(other.agent, key, body);
    expect(theirs.status).toBe(201);
    expect(theirs.body.job.id).not.toBe(mine.body.job.id);
    expect(await snapshotOf(w, [mine.body.job.id])).toEqual(before);
    // And retries on each side stay on each side.
    expect((await post(other.agent, key, body)).body.job.id).toBe(theirs.body.job.id);
    expect((await post(agent, key, body)).body.job.id).toBe(mine.body.job.id);
  });
});
