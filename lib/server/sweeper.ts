import "server-only";
import { log } from "@/lib/log";
import type { Db } from "@/lib/db/client";
import { sweep } from "@/lib/services/sla/sweep";

const INTERVAL_MS = 1_000;

/** Every instance sweeps once a second; they share the work through SKIP LOCKED (see sweep.ts). */
export function startSweeper(db: Db): () => Promise<void> {
  let running: Promise<void> | null = null;
  const tick = async () => {
    try {
      await sweep(db, new Date());
    } catch (err) {
      log().error({ err }, "SLA sweep failed; will retry");
    }
  };
  const timer = setInterval(() => {
    if (!running) running = tick().finally(() => (running = null));
  }, INTERVAL_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
