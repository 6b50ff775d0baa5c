import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { jobRowColumns, txRows } from "@/lib/db/raw-sql";
import type { Db } from "@/lib/db/client";
import { jobs, type JobRow } from "@/lib/db/schema";
import { NotFound } from "@/lib/services/errors";
import { votesColumn, type VoteTally } from "./render";

/** A job of the caller's tenant with its votes; another tenant's id is exactly as unknown as a made-up one. */
export async function findJob(db: Db, tenantId: string, id: string): Promise<{ job: JobRow; votes: VoteTally[] }> {
  const [row] = await db
    .select({ job: jobs, votes: votesColumn })
    .from(jobs)
    .where(and(eq(jobs.tenantId, tenantId), eq(jobs.id, id)));
  if (!row) throw new NotFound("job");
  return row;
}

/**
 * The job row-locked until the caller's transaction ends, after the tenant row (key share), with its
 * votes: every state change starts here.
 *
 * The three statements are sent together (pipelined: one round trip) but PostgreSQL runs them one
 * after another, so the lock order holds. The votes are a statement of their own on purpose: a
 * statement that waited for a lock keeps the snapshot it started with, so votes read in the locking
 * statement could miss the vote that was just cast; the next statement starts after the lock is held.
 * `alongside` joins the same pipeline, after the votes (a vote reads its voter's row there).
 */
export async function lockJob<P>(
  tx: Db,
  tenantId: string,
  id: string,
  alongside?: (tx: Db) => Promise<P>,
): Promise<{ job: JobRow; votes: VoteTally[]; extra: P | undefined }> {
  // Plain statements (prepared once per connection), not the query builder: this runs on every vote,
  // claim, completion and cancel.
  const [, [row], votes, extra] = await Promise.all([
    txRows(tx, sql`select id from tenants where id = ${tenantId} for key share`),
    txRows(tx, sql`select ${sql.raw(jobRowColumns.sql)} from jobs where tenant_id = ${tenantId} and id = ${id} for update`),
    txRows<VoteTally>(tx, sql`select user_id as "userId", vote, roles from votes where tenant_id = ${tenantId} and job_id = ${id} order by id`),
    alongside?.(tx),
  ]);
  if (!row) throw new NotFound("job");
  return { job: jobRowColumns.fromRow(row), votes, extra };
}
