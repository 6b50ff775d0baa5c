import { and, eq } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { jobs, votes as votesTable, type JobRow } from "@/lib/db/schema";
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
 * The same, row-locked until the caller's transaction ends: every state change starts here. The votes
 * are read by a second statement on purpose: a statement that waited for the lock still sees the
 * snapshot it started with, so votes read alongside the lock could miss the vote that was just cast.
 */
export async function lockJob(tx: Db, tenantId: string, id: string): Promise<{ job: JobRow; votes: VoteTally[] }> {
  const [job] = await tx
    .select()
    .from(jobs)
    .where(and(eq(jobs.tenantId, tenantId), eq(jobs.id, id)))
    .for("update");
  if (!job) throw new NotFound("job");
  const votes = await tx
    .select({ userId: votesTable.userId, vote: votesTable.vote, roles: votesTable.roles })
    .from(votesTable)
    .where(and(eq(votesTable.tenantId, tenantId), eq(votesTable.jobId, id)))
    .orderBy(votesTable.id);
  return { job, votes };
}
