import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDatabase } from "@/lib/db/client";
import { runSql } from "@/lib/db/raw-sql";
import { voteStatement, type VoteGuard } from "@/lib/services/approvals/write-vote";
import { findJob } from "@/lib/services/jobs/find";
import { countApprovals } from "@/lib/services/jobs/state";
import { call } from "./http";
import { ADMIN, makeWorld, type Person, type World } from "./fixtures";

// A vote is first decided on rows read without locks and written by one statement that takes the locks
// and writes only if the job and the voter are still the versions read (resolve.ts, castUnlocked). This
// holds that statement to it: a moved job or voter means nothing at all is written.

const POLICY = `version: v1
rules:
  - id: dual
    match:
      topics: ["job.pay.*"]
    decision: require_approval
    approvers: { roles: [finance], count: 2 }
    sla: 10m
    cutoff: 1h
`;

describe("the unlocked vote's guarded write", () => {
  let w: World;
  let fin: Person[];

  beforeAll(async () => {
    w = await makeWorld("vguard");
    const put = await call("PUT", "/api/v1/policy", { token: w.admin, rawBody: POLICY, headers: { "content-type": "application/yaml" } });
    expect(put.status).toBe(200);
    fin = [await w.person(["finance"], "fin"), await w.person(["finance"], "fin"), await w.person(["finance"], "fin")];
  });

  const versions = async (jobId: string, userId: string): Promise<VoteGuard> => {
    const { query } = await getDatabase();
    const [job] = await query<{ v: string }>(`select xmin::text as v from jobs where tenant_id = $1 and id = $2`, [w.tenant, jobId]);
    const [user] = await query<{ v: string }>(`select xmin::text as v from users where tenant_id = $1 and id = $2`, [w.tenant, userId]);
    return { jobVersion: job!.v, voterVersion: user!.v };
  };

  /** What fin[k]'s approval would write, decided on the job as it stands now, with `guard`. */
  const approval = async (jobId: string, k: number, guard: VoteGuard) => {
    const { db, query } = await getDatabase();
    const { job, votes } = await findJob(db, w.tenant, jobId);
    const voter = { id: fin[k]!.id, email: fin[k]!.email, roles: ["finance"] };
    const tally = [...votes, { userId: voter.id, vote: "approve" as const, roles: voter.roles }];
    const statement = voteStatement({
      job,
      voter,
      vote: "approve",
      input: { reason: "guarded" },
      approvals: countApprovals(job.requirements, tally, false),
      resolution: null,
      tally,
      actor: `user:${voter.email}`,
      credential: null,
      now: new Date(),
      guard,
    });
    const [row] = await runSql<{ applied: string | number }>(query, statement);
    return Number(row!.applied);
  };

  const written = async (jobId: string) => {
    const { query } = await getDatabase();
    const [row] = await query<{ votes: string; events: string; tally: unknown[] }>(
      `select (select count(*) from votes where tenant_id = $1 and job_id = $2) as votes,
              (select count(*) from audit_events where tenant_id = $1 and job_id = $2 and type = 'vote.cast') as events,
              (select tally from jobs where tenant_id = $1 and id = $2) as tally`,
      [w.tenant, jobId],
    );
    return { votes: Number(row!.votes), events: Number(row!.events), tally: row!.tally.length };
  };

  it("writes the vote, its event and the tally when neither row moved", async () => {
    const job = await w.submit({ topic: "job.pay.invoice", risk_tags: ["payment"] });
    expect(await approval(job.job.id, 0, await versions(job.job.id, fin[0]!.id))).toBe(1);
    expect(await written(job.job.id)).toEqual({ votes: 1, events: 1, tally: 1 });
  });

  it("writes nothing when the job moved after it was read (another vote came first)", async () => {
    const job = await w.submit({ topic: "job.pay.refund", risk_tags: ["payment"] });
    const seen = await versions(job.job.id, fin[1]!.id);
    const first = await call("POST", `/api/v1/approvals/${job.job.id}/approve`, { token: fin[0]!.token, body: { reason: "first" } });
    expect(first.status).toBe(200);
    expect(await approval(job.job.id, 1, seen)).toBe(0);
    expect(await written(job.job.id)).toEqual({ votes: 1, events: 1, tally: 1 });
  });

  it("writes nothing when the voter's row moved after it was read (a role change)", async () => {
    const job = await w.submit({ topic: "job.pay.payout", risk_tags: ["payment"] });
    const seen = await versions(job.job.id, fin[2]!.id);
    const patched = await call("PATCH", `/api/v1/admin/users/${fin[2]!.id}`, { token: ADMIN(), body: { roles: ["finance", "oncall"] } });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(await approval(job.job.id, 2, seen)).toBe(0);
    expect(await written(job.job.id)).toEqual({ votes: 0, events: 0, tally: 0 });
    // Decided again on what stands now, the same vote goes through.
    expect(await approval(job.job.id, 2, await versions(job.job.id, fin[2]!.id))).toBe(1);
    expect(await written(job.job.id)).toEqual({ votes: 1, events: 1, tally: 1 });
  });

  it("a vote through the API after a concurrent one still counts both, in order", async () => {
    const job = await w.submit({ topic: "job.pay.split", risk_tags: ["payment"] });
    const [a, b] = await Promise.all(
      [0, 1].map((k) => call("POST", `/api/v1/approvals/${job.job.id}/approve`, { token: fin[k]!.token, body: { reason: `both ${k}` } })),
    );
    expect([a!.status, b!.status]).toEqual([200, 200]);
    const { db } = await getDatabase();
    const after = await findJob(db, w.tenant, job.job.id);
    expect(after.job.state).toBe("APPROVED");
    expect(after.votes.map((v) => v.userId).sort()).toEqual([fin[0]!.id, fin[1]!.id].sort());
    const [row] = await runSql<{ tally: { userId: string }[] }>(
      (await getDatabase()).query,
      sql`select tally from jobs where tenant_id = ${w.tenant} and id = ${job.job.id}`,
    );
    expect(row!.tally.map((v) => v.userId)).toEqual(after.votes.map((v) => v.userId));
  });
});
