import { and, eq } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { jobs, type JobRow } from "@/lib/db/schema";
import type { Principal } from "@/lib/services/context";
import { NotFound } from "@/lib/services/errors";
import { renderJob, votesByJob } from "./render";
import type { JobItem } from "./schemas";

/** A job of the caller's tenant; another tenant's id is exactly as unknown as a made-up one. */
export async function findJob(db: Db, tenantId: string, id: string): Promise<JobRow> {
  const [job] = await db.select().from(jobs).where(and(eq(jobs.tenantId, tenantId), eq(jobs.id, id)));
  if (!job) throw new NotFound("job");
  return job;
}

/** The same, row-locked until the caller's transaction ends: every state change starts here. */
export async function lockJob(tx: Db, tenantId: string, id: string): Promise<JobRow> {
  const [job] = await tx
    .select()
    .from(jobs)
    .where(and(eq(jobs.tenantId, tenantId), eq(jobs.id, id)))
    .for("update");
  if (!job) throw new NotFound("job");
  return job;
}

export async function loadItem(db: Db, principal: Principal, job: JobRow, now: Date): Promise<JobItem> {
  const votes = (await votesByJob(db, job.tenantId, [job.id])).get(job.id) ?? [];
  return renderJob(job, votes, principal, now);
}
