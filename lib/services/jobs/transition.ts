import "server-only";
import { and, eq } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { jobs, type JobRow } from "@/lib/db/schema";
import { appendAudit } from "@/lib/services/audit/chain";
import { notifyJobChanged } from "@/lib/services/events";
import { enqueueCallback } from "@/lib/services/outbox/enqueue";
import { enqueueNotifications } from "@/lib/services/outbox/notify";

export interface TransitionAudit {
  type: string;
  actor: string;
  data: Record<string, unknown>;
  at: Date;
  notify?: boolean;
}

/**
 * Write a state change of a locked job, its audit event, its queue notification and the agent's
 * callback: all travel together in the caller's transaction.
 */
export async function transitionJob(tx: Db, job: JobRow, change: Partial<JobRow>, audit: TransitionAudit): Promise<JobRow> {
  const state = change.state ?? job.state;
  const announced = state !== job.state || audit.notify;
  // The update, the queue notification and the audit event depend on nothing the others answer: sent
  // together, they cost one round trip instead of three (a claim at submission waits on this).
  const [[row]] = await Promise.all([
    tx
      .update(jobs)
      .set({ ...change, updatedAt: audit.at })
      .where(and(eq(jobs.tenantId, job.tenantId), eq(jobs.id, job.id)))
      .returning()
      .execute(),
    announced ? notifyJobChanged(tx, job.tenantId, job.id, state) : undefined,
    appendAudit(tx, { tenantId: job.tenantId, jobId: job.id, type: audit.type, actor: audit.actor, data: audit.data, at: audit.at }),
  ]);
  if (!row) throw new Error(`job ${job.id} vanished under its lock`);
  if (announced) await deliverTransition(tx, row, audit);
  return row;
}

/** What a written change of `before` into `row` sends along, in the caller's transaction (see transitionJob). */
export async function announceTransition(tx: Db, before: JobRow, row: JobRow, audit: TransitionAudit): Promise<void> {
  if (row.state === before.state && !audit.notify) return;
  await notifyJobChanged(tx, row.tenantId, row.id, row.state);
  await deliverTransition(tx, row, audit);
}

/** The agent's callback and the reviewers' notifications of a change: announceTransition after its NOTIFY. */
async function deliverTransition(tx: Db, row: JobRow, audit: TransitionAudit): Promise<void> {
  await enqueueCallback(tx, row, audit.type, audit.at);
  // Reviewers hear when work escalates to them or lapses unseen.
  if (audit.type === "job.escalated" || audit.type === "job.expired") await enqueueNotifications(tx, row, audit.type, audit.at);
}
