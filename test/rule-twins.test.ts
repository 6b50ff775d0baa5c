import fc from "fast-check";
import { fillPlaceholders, sql, type SQL } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDatabase } from "@/lib/db/client";
import { sqlToQuery } from "@/lib/db/raw-sql";
import type { JobState } from "@/lib/db/schema";
import type { Requirement } from "@/lib/policy/types";
import { mayVoteAtAll, refusalFor, type CountedVote } from "@/lib/services/approvals/rules";
import { refusalForIsNullSql } from "@/lib/services/approvals/rules-sql";
import { deadlineOfSql, isEscalationDueSql, isLapsedSql, isStillPendingSql } from "@/lib/services/jobs/state-sql";
import { resolvedComment } from "@/lib/services/jobs/render";
import { currentView, deadlineOf, eligibleRoles, isEscalated, isEscalationDue, isLapsed, isStillPending } from "@/lib/services/jobs/state";

// Each job rule that also runs in SQL (state-sql.ts, rules-sql.ts, the functions of drizzle/) against its
// TypeScript twin, on generated jobs and moments, in the real database: the SQL reads the columns of a
// one-row table named `jobs` built from the generated values.

const T0 = Date.parse("2026-03-01T12:00:00.000Z");
const MIN = 60_000;
// Times on a coarse grid, so that equal due, expiry and now (the edges of every rule) come up often.
const time = fc.integer({ min: -3, max: 3 }).map((m) => new Date(T0 + m * MIN));
const STATES: JobState[] = ["APPROVAL", "APPROVED", "REJECTED", "EXPIRED", "CANCELLED"];

const timed = fc.record({
  state: fc.constantFrom(...STATES),
  onTimeout: fc.constantFrom("reject" as const, "escalate" as const, null),
  dueAt: fc.option(time, { nil: null }),
  expiresAt: fc.option(time, { nil: null }),
  escalated: fc.boolean(),
});

const ROLES = ["oncall", "finance", "security"];
const roles = fc.subarray(ROLES);
const requirement: fc.Arbitrary<Requirement> = fc.record({
  rule_id: fc.constantFrom("r1", "r2"),
  roles: fc.subarray(ROLES, { minLength: 1 }),
  count: fc.integer({ min: 1, max: 2 }),
  escalate_to: fc.subarray([...ROLES, "eng-manager"]),
});
const EMAILS = ["ann@example.com", "Bob@Example.com", "cat@example.com"];
const vote: fc.Arbitrary<CountedVote> = fc.record({ userId: fc.constantFrom("usr-ann", "usr-bob"), vote: fc.constantFrom("approve" as const, "reject" as const), roles });

type Timed = fc.Arbitrary<typeof timed extends fc.Arbitrary<infer T> ? T : never>;
type Job = Timed extends fc.Arbitrary<infer T> ? T : never;

/** `select <expressions> from (<the job as one row>) as "jobs"`, run on the test database. */
async function onRow(job: Job & Record<string, unknown>, select: SQL, values: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const cols = sql`${job.state}::text as state, ${job.onTimeout}::text as on_timeout, ${job.dueAt?.toISOString() ?? null}::timestamptz as due_at,
    ${job.expiresAt?.toISOString() ?? null}::timestamptz as expires_at, ${job.escalated}::boolean as escalated,
    ${(job.onBehalfOf as string | null) ?? null}::text as on_behalf_of, ${(job.submitterEmail as string | null) ?? null}::text as submitter_email,
    ${JSON.stringify(job.tally ?? [])}::jsonb as tally, ${JSON.stringify(job.requirements ?? [])}::jsonb as requirements,
    ${sql.param(job.eligibleRoles ?? [])}::text[] as eligible_roles`;
  const { sql: text, params } = sqlToQuery(sql`select ${select} from (select ${cols}) as "jobs"`);
  const [row] = await (await getDatabase()).query(text, fillPlaceholders(params, values));
  return row!;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

describe("the job rules equal their SQL twins on generated cases", () => {
  it("deadlineOf, isLapsed, isStillPending, isEscalationDue", async () => {
    await fc.assert(
      fc.asyncProperty(timed, time, async (job, now) => {
        const row = await onRow(job, sql`case when ${deadlineOfSql} = 'infinity' then 'never' else countersign_iso(${deadlineOfSql}) end as deadline,
          ${isLapsedSql(now)} as lapsed, ${isStillPendingSql(now)} as pending, coalesce(${isEscalationDueSql(now)}, false) as escalation_due`);
        // No deadline (deadlineOf's null) is 'infinity' in SQL: never lapses.
        expect({ ...row, job, now }).toEqual({
          deadline: iso(deadlineOf(job)) ?? "never",
          lapsed: isLapsed(job, now),
          pending: isStillPending(job, now),
          escalation_due: isEscalationDue(job, now),
          job,
          now,
        });
      }),
      { numRuns: 300 },
    );
  });

  it("refusalFor answering null, and refusalForIsNullSql (the queue's can_act and ?actionable)", async () => {
    const job = fc.record({
      timing: timed,
      requirements: fc.array(requirement, { minLength: 1, maxLength: 2 }),
      tally: fc.array(vote, { maxLength: 2 }),
      onBehalfOf: fc.option(fc.constantFrom(...EMAILS), { nil: null }),
      submitterEmail: fc.option(fc.constantFrom(...EMAILS), { nil: null }),
    });
    const asker = fc.record({ userId: fc.constantFrom("usr-ann", "usr-cat"), email: fc.constantFrom(...EMAILS), roles, resolves: fc.boolean() });
    await fc.assert(
      fc.asyncProperty(job, asker, time, async (j, a, now) => {
        const stored = { ...j.timing, resolvedBy: null, resolvedAt: null, resolution: null, updatedAt: new Date(T0), requirements: j.requirements, onBehalfOf: j.onBehalfOf, submitterEmail: j.submitterEmail };
        const principal = { kind: "user" as const, userId: a.userId, email: a.email, roles: a.roles, scopes: new Set(a.resolves ? ["approvals:resolve"] : []) };
        const expected = refusalFor({ ...currentView(stored, now), escalated: isEscalated(stored, now) }, j.tally, principal) === null;

        const voter = mayVoteAtAll(principal);
        const P = { now: sql.placeholder("now"), email: sql.placeholder("email"), voted: sql.placeholder("voted"), roles: sql.placeholder("roles") };
        const row = await onRow(
          { ...j.timing, ...stored, tally: j.tally, eligibleRoles: eligibleRoles(j.requirements, j.timing.escalated) },
          sql`coalesce(${refusalForIsNullSql(voter ? P : null)}, false) as can_act`,
          { now: now.toISOString(), email: a.email.toLowerCase(), voted: JSON.stringify([{ userId: a.userId }]), roles: a.roles },
        );
        expect({ can_act: row.can_act, case: { job: j, asker: a, now } }).toEqual({ can_act: expected, case: { job: j, asker: a, now } });
      }),
      { numRuns: 300 },
    );
  });

  it("resolvedComment, and countersign_resolved_comment (the stored queue item's resolved_comment)", async () => {
    const text = fc.option(fc.string({ maxLength: 8 }), { nil: null });
    await fc.assert(
      fc.asyncProperty(text, text, async (reason, note) => {
        const [row] = await (await getDatabase()).query<{ comment: string | null }>("select countersign_resolved_comment($1, $2) as comment", [reason, note]);
        expect(row!.comment).toBe(resolvedComment(reason, note));
      }),
      { numRuns: 100 },
    );
  });
});
