import "server-only";
import { log } from "@/lib/log";
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
    let tenants: string[];
    try {
      tenants = await tenantsWithUnsealed(db);
    } catch (err) {
      log().error({ err }, "audit sealer could not list tenants; will retry");
      return;
    }
    for (const tenant of tenants) {
      if (stopped) return;
      // One tenant that cannot be sealed (its chain tampered with) must not stall the others.
      try {
        await sealTenant(db, tenant, { skipLocked: true });
      } catch (err) {
        log().error({ err, tenant }, "sealing a tenant failed; will retry");
      }
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
