import { and, eq } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { jobs, tenants, votes as votesTable, type JobRow } from "@/lib/db/schema";
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
  const [, [job], votes, extra] = await Promise.all([
    tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.id, tenantId)).for("key share"),
    tx
      .select()
      .from(jobs)
      .where(and(eq(jobs.tenantId, tenantId), eq(jobs.id, id)))
      .for("update"),
    tx
      .select({ userId: votesTable.userId, vote: votesTable.vote, roles: votesTable.roles })
      .from(votesTable)
      .where(and(eq(votesTable.tenantId, tenantId), eq(votesTable.jobId, id)))
      .orderBy(votesTable.id),
    alongside?.(tx),
  ]);
  if (!job) throw new NotFound("job");
  return { job, votes, extra };
}
