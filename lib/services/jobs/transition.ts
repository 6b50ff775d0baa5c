import { and, eq } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { jobs, type JobRow } from "@/lib/db/schema";
import { appendAudit } from "@/lib/services/audit/chain";
import { notifyJobChanged } from "@/lib/services/events";
import { enqueueCallback } from "@/lib/services/outbox/enqueue";
import { enqueueNotifications } from "@/lib/services/outbox/notify";

/**
 * Write a state change of a locked job, its audit event, its queue notification and the agent's
 * callback: all travel together in the caller's transaction.
 */
export async function transitionJob(
  tx: Db,
  job: JobRow,
  change: Partial<JobRow>,
  audit: { type: string; actor: string; data: Record<string, unknown>; at: Date; notify?: boolean },
): Promise<JobRow> {
  const state = change.state ?? job.state;
  const changed = state !== job.state || audit.notify;
  // The update, the notification and the audit event depend on nothing the others answer: sent
  // together, they cost one round trip instead of three (a claim at submission waits on this).
  const [[row]] = await Promise.all([
    tx
      .update(jobs)
      .set({ ...change, updatedAt: audit.at })
      .where(and(eq(jobs.tenantId, job.tenantId), eq(jobs.id, job.id)))
      .returning()
      .execute(),
    changed ? notifyJobChanged(tx, job.tenantId, job.id, state) : undefined,
    appendAudit(tx, { tenantId: job.tenantId, jobId: job.id, type: audit.type, actor: audit.actor, data: audit.data, at: audit.at }),
  ]);
  if (!row) throw new Error(`job ${job.id} vanished under its lock`);
  if (changed) {
    await enqueueCallback(tx, row, audit.type, audit.at);
    // Reviewers hear when work escalates to them or lapses unseen.
    if (audit.type === "job.escalated" || audit.type === "job.expired") await enqueueNotifications(tx, row, audit.type, audit.at);
  }
  return row;
}
