import "server-only";
import { and, desc, eq, type SQL } from "drizzle-orm";
import { jobs } from "@/lib/db/schema";
import { principalKey, type Ctx } from "@/lib/services/context";
import { renderJob, votesColumn } from "./render";
import type { JobItem, OwnJobsQuery } from "./schemas";

/**
 * The caller's own jobs (same tenant, same submitter: the token for an agent, the person for a user),
 * newest first, optionally one topic and one job hash. With a job hash it is a range of
 * jobs_submitter_hash_idx, so a lookup that finds nothing reads nothing else.
 */
export async function listOwnJobs({ ctx, query }: { ctx: Ctx; query: OwnJobsQuery }): Promise<{ items: JobItem[] }> {
  const { db, principal } = ctx;
  const where: SQL[] = [eq(jobs.tenantId, principal.tenantId), eq(jobs.principalKey, principalKey(principal))];
  if (query.job_hash) where.push(eq(jobs.jobHash, query.job_hash));
  if (query.topic) where.push(eq(jobs.topic, query.topic));
  const rows = await db
    .select({ job: jobs, votes: votesColumn })
    .from(jobs)
    .where(and(...where))
    .orderBy(desc(jobs.createdAt), desc(jobs.id))
    .limit(query.limit);
  const now = new Date();
  return { items: rows.map((r) => renderJob(r.job, r.votes, principal, now)) };
}
