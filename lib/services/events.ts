import { sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { getDatabase } from "@/lib/db/client";

export const JOB_CHANNEL = "countersign_jobs";

export interface JobChange {
  tenant: string;
  job: string;
  state: string;
}

/**
 * NOTIFY inside the writer's transaction: PostgreSQL delivers it only if the change commits,
 * to every app instance listening (PGlite delivers it in-process).
 */
export async function notifyJobChanged(tx: Db, tenant: string, job: string, state: string): Promise<void> {
  const payload: JobChange = { tenant, job, state };
  await tx.execute(sql`select pg_notify(${JOB_CHANNEL}, ${JSON.stringify(payload)})`);
}

type Listener = (change: JobChange) => void;
const holder = globalThis as unknown as { __countersignJobListeners?: Set<Listener>; __countersignListening?: Promise<void> };

/** One LISTEN per process, fanned out to in-process subscribers (long-polls, streams). */
export async function onJobChange(listener: Listener): Promise<() => void> {
  const listeners = (holder.__countersignJobListeners ??= new Set());
  if (!holder.__countersignListening) {
    holder.__countersignListening = (async () => {
      const database = await getDatabase();
      await database.listen(JOB_CHANNEL, (payload) => {
        let change: JobChange;
        try {
          change = JSON.parse(payload) as JobChange;
        } catch {
          return;
        }
        for (const l of holder.__countersignJobListeners ?? []) l(change);
      });
    })();
    holder.__countersignListening.catch(() => {
      holder.__countersignListening = undefined;
    });
  }
  listeners.add(listener);
  await holder.__countersignListening;
  return () => listeners.delete(listener);
}
