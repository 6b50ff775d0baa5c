import "server-only";
import { sql } from "drizzle-orm";
import type { Db, Listen } from "@/lib/db/client";

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

/** Called with each payload, and with `null` whenever the subscription was (re)established. */
type Listener = (payload: string | null) => void;
const holder = globalThis as unknown as {
  __countersignListeners?: Map<string, Set<Listener>>;
  __countersignListening?: Map<string, Promise<void>>;
};

/**
 * One LISTEN per channel per process (through `listen`, the first subscriber's database), fanned out to
 * in-process subscribers.
 */
export async function subscribe(listen: Listen, channel: string, listener: Listener): Promise<() => void> {
  const all = (holder.__countersignListeners ??= new Map());
  const listening = (holder.__countersignListening ??= new Map());
  let set = all.get(channel);
  if (!set) all.set(channel, (set = new Set()));
  let ready = listening.get(channel);
  if (!ready) {
    ready = (async () => {
      await listen(channel, (payload) => fanOut(channel, payload), () => fanOut(channel, null));
    })();
    listening.set(channel, ready);
    ready.catch(() => listening.delete(channel));
  }
  set.add(listener);
  await ready;
  return () => set.delete(listener);
}

function fanOut(channel: string, payload: string | null): void {
  for (const l of holder.__countersignListeners?.get(channel) ?? []) l(payload);
}

/** Commits that change a job (long-polls and the queue stream wake on these). */
export function onJobChange(listen: Listen, listener: (change: JobChange) => void): Promise<() => void> {
  return subscribe(listen, JOB_CHANNEL, (payload) => {
    if (payload === null) return;
    let change: JobChange;
    try {
      change = JSON.parse(payload) as JobChange;
    } catch {
      return;
    }
    listener(change);
  });
}

/** Tokens revoked, people changed: every instance drops what it remembers of who may do what. */
export const AUTH_CHANNEL = "countersign_auth";

/** Inside the writer's transaction: every instance hears it when the change commits. */
export async function notifyAuthChanged(tx: Db): Promise<void> {
  await tx.execute(sql`select pg_notify(${AUTH_CHANNEL}, 'flush')`);
}

/**
 * After the change committed: this instance's subscribers hear it at once, without waiting for the
 * NOTIFY to come back (a request right behind the change must not be answered from what it changed).
 */
export function announceAuthChanged(): void {
  fanOut(AUTH_CHANNEL, "flush");
}
