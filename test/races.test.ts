/**
 * Races, through the real route handlers on the real database, each repeated many rounds. After every
 * round, from the API and the audit log: exactly one outcome, the counted votes the rule requires, a
 * stable 409 code for every loser, exactly one audit event per transition, and an intact hash chain.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { principalForSession } from "@/lib/auth/session";
import { getDatabase, getDb } from "@/lib/db/client";
import { DEFAULT_POLICY_YAML } from "@/lib/policy/default-policy";
import { resolveVote } from "@/lib/services/approvals/resolve";
import { sweep } from "@/lib/services/sla/sweep";
import type { CallResult } from "./http";
import { makeWorld, signedIn, type Person, type World } from "./fixtures";
import {
  ALLOWED,
  PAYMENT,
  PROD_WRITE,
  agentToken,
  auditOf,
  cancel,
  claim,
  complete,
  countTypes,
  decisionsOf,
  expectChainOk,
  expectProblem,
  interleave,
  isRateLimited,
  people,
  reader,
  readTokens,
  req,
  sleep,
  submit,
  vote,
} from "./races-helpers";

const ROUNDS = 15;
// A gated topic whose cutoff is one second away: its expiry can be raced on the real clock.
const EXPIRING = { topic: "job.race.expire", risk_tags: [] as string[] };
const POLICY = `${DEFAULT_POLICY_YAML}
  - id: race-expire
    match:
      topics: ["job.race.expire"]
    decision: require_approval
    reason: "Expires in a second"
    approvers: { roles: [oncall], count: 1 }
    cutoff: 1s
`;

let w: World;
let reviewers: Person[]; // 50 people holding oncall and finance: qualified for every gate used here
let outsiders: Person[]; // people with no qualifying role
let executor: string; // a second agent token with jobs:execute
let read: () => string; // audit:read tokens in rotation

beforeAll(async () => {
  w = await makeWorld("races");
  const put = await req("PUT", "/api/v1/policy", { token: w.admin, rawBody: POLICY, headers: { "content-type": "application/yaml" } });
  expect(put.status, JSON.stringify(put.body)).toBe(200);
  reviewers = await people(w, 50, ["oncall", "finance"], "rev");
  outsiders = await people(w, 4, ["developer"], "dev");
  executor = await agentToken(w, "executor-2");
  read = reader([w.admin, ...(await readTokens(w, reviewers.slice(0, 10)))]);
}, 120_000);

/** Every answer of a racing request is a 200, one of the given refusals, or a rate limit; never a 5xx. */
function partition(results: CallResult[]) {
  for (const r of results) expect(r.status, JSON.stringify(r.body)).toBeLessThan(500);
  return {
    ok: results.filter((r) => r.status === 200),
    refused: results.filter((r) => r.status !== 200 && !isRateLimited(r)),
  };
}

/** The round's invariants that hold for every race on a gated job. */
async function settled(jobId: string) {
  const d = await decisionsOf(read(), jobId);
  const events = await auditOf(read(), jobId);
  const types = countTypes(events);
  // One vote.cast per counted vote, and the votes are distinct people.
  expect(types["vote.cast"] ?? 0).toBe(d.votes.length);
  expect(new Set(d.votes.map((v: { voter: string }) => v.voter)).size).toBe(d.votes.length);
  // Exactly one submission and at most one of each terminal transition.
  expect(types["job.submitted"]).toBe(1);
  const terminal = ["job.approved", "job.rejected", "job.expired", "job.cancelled"].filter((t) => types[t]);
  expect(terminal.length, JSON.stringify(types)).toBe(1);
  expect(types[terminal[0]!]).toBe(1);
  // The terminal event matches the stored state.
  const byState: Record<string, string> = { APPROVED: "job.approved", RUNNING: "job.approved", REJECTED: "job.rejected", EXPIRED: "job.expired", CANCELLED: "job.cancelled" };
  expect(byState[d.job.job.state]).toBe(terminal[0]);
  return { d, events, types };
}

describe("50 qualified reviewers vote on one job at once", () => {
  it(`single approver: one counted vote, 49 already_resolved, one job.approved (${ROUNDS} rounds)`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const job = await submit(w, { ...PROD_WRITE, payload: { race: "single", round } });
      expect(job.job.state).toBe("APPROVAL");
      // The unqualified and the agent's own owner race too; they never count.
      const voters = interleave(reviewers, [...outsiders, w.agentOwner]);
      const results = await Promise.all(voters.map((p) => vote("approve", job.job.id, p.token, { job_hash: job.job_hash, policy_snapshot: job.policy_snapshot })));
      const { ok } = partition(results);
      expect(ok, `round ${round}`).toHaveLength(1);
      const winner = voters[results.indexOf(ok[0]!)]!;
      expect(reviewers).toContain(winner);
      expect(ok[0]!.body.job.state).toBe("APPROVED");
      results.forEach((r, i) => {
        if (r === ok[0] || isRateLimited(r)) return;
        const p = voters[i]!;
        // Whether the job is still pending is checked first: after the decision, everyone hears that.
        if (r.status === 409) expectProblem(r, 409, "already_resolved");
        else if (outsiders.includes(p)) expectProblem(r, 403, "role_required");
        else if (p === w.agentOwner) expectProblem(r, 403, "self_approval");
        else expect.fail(`a qualified reviewer got ${r.status} ${JSON.stringify(r.body)}`);
      });

      const { d, events } = await settled(job.job.id);
      expect(d.job.job.state).toBe("APPROVED");
      expect(d.votes).toHaveLength(1);
      expect(d.votes[0].voter).toBe(winner.email);
      expect(d.resolved_by).toBe(winner.email);
      expect(d.job.requirements).toEqual([expect.objectContaining({ rule_id: "prod-write-gate", count: 1, approvals: 1 })]);
      expect(events.map((e) => e.type)).toEqual(["job.submitted", "vote.cast", "job.approved"]);
      expect(events[1]!.actor).toBe(`user:${winner.email}`);
      await expectChainOk(read());
    }
  });

  it(`dual approval: exactly two distinct approvers counted, never three (${ROUNDS} rounds)`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const job = await submit(w, { ...PAYMENT, payload: { race: "dual", round, amount: round } });
      expect(job.requirements).toEqual([expect.objectContaining({ rule_id: "payment-gate", count: 2, approvals: 0 })]);
      const results = await Promise.all(reviewers.map((p) => vote("approve", job.job.id, p.token)));
      const { ok, refused } = partition(results);
      expect(ok, `round ${round}`).toHaveLength(2);
      // The first counted vote leaves it pending with one approval missing; the second completes it.
      const states = ok.map((r) => r.body.job.state).sort();
      expect(states).toEqual(["APPROVAL", "APPROVED"]);
      const first = ok.find((r) => r.body.job.state === "APPROVAL")!;
      expect(first.body.missing).toEqual([expect.objectContaining({ rule_id: "payment-gate", needed: 1 })]);
      const second = ok.find((r) => r.body.job.state === "APPROVED")!;
      expect(second.body.missing).toEqual([]);
      for (const r of refused) expectProblem(r, 409, "already_resolved");

      const winners = ok.map((r) => reviewers[results.indexOf(r)]!.email);
      const { d, events } = await settled(job.job.id);
      expect(d.job.job.state).toBe("APPROVED");
      expect(d.votes.map((v: { voter: string }) => v.voter).sort()).toEqual([...winners].sort());
      expect(d.job.requirements[0].approvals).toBe(2);
      expect(d.resolved_by).toBe(reviewers[results.indexOf(second)]!.email);
      expect(events.map((e) => e.type)).toEqual(["job.submitted", "vote.cast", "vote.cast", "job.approved"]);
      expect(events.filter((e) => e.type === "vote.cast").map((e) => e.data.approvals)).toEqual([[1], [2]]);
      await expectChainOk(read());
    }
  });
});

describe("approve and reject racing", () => {
  it(`single approver: the first counted vote decides, its kind is the outcome (${ROUNDS} rounds)`, async () => {
    const outcomes: Record<string, number> = {};
    for (let round = 0; round < ROUNDS; round++) {
      const job = await submit(w, { ...PROD_WRITE, payload: { race: "approve-reject", round } });
      // Alternate who goes first in the list, so neither kind has a head start every round.
      const kinds = reviewers.map((_, i) => ((i + round) % 2 === 0 ? "approve" : "reject") as "approve" | "reject");
      const results = await Promise.all(reviewers.map((p, i) => vote(kinds[i]!, job.job.id, p.token)));
      const { ok, refused } = partition(results);
      expect(ok, `round ${round}`).toHaveLength(1);
      for (const r of refused) expectProblem(r, 409, "already_resolved");
      const idx = results.indexOf(ok[0]!);
      const expected = kinds[idx] === "approve" ? "APPROVED" : "REJECTED";
      expect(ok[0]!.body.job.state).toBe(expected);
      outcomes[expected] = (outcomes[expected] ?? 0) + 1;

      const { d, events } = await settled(job.job.id);
      expect(d.job.job.state).toBe(expected);
      expect(d.votes).toEqual([expect.objectContaining({ voter: reviewers[idx]!.email, vote: kinds[idx] })]);
      expect(events.map((e) => e.type)).toEqual(["job.submitted", "vote.cast", expected === "APPROVED" ? "job.approved" : "job.rejected"]);
      expect(events[1]!.data.vote).toBe(kinds[idx]);
      await expectChainOk(read());
    }
    console.info("[races] approve vs reject, single approver:", outcomes);
  });

  it(`dual approval: a reject ends it unless two approvals came first; never both (${ROUNDS} rounds)`, async () => {
    const outcomes: Record<string, number> = {};
    for (let round = 0; round < ROUNDS; round++) {
      const job = await submit(w, { ...PAYMENT, payload: { race: "dual-approve-reject", round } });
      const kinds = reviewers.map((_, i) => ((i + round) % 2 === 0 ? "approve" : "reject") as "approve" | "reject");
      const results = await Promise.all(reviewers.map((p, i) => vote(kinds[i]!, job.job.id, p.token)));
      const { ok, refused } = partition(results);
      for (const r of refused) expectProblem(r, 409, "already_resolved");

      const { d, events, types } = await settled(job.job.id);
      const counted: { voter: string; vote: string }[] = d.votes;
      expect(counted).toHaveLength(ok.length);
      // The counted votes are exactly the 200s, by voter and kind.
      expect(counted.map((v) => `${v.voter}:${v.vote}`).sort()).toEqual(ok.map((r) => `${reviewers[results.indexOf(r)]!.email}:${kinds[results.indexOf(r)]}`).sort());
      // In the order they were cast: approvals only, then the deciding vote.
      const castOrder = events.filter((e) => e.type === "vote.cast").map((e) => e.data.vote as string);
      const last = castOrder.at(-1);
      expect(castOrder.slice(0, -1).every((v) => v === "approve")).toBe(true);
      if (d.job.job.state === "APPROVED") {
        expect(castOrder).toEqual(["approve", "approve"]);
        expect(types["job.rejected"]).toBeUndefined();
      } else {
        expect(d.job.job.state).toBe("REJECTED");
        expect(last).toBe("reject");
        expect(castOrder.length).toBeLessThanOrEqual(2);
        expect(types["job.approved"]).toBeUndefined();
      }
      outcomes[d.job.job.state] = (outcomes[d.job.job.state] ?? 0) + 1;
      await expectChainOk(read());
    }
    console.info("[races] approve vs reject, dual approval:", outcomes);
  });
});

describe("a vote racing the expiry sweeper", () => {
  /** Either the vote came first (APPROVED, one vote) or the deadline did (EXPIRED, no vote); nothing else. */
  async function expectOneOutcome(jobId: string, answers: { ok: boolean; code?: string; status?: number }[]) {
    const { d, events, types } = await settled(jobId);
    const state = d.job.job.state;
    expect(["APPROVED", "EXPIRED"]).toContain(state);
    const wins = answers.filter((a) => a.ok);
    if (state === "APPROVED") {
      expect(wins).toHaveLength(1);
      expect(d.votes).toHaveLength(1);
      expect(events.map((e) => e.type)).toEqual(["job.submitted", "vote.cast", "job.approved"]);
      // Losers were told the job is decided; none of them was told it expired.
      for (const a of answers.filter((x) => !x.ok)) expect(a).toMatchObject({ status: 409, code: "already_resolved" });
    } else {
      expect(wins).toHaveLength(0);
      expect(d.votes).toHaveLength(0);
      expect(d).toMatchObject({ resolution: "expired", resolved_by: "system:sla" });
      expect(events.map((e) => e.type)).toEqual(["job.submitted", "job.expired"]);
      expect(events[1]!.actor).toBe("system:sla");
      for (const a of answers.filter((x) => !x.ok)) expect(a).toMatchObject({ status: 409, code: "expired" });
    }
    expect(types["job.escalated"]).toBeUndefined();
    return state as string;
  }

  const atTime = async <T>(ms: number, fn: () => Promise<T>): Promise<T> => {
    const wait = ms - Date.now();
    if (wait > 0) await sleep(wait);
    return fn();
  };

  it(`on the real clock: API votes around expires_at while the sweeper runs (${ROUNDS} rounds, 3 jobs at a time)`, async () => {
    const db = await getDb();
    const outcomes: Record<string, number> = {};
    for (let batch = 0; batch < ROUNDS / 3; batch++) {
      const jobs = await Promise.all([0, 1, 2].map((k) => submit(w, { ...EXPIRING, payload: { race: "sweep-clock", batch, k } })));
      await Promise.all(
        jobs.map(async (job, k) => {
          const expires = Date.parse(job.sla.expires_at);
          expect(expires - Date.parse(job.job.created_at)).toBe(1000);
          // Ten votes from ~6 ms before the deadline to ~12 ms after it, three sweeps across it; the window
          // shifts from job to job so that both outcomes come up.
          const shift = ((batch * 3 + k) % 4) * 2 - 4;
          const voters = reviewers.slice(k * 10, k * 10 + 10);
          const votes = voters.map((p, i) =>
            atTime(expires + shift - 6 + i * 2, () => vote("approve", job.job.id, p.token)).then((r) => {
              expect(r.status, JSON.stringify(r.body)).toBeLessThan(500);
              return { ok: r.status === 200, status: r.status, code: r.body?.code, limited: isRateLimited(r) };
            }),
          );
          const sweeps = [-1, 0, 2].map((dt) => atTime(expires + shift + dt, () => sweep(db, new Date())));
          const [answers] = await Promise.all([Promise.all(votes), Promise.all(sweeps)]);
          // A sweep after the race has nothing left to do for this job.
          await sweep(db, new Date());
          const state = await expectOneOutcome(
            job.job.id,
            answers.filter((a) => !a.limited),
          );
          outcomes[state] = (outcomes[state] ?? 0) + 1;
        }),
      );
      await expectChainOk(read());
    }
    console.info("[races] vote vs sweeper, real clock:", outcomes);
  });

  it(`with time injected: votes at expires_at − 1 ms, the sweeper and a late voter at expires_at (${ROUNDS} rounds)`, async () => {
    const db = await getDb();
    const { query } = await getDatabase();
    const principals = await Promise.all(reviewers.slice(0, 9).map(async (p) => principalForSession(query, await signedIn(p.id, w.tenant), new Date())));
    const outcomes: Record<string, number> = {};
    for (let round = 0; round < ROUNDS; round++) {
      const job = await submit(w, { ...EXPIRING, payload: { race: "sweep-injected", round } });
      const expires = Date.parse(job.sla.expires_at);
      const cast = (i: number, ms: number) =>
        resolveVote({ ctx: { db, query, principal: principals[i]!, now: new Date(ms) }, id: job.job.id, vote: "approve", input: { reason: "before the deadline" } }).then(
          () => ({ ok: true, status: 200, code: undefined as string | undefined }),
          (err: { status?: number; code?: string }) => ({ ok: false, status: err.status, code: err.code }),
        );
      // Eight votes in time, one vote stamped exactly at the deadline (which itself expires the job),
      // and two sweepers at the deadline, started in an order that rotates from round to round.
      type Answer = { ok: boolean; status?: number; code?: string };
      const starters: (() => Promise<Answer | "swept">)[] = [
        ...[...Array(8).keys()].map((i) => () => cast(i, expires - 1)),
        () => cast(8, expires).then((a) => ({ ...a, late: true })),
        () => sweep(db, new Date(expires)).then(() => "swept" as const),
        () => sweep(db, new Date(expires)).then(() => "swept" as const),
      ];
      const rotated = starters.map((_, i) => starters[(i * 5 + round) % starters.length]!);
      const settledAnswers = await Promise.all(rotated.map((start) => start()));
      const answers = settledAnswers.filter((a): a is Answer & { late?: boolean } => a !== "swept");
      const lateAnswer = answers.find((a) => a.late)!;
      const voteAnswers = answers.filter((a) => !a.late);
      expect(voteAnswers).toHaveLength(8);
      // The vote stamped at the deadline never counts, whoever came first.
      expect(lateAnswer.ok).toBe(false);
      expect(lateAnswer.status).toBe(409);
      const state = await expectOneOutcome(job.job.id, voteAnswers);
      expect(lateAnswer.code).toBe(state === "APPROVED" ? "already_resolved" : "expired");
      outcomes[state] = (outcomes[state] ?? 0) + 1;
      await expectChainOk(read());
    }
    console.info("[races] vote vs sweeper, injected time:", outcomes);
  });
});

describe("claims", () => {
  it(`a claim racing other claims: one grant, the rest already_claimed; then completes race too (${ROUNDS} rounds)`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      // Even rounds: allowed by policy. Odd rounds: approved by a person first.
      let job = await submit(w, round % 2 === 0 ? { ...ALLOWED, payload: { race: "claim", round } } : { ...PROD_WRITE, payload: { race: "claim", round } });
      if (round % 2 === 1) {
        const ok = await vote("approve", job.job.id, reviewers[round % reviewers.length]!.token);
        expect(ok.status).toBe(200);
        job = ok.body;
      }
      expect(job.job.state).toBe("APPROVED");
      const body = { job_hash: job.job_hash, policy_snapshot: job.policy_snapshot };
      const claimers = [w.agent, executor, w.agent, executor, w.agent, executor];
      const results = await Promise.all(claimers.map((t) => claim(job.job.id, t, body)));
      const { ok, refused } = partition(results);
      expect(ok, `round ${round}`).toHaveLength(1);
      expect(ok[0]!.body).toEqual({ job_id: job.job.id, job_hash: job.job_hash, policy_snapshot: job.policy_snapshot, constraints: null });
      for (const r of refused) expectProblem(r, 409, "already_claimed");

      const completes = await Promise.all([w.agent, executor, w.agent].map((t, i) => complete(job.job.id, t, i % 2 ? "failed" : "succeeded")));
      const done = partition(completes);
      expect(done.ok).toHaveLength(1);
      for (const r of done.refused) expectProblem(r, 409, "not_running");
      const outcome = done.ok[0]!.body.job.state;
      expect(["SUCCEEDED", "FAILED"]).toContain(outcome);

      const now = await req("GET", `/api/v1/jobs/${job.job.id}`, { token: w.agent });
      expect(now.body.job.state).toBe(outcome);
      const types = countTypes(await auditOf(read(), job.job.id));
      expect(types["job.claimed"]).toBe(1);
      expect(types["job.completed"]).toBe(1);
      // A grant is used once: after completion, claiming is still refused.
      expectProblem(await claim(job.job.id, w.agent, body), 409, "already_claimed");
      await expectChainOk(read());
    }
  });

  it(`approve, cancel and claims racing on a pending job: one resolution, at most one grant (${ROUNDS} rounds)`, async () => {
    const outcomes: Record<string, number> = {};
    for (let round = 0; round < ROUNDS; round++) {
      const job = await submit(w, { ...PROD_WRITE, payload: { race: "cancel", round } });
      const body = { job_hash: job.job_hash };
      const racers: [string, Promise<CallResult>][] = [
        ["claim", claim(job.job.id, executor, body)],
        ["approve", vote("approve", job.job.id, reviewers[round]!.token)],
        ["cancel", cancel(job.job.id, w.agent)],
        ["claim", claim(job.job.id, w.agent, body)],
        ["approve", vote("approve", job.job.id, reviewers[round + 20]!.token)],
        ["claim", claim(job.job.id, executor, body)],
      ];
      // Rotate the start order from round to round.
      const order = racers.map((_, i) => racers[(i + round) % racers.length]!);
      const results = await Promise.all(order.map(([, p]) => p));
      partition(results);
      const answers = order.map(([kind], i) => ({ kind, res: results[i]! }));
      const of = (kind: string) => answers.filter((a) => a.kind === kind).map((a) => a.res);

      const { d, types } = await settled(job.job.id);
      const state: string = d.job.job.state;
      outcomes[state] = (outcomes[state] ?? 0) + 1;
      const grants = of("claim").filter((r) => r.status === 200);
      if (state === "CANCELLED") {
        expect(of("cancel")[0]!.status).toBe(200);
        for (const r of of("approve")) expectProblem(r, 409, "already_resolved");
        for (const r of of("claim")) expectProblem(r, 409, "not_approved");
        expect(d.votes).toHaveLength(0);
        expect(types["job.claimed"]).toBeUndefined();
        expect(d).toMatchObject({ resolution: "cancelled" });
      } else {
        expect(["APPROVED", "RUNNING"]).toContain(state);
        expectProblem(of("cancel")[0]!, 409, "already_resolved");
        expect(of("approve").filter((r) => r.status === 200)).toHaveLength(1);
        for (const r of of("approve").filter((r) => r.status !== 200)) expectProblem(r, 409, "already_resolved");
        expect(d.votes).toHaveLength(1);
        expect(grants.length).toBe(state === "RUNNING" ? 1 : 0);
        expect(types["job.claimed"] ?? 0).toBe(grants.length);
        for (const r of of("claim").filter((r) => r.status !== 200)) expectProblem(r, 409, ["not_approved", "already_claimed"]);
      }
      await expectChainOk(read());
    }
    console.info("[races] approve vs cancel vs claim:", outcomes);
  });
});
