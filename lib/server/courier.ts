import type { Db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { deliverDue } from "@/lib/services/outbox/deliver";

const INTERVAL_MS = 1_000;
const BATCH = 20;

/** Every instance delivers due webhooks once a second; they share the work through SKIP LOCKED. */
export function startCourier(db: Db): () => Promise<void> {
  let running: Promise<void> | null = null;
  const allow = env().COUNTERSIGN_WEBHOOK_ALLOW;
  const tick = async () => {
    try {
      // Drain what is due a batch at a time; a short batch means nothing more is due now.
      for (;;) {
        const r = await deliverDue(db, new Date(), { allow, batch: BATCH });
        if (stopped || r.delivered + r.retrying + r.failed < BATCH) break;
      }
    } catch (err) {
      console.error("[countersign] webhook delivery failed; will retry", err);
    }
  };
  let stopped = false;
  const timer = setInterval(() => {
    if (!running) running = tick().finally(() => (running = null));
  }, INTERVAL_MS);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}
