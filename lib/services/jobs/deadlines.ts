import "server-only";
import type { Db } from "@/lib/db/client";
import { and, eq } from "drizzle-orm";
import { jobs, type JobRow } from "@/lib/db/schema";
import { enqueueNotifications } from "@/lib/services/outbox/notify";
import { SLA_ACTOR, currentView, eligibleRoles } from "./state";
import { transitionJob } from "./transition";

/** Persist a lapsed deadline as EXPIRED, with its audit event, inside the caller's transaction. */
export function expireLapsed(tx: Db, job: JobRow, now: Date): Promise<JobRow> {
  const deadline = currentView(job, now).resolvedAt ?? now;
  return transitionJob(
    tx,
    job,
    { state: "EXPIRED", resolution: "expired", resolvedBy: SLA_ACTOR, resolvedAt: deadline },
    { type: "job.expired", actor: SLA_ACTOR, data: { deadline: deadline.toISOString(), on_timeout: job.onTimeout }, at: now },
  );
}

/** Persist an escalation that came due: `escalate_to` roles may now vote too. Audited in the caller's transaction. */
export function escalateDue(tx: Db, job: JobRow, now: Date): Promise<JobRow> {
  return transitionJob(
    tx,
    job,
    { escalated: true, eligibleRoles: eligibleRoles(job.requirements, true) },
    {
      type: "job.escalated",
      actor: SLA_ACTOR,
      data: { due_at: job.dueAt?.toISOString() ?? null, escalate_to: job.escalateTo },
      at: now,
      // The queue changes for the escalate_to roles even though the state does not.
      notify: true,
    },
  );
}

/**
 * Mark a pending job warned that its deadline nears and tell the people who can act (mail, targets that
 * asked for `job.expiring`), in the caller's transaction. A notice, not a change of the job: no audit
 * event (notifications are not audited), no callback, updated_at kept.
 */
export async function warnExpiring(tx: Db, job: JobRow, now: Date): Promise<void> {
  await tx.update(jobs).set({ expiringNoticed: true }).where(and(eq(jobs.tenantId, job.tenantId), eq(jobs.id, job.id)));
  await enqueueNotifications(tx, { ...job, expiringNoticed: true }, "job.expiring", now);
}
