import "server-only";
import { ulid } from "@/lib/ids";
import type { Db } from "@/lib/db/client";
import { deliveries, type JobRow } from "@/lib/db/schema";
import type { Principal } from "@/lib/services/context";
import { tallyOf } from "@/lib/services/jobs/find";
import { renderJob, type RenderableJob, type VoteTally } from "@/lib/services/jobs/render";

// Callbacks render the job as the queue shows it, to nobody in particular (can_act is false).
const NOBODY = (tenantId: string): Principal => ({ kind: "admin", tenantId, scopes: new Set(), tokenId: null });

export const newDeliveryId = () => `dlv-${ulid()}`;

/** The event an agent's callback_url receives: the job as the queue shows it, right after the change. */
export function callbackBody(id: string, type: string, job: RenderableJob & { tenantId: string }, votes: VoteTally[], now: Date): string {
  return JSON.stringify({ id, type, created_at: now.toISOString(), job: renderJob(job, votes, NOBODY(job.tenantId), now) });
}

export interface CallbackRow {
  id: string;
  tenantId: string;
  jobId: string;
  kind: "callback";
  eventType: string;
  url: string;
  body: string;
  nextAttemptAt: Date;
  createdAt: Date;
}

/** The outbox row for a job's callback, or null when the job asked for none. */
export function callbackRow(job: JobRow, votes: VoteTally[], type: string, now: Date): CallbackRow | null {
  if (!job.callbackUrl) return null;
  const id = newDeliveryId();
  return { id, tenantId: job.tenantId, jobId: job.id, kind: "callback", eventType: type, url: job.callbackUrl, body: callbackBody(id, type, job, votes, now), nextAttemptAt: now, createdAt: now };
}

/** Queue the callback for a change, inside the change's own transaction (so it exists iff the change does). */
export async function enqueueCallback(tx: Db, job: JobRow, type: string, now: Date): Promise<void> {
  if (!job.callbackUrl) return;
  const tally = await tallyOf(tx, job.tenantId, job.id);
  const row = callbackRow(job, tally, type, now);
  if (row) await tx.insert(deliveries).values(row);
}
