import "server-only";
import { log } from "@/lib/log";
import type { DbHandle } from "@/lib/db/client";
import { env } from "@/lib/env";
import { onJobChange } from "@/lib/services/events";
import { refreshSlackMessages } from "@/lib/services/channels/slack-refresh";
import { deliverDue } from "@/lib/services/outbox/deliver";

const INTERVAL_MS = 1_000;
const BATCH = 20;

/**
 * Every instance delivers due webhooks once a second, and soon after any job change it hears of (most
 * deliveries are born with one); instances share the work through SKIP LOCKED.
 */
export function startCourier(database: DbHandle): () => Promise<void> {
  const { db } = database;
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  const allow = env().COUNTERSIGN_WEBHOOK_ALLOW;
  const tick = async () => {
    try {
      // Drain what is due a batch at a time; a short batch means nothing more is due now.
      for (;;) {
        const r = await deliverDue(db, new Date(), { allow, batch: BATCH });
        if (stopped || r.delivered + r.retrying + r.failed < BATCH) break;
      }
      // Slack messages follow their jobs (votes, escalation, the decision wherever it was made).
      while (!stopped && (await refreshSlackMessages(db, new Date(), BATCH)).updated === BATCH);
    } catch (err) {
      log().error({ err }, "webhook delivery failed; will retry");
    }
  };
  const kick = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = tick().finally(() => {
      running = null;
      if (again) {
        again = false;
        kick();
      }
    });
  };
  const timer = setInterval(kick, INTERVAL_MS);
  timer.unref();
  // The change that queued a delivery commits before its NOTIFY arrives, so the row is visible by then.
  // Bursts of changes (a load of submissions) coalesce into one look every 50 ms at most.
  let soon: ReturnType<typeof setTimeout> | null = null;
  const unsubscribe = onJobChange(database.listen, () => {
    soon ??= setTimeout(() => {
      soon = null;
      kick();
    }, 50);
  }).catch(() => () => {});
  return async () => {
    stopped = true;
    clearInterval(timer);
    if (soon) clearTimeout(soon);
    (await unsubscribe)();
    await running;
  };
}
