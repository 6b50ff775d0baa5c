import "server-only";
import { and, asc, eq, inArray, isNull, lte, or, sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { deliveries, deliveryAttempts } from "@/lib/db/schema";
import { MAIL_URL_PREFIX, sendMail } from "@/lib/services/channels/mail-send";
import { SLACK_URL_PREFIX, sendSlack } from "@/lib/services/channels/slack-messages";
import { signingSecrets } from "./secrets";
import { sendWebhook, type SendResult } from "./send";
import { signatureHeader } from "./signature";

type DeliveryRow = typeof deliveries.$inferSelect;

/** Retries go on for a day from the change, then the delivery is marked failed (and can be redelivered by hand). */
export const RETRY_WINDOW_MS = 24 * 60 * 60 * 1000;
const LEASE_MS = 60_000;
const BASE_DELAY_MS = 5_000;
const MAX_DELAY_MS = 60 * 60 * 1000;

export interface DeliverOptions {
  allow: ReadonlySet<string>;
  timeoutMs?: number;
  batch?: number;
  random?: () => number;
}

/** Exponential backoff with jitter: 5 s, 10 s, 20 s … capped at an hour, each between half and all of it. */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(ceiling * (0.5 + random() / 2));
}

/**
 * Claim due deliveries (SKIP LOCKED, so instances share them) under a lease, send them, and record each
 * attempt. A worker that dies mid-send leaves the lease to run out and the delivery falls due again:
 * at least once, with the event id for receivers to drop duplicates.
 */
export async function deliverDue(db: Db, now: Date, opts: DeliverOptions): Promise<{ delivered: number; retrying: number; failed: number }> {
  const tally = { delivered: 0, retrying: 0, failed: 0 };
  const rows = await db.transaction(async (tx) => {
    const due = await tx
      .select({ id: deliveries.id })
      .from(deliveries)
      .where(and(eq(deliveries.state, "pending"), lte(deliveries.nextAttemptAt, now), or(isNull(deliveries.leaseUntil), lte(deliveries.leaseUntil, now))))
      .orderBy(asc(deliveries.nextAttemptAt))
      .limit(opts.batch ?? 20)
      .for("update", { skipLocked: true });
    if (due.length === 0) return [];
    return tx
      .update(deliveries)
      .set({ leaseUntil: new Date(now.getTime() + LEASE_MS), attempts: sql`${deliveries.attempts} + 1` })
      .where(inArray(deliveries.id, due.map((d) => d.id)))
      .returning();
  });
  const secrets = new Map<string, Promise<string[]>>();
  await Promise.all(
    rows.map(async (d) => {
      // The Slack app and mail have senders of their own (lib/services/channels); the rest are webhooks.
      if (d.url.startsWith(SLACK_URL_PREFIX) || d.url.startsWith(MAIL_URL_PREFIX)) {
        const sent = d.url.startsWith(SLACK_URL_PREFIX) ? await sendSlack(db, d, now) : await sendMail(db, d, now);
        tally[await record(db, d, sent, now, opts.random)] += 1;
        return;
      }
      if (!secrets.has(d.tenantId)) secrets.set(d.tenantId, signingSecrets(db, d.tenantId, now));
      const t = Math.floor(Date.now() / 1000);
      const result = await sendWebhook(
        d.url,
        d.body,
        {
          "countersign-signature": signatureHeader(await secrets.get(d.tenantId)!, t, d.body),
          "countersign-event-id": d.id,
          "countersign-event-type": d.eventType,
        },
        { allow: opts.allow, timeoutMs: opts.timeoutMs ?? 10_000 },
      );
      tally[await record(db, d, result, now, opts.random)] += 1;
    }),
  );
  return tally;
}

/** The attempt and the delivery's next state, in one transaction. */
async function record(db: Db, d: DeliveryRow, r: SendResult, now: Date, random?: () => number): Promise<"delivered" | "retrying" | "failed"> {
  const ok = r.error === null;
  const next = new Date(now.getTime() + retryDelayMs(d.attempts, random));
  const outcome = ok ? "delivered" : next.getTime() - d.createdAt.getTime() > RETRY_WINDOW_MS ? "failed" : "retrying";
  await db.transaction(async (tx) => {
    await tx.insert(deliveryAttempts).values({ tenantId: d.tenantId, deliveryId: d.id, attemptedAt: now, statusCode: r.statusCode, latencyMs: r.latencyMs, error: r.error });
    await tx
      .update(deliveries)
      .set({
        state: outcome === "retrying" ? "pending" : outcome,
        leaseUntil: null,
        lastError: r.error,
        deliveredAt: ok ? now : null,
        nextAttemptAt: outcome === "retrying" ? next : d.nextAttemptAt,
      })
      // Only while this worker still holds the lease it claimed: a send that outlived its lease, or a row
      // redelivered meanwhile, must not overwrite what a newer attempt recorded.
      .where(and(eq(deliveries.tenantId, d.tenantId), eq(deliveries.id, d.id), eq(deliveries.leaseUntil, d.leaseUntil!)));
  });
  return outcome;
}
