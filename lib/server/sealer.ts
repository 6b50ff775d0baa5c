import type { Db } from "@/lib/db/client";
import { sealTenant, tenantsWithUnsealed } from "@/lib/services/audit/seal";

const INTERVAL_MS = 200;

/**
 * Seal committed audit events into their tenants' chains shortly after they commit. Every instance
 * runs one; they coordinate through the chain head's row lock (a busy tenant is skipped, not waited
 * for), so running several is safe and a crashed one leaves nothing half-sealed.
 */
export function startSealer(db: Db): () => Promise<void> {
  let running: Promise<void> | null = null;
  let stopped = false;
  const tick = async () => {
    try {
      for (const tenant of await tenantsWithUnsealed(db)) {
        if (stopped) return;
        await sealTenant(db, tenant, { skipLocked: true });
      }
    } catch (err) {
      console.error("[countersign] audit sealer failed; will retry", err);
    }
  };
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
