import "server-only";
import { log } from "@/lib/log";
import { and, count, eq } from "drizzle-orm";
import type { DbHandle } from "@/lib/db/client";
import { contextOf } from "@/lib/services/context";
import { jobs } from "@/lib/db/schema";
import { SubmitJobBody, type JobItem } from "@/lib/services/jobs/schemas";
import { submitJob } from "@/lib/services/jobs/submit";
import { randomJob, type Rng } from "./jobs";
import { DEMO_TENANT, agentPrincipal, findAgentToken } from "./seed";

const EVERY_MS = 8_000;
const MAX_PENDING = 40;

export interface TickOptions {
  tenant?: string;
  /** Submit nothing while this many jobs already wait for people (the queue stays workable). */
  maxPending?: number;
  rng?: Rng;
}

/**
 * Submit one random job as the demo agent, through the real submit service. Returns the job, or null
 * when the queue is full or the tenant has no live demo-agent token (not seeded, or revoked).
 */
export async function tickOnce(database: DbHandle, now: Date, opts: TickOptions = {}): Promise<JobItem | null> {
  const tenant = opts.tenant ?? DEMO_TENANT;
  const { db } = database;
  const [pending] = await db
    .select({ n: count() })
    .from(jobs)
    .where(and(eq(jobs.tenantId, tenant), eq(jobs.state, "APPROVAL")));
  if ((pending?.n ?? 0) >= (opts.maxPending ?? MAX_PENDING)) return null;

  // Read the token on every tick, so revoking it in the console stops the trickle.
  const token = await findAgentToken(db, tenant);
  if (!token) return null;
  const input = SubmitJobBody.parse(randomJob(opts.rng));
  const { item } = await submitJob({ ctx: contextOf(database, agentPrincipal(token), now), input, idempotencyKey: null });
  return item;
}

/**
 * Keep jobs arriving in the demo tenant, one every `everyMs`. A failed tick is logged and the next one
 * tries again. The returned function stops the timer and waits for a tick in flight.
 */
export function startDemoTicker(database: DbHandle, opts: { everyMs?: number; maxPending?: number; tenant?: string } = {}): () => Promise<void> {
  let running: Promise<void> | null = null;
  const tick = async () => {
    try {
      await tickOnce(database, new Date(), { tenant: opts.tenant, maxPending: opts.maxPending });
    } catch (err) {
      log().error({ err }, "demo ticker: submitting a job failed; will retry");
    }
  };
  const timer = setInterval(() => {
    if (!running) running = tick().finally(() => (running = null));
  }, opts.everyMs ?? EVERY_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
