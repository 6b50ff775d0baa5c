import "server-only";
import { sql, type Placeholder, type SQL } from "drizzle-orm";
import { bare, statement, type Compiled } from "@/lib/db/raw-sql";
import { auditEvents, deliveries, jobs, jobsTally, tenants, users, votes, type JobRow } from "@/lib/db/schema";
import { stampEvent } from "@/lib/services/audit/mac";
import { JOB_CHANNEL, type JobChange } from "@/lib/services/events";
import type { VoteTally } from "@/lib/services/jobs/render";
import { callbackRow, type CallbackRow } from "@/lib/services/outbox/enqueue";
import type { ResolveBody } from "./schemas";

/** The row versions (`xmin`) a vote was decided on, when it was decided without holding the locks. */
export interface VoteGuard {
  jobVersion: string;
  voterVersion: string;
}

export interface VoteWrite {
  job: JobRow;
  voter: { id: string; email: string; roles: string[] };
  vote: "approve" | "reject";
  input: ResolveBody;
  approvals: number[];
  /** The job's resolution if this vote ends it, else null. */
  resolution: Partial<JobRow> | null;
  /** Every vote on the job including this one (the callback renders the job with them). */
  tally: VoteTally[];
  actor: string;
  /** The credential the vote came through (`token:<id>` / `session:<id>`, see credentialOf). */
  credential: string | null;
  now: Date;
  /** Take the locks here and write only if the job and the voter are still these versions. */
  guard?: VoteGuard;
}

type Slot =
  | "tenant" | "job" | "actor" | "voter" | "voterEmail" | "vote" | "roles" | "reason" | "note" | "credential" | "now" | "tallied" | "change"
  | "jobVersion" | "voterVersion"
  | "state" | "resolution" | "resolvedBy" | "resolvedReason" | "resolvedNote" | "approvedSnapshot"
  | "callbackId" | "callbackType" | "callbackUrl" | "callbackBody"
  | `event${0 | 1}${"Type" | "Data" | "Created" | "Key" | "Nonce" | "Mac"}`;

/** Which parts a vote's statement has: one statement text per shape, compiled once (see statementFor). */
interface Shape {
  guard: boolean;
  resolves: boolean;
  callback: boolean;
}

function voteSql({ guard, resolves, callback }: Shape, slot: (name: Slot) => Placeholder): SQL {
  const now = sql`${slot("now")}::timestamptz`;
  const a = auditEvents;
  const event = (i: 0 | 1) =>
    sql`(${slot("tenant")}, ${slot(`event${i}Type`)}, ${slot("actor")}, ${slot("job")}, ${slot(`event${i}Data`)}::jsonb,
        ${slot(`event${i}Created`)}, ${slot(`event${i}Key`)}, ${slot(`event${i}Nonce`)}, ${slot(`event${i}Mac`)})`;
  // Every row below is written only if `cleared` has its one row: the locks are held (or were taken by
  // the caller) and nothing moved since the vote was decided.
  const cleared = guard
    ? sql`tenant_locked as materialized (
      select 1 from ${tenants} where ${tenants.id} = ${slot("tenant")} for key share
    ), job_locked as materialized (
      select 1 from ${jobs}
      where ${jobs.tenantId} = ${slot("tenant")} and ${jobs.id} = ${slot("job")} and ${jobs}.xmin::text = ${slot("jobVersion")}
        and (select count(*) from tenant_locked) = 1
      for update
    ), voter_locked as materialized (
      select 1 from ${users}
      where ${users.tenantId} = ${slot("tenant")} and ${users.id} = ${slot("voter")} and ${users}.xmin::text = ${slot("voterVersion")}
        and (select count(*) from job_locked) = 1
      for share
    ), cleared as materialized (select 1 from voter_locked)`
    : sql`cleared as materialized (select 1)`;
  const v = votes;
  const d = deliveries;
  const resolve = resolves
    ? sql`, ${bare(jobs.state)} = ${slot("state")}, ${bare(jobs.resolution)} = ${slot("resolution")}, ${bare(jobs.resolvedBy)} = ${slot("resolvedBy")},
        ${bare(jobs.resolvedReason)} = ${slot("resolvedReason")}, ${bare(jobs.resolvedNote)} = ${slot("resolvedNote")}, ${bare(jobs.resolvedAt)} = ${now},
        ${bare(jobs.approvedSnapshot)} = ${slot("approvedSnapshot")}, ${bare(jobs.updatedAt)} = ${now}`
    : sql``;
  // The agent hears about the decision through its callback, queued in this same statement.
  const calledBack = callback
    ? sql`, called_back as (
      insert into ${d} (${bare(d.id)}, ${bare(d.tenantId)}, ${bare(d.jobId)}, ${bare(d.kind)}, ${bare(d.eventType)}, ${bare(d.url)}, ${bare(d.body)},
                        ${bare(d.nextAttemptAt)}, ${bare(d.createdAt)})
      select ${slot("callbackId")}, ${slot("tenant")}, ${slot("job")}, 'callback', ${slot("callbackType")}, ${slot("callbackUrl")}, ${slot("callbackBody")},
             ${now}, ${now}
      from cleared
    )`
    : sql``;
  return sql`
    with ${cleared}, cast_vote as (
      insert into ${v} (${bare(v.tenantId)}, ${bare(v.jobId)}, ${bare(v.userId)}, ${bare(v.userEmail)}, ${bare(v.vote)}, ${bare(v.roles)},
                        ${bare(v.reason)}, ${bare(v.note)}, ${bare(v.credential)}, ${bare(v.createdAt)})
      select ${slot("tenant")}, ${slot("job")}, ${slot("voter")}, ${slot("voterEmail")}, ${slot("vote")}, ${slot("roles")}::text[],
             ${slot("reason")}, ${slot("note")}, ${slot("credential")}, ${now}
      from cleared
    ), audited as (
      insert into ${a} (${bare(a.tenantId)}, ${bare(a.type)}, ${bare(a.actor)}, ${bare(a.jobId)}, ${bare(a.data)}, ${bare(a.createdAt)},
                        ${bare(a.keyId)}, ${bare(a.nonce)}, ${bare(a.mac)})
      select e.* from cleared, (values ${resolves ? sql`${event(0)}, ${event(1)}` : event(0)}) as e
    ), updated as (
      update ${jobs} set ${sql.identifier("tally")} = ${jobsTally} || ${slot("tallied")}::jsonb${resolve}
      where ${jobs.tenantId} = ${slot("tenant")} and ${jobs.id} = ${slot("job")} and exists (select 1 from cleared)
      returning ${jobs.id}
    )${calledBack}, notified as (
      select pg_notify(${JOB_CHANNEL}, ${slot("change")}) from updated
    )
    select (select count(*) from cleared) as applied, (select count(*) from notified) as notified`;
}

const statements = new Map<string, ReturnType<typeof statement<Slot>>>();

function statementFor(shape: Shape) {
  const key = `${+shape.guard}${+shape.resolves}${+shape.callback}`;
  let compiled = statements.get(key);
  if (!compiled) statements.set(key, (compiled = statement<Slot>((slot) => voteSql(shape, slot))));
  return compiled;
}

/**
 * Everything a counted vote writes, as one statement: the vote, its audit event, the vote on the job's
 * own tally (jobs.tally, from which its stored queue item counts approvals: drizzle/0009) and, when it
 * decides the job, the job's resolution, that event and the queue notification (delivered at commit).
 *
 * Without a guard the job row is already locked by the caller's transaction, and this is its last
 * statement, so it travels with the COMMIT (FinalWrite). With a guard it is a transaction of its own:
 * it takes the locks `withLockedJob` takes, in the same order (tenant row, job, voter), and locks the
 * job and the voter only if each is still the version the vote was decided on; if either moved, it
 * writes nothing and answers `applied` 0. A lock that waited for another transaction re-reads the row
 * it got (READ COMMITTED), so a vote committed meanwhile always shows as a new version.
 */
export function voteStatement(w: VoteWrite): Compiled {
  const { job, voter, vote, input, now } = w;
  const created = now.toISOString();
  // created_at is stored as the ISO text the event's MAC covers.
  const events: Record<string, unknown> = {};
  const event = (i: 0 | 1, type: string, data: Record<string, unknown>) => {
    const s = stampEvent({ tenantId: job.tenantId, type, actor: w.actor, jobId: job.id, data, createdAt: created });
    Object.assign(events, { [`event${i}Type`]: type, [`event${i}Data`]: s.dataJson, [`event${i}Created`]: created, [`event${i}Key`]: s.keyId, [`event${i}Nonce`]: s.nonce, [`event${i}Mac`]: s.mac });
  };
  event(0, "vote.cast", { vote, reason: input.reason, note: input.note ?? null, roles: voter.roles, approvals: w.approvals, credential: w.credential });

  const r = w.resolution;
  let callback: CallbackRow | null = null;
  if (r) {
    callback = callbackRow({ ...job, ...r, updatedAt: now } as JobRow, w.tally, r.state === "APPROVED" ? "job.approved" : "job.rejected", now);
    if (r.state === "APPROVED") event(1, "job.approved", { reason: input.reason, policy_snapshot: job.policySnapshot });
    else event(1, "job.rejected", { reason: input.reason });
  }
  // Every counted vote is news to the other reviewers watching the queue ("finance 1/2").
  const change: JobChange = { tenant: job.tenantId, job: job.id, state: r?.state ?? job.state };
  const compiled = statementFor({ guard: !!w.guard, resolves: !!r, callback: !!callback });
  const values = {
    ...events,
    tenant: job.tenantId,
    job: job.id,
    actor: w.actor,
    voter: voter.id,
    voterEmail: voter.email,
    vote,
    roles: voter.roles,
    reason: input.reason,
    note: input.note ?? null,
    credential: w.credential,
    now: created,
    // The job's tally gains this vote in the order cast, as `votesColumn` reads the votes back.
    tallied: JSON.stringify([{ userId: voter.id, vote, roles: voter.roles }]),
    change: JSON.stringify(change),
    jobVersion: w.guard?.jobVersion,
    voterVersion: w.guard?.voterVersion,
    state: r?.state,
    resolution: r?.resolution,
    resolvedBy: r?.resolvedBy,
    resolvedReason: r?.resolvedReason ?? null,
    resolvedNote: r?.resolvedNote ?? null,
    approvedSnapshot: r?.approvedSnapshot ?? null,
    callbackId: callback?.id,
    callbackType: callback?.eventType,
    callbackUrl: callback?.url,
    callbackBody: callback?.body,
  } as Record<Slot, unknown>;
  return { sql: compiled.sql, params: compiled.params(values) };
}
