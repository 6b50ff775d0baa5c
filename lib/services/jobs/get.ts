import type { Ctx } from "@/lib/services/context";
import { onJobChange } from "@/lib/services/events";
import { takeWaitSlot } from "@/lib/services/waits";
import { findJob } from "./find";
import { renderJob } from "./render";
import type { JobItem } from "./schemas";
import { deadlineOf } from "./state";

export const MAX_WAIT_SEC = 55;

/**
 * The job; with `waitSec`, hold the answer until the job leaves APPROVAL or the time is up.
 * The wait wakes on the change itself (NOTIFY from the committing transaction), not by polling,
 * and also when the job's own deadline passes so an expiry is reported at once.
 */
export async function getJob({ ctx, id, waitSec, signal }: { ctx: Ctx; id: string; waitSec?: number; signal?: AbortSignal }): Promise<JobItem> {
  const { db, principal } = ctx;
  const tenantId = principal.tenantId;
  let found = await findJob(db, tenantId, id);
  if (!waitSec || found.job.state !== "APPROVAL") return renderJob(found.job, found.votes, principal, new Date());

  // Only a request that will really be held takes one of its credential's slots (429 past the cap).
  const release = takeWaitSlot(principal);
  const until = Date.now() + Math.min(waitSec, MAX_WAIT_SEC) * 1000;
  let wake: () => void = () => {};
  const changed = () => new Promise<void>((resolve) => (wake = resolve));
  let pending = changed();
  let unsubscribe = () => {};
  const onAbort = () => wake();
  try {
    unsubscribe = await onJobChange((c) => {
      if (c.tenant === tenantId && c.job === id) wake();
    });
    signal?.addEventListener("abort", onAbort);
    // Re-read after subscribing so a change between the first read and LISTEN is not missed.
    found = await findJob(db, tenantId, id);
    while (found.job.state === "APPROVAL" && !signal?.aborted) {
      const deadline = deadlineOf(found.job)?.getTime() ?? Infinity;
      const stopAt = Math.min(until, deadline);
      const remaining = stopAt - Date.now();
      if (remaining <= 0) break;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([pending, new Promise<void>((r) => (timer = setTimeout(r, remaining)))]);
      clearTimeout(timer);
      pending = changed();
      found = await findJob(db, tenantId, id);
      if (Date.now() >= until) break;
    }
  } finally {
    signal?.removeEventListener("abort", onAbort);
    unsubscribe();
    release();
  }
  return renderJob(found.job, found.votes, principal, new Date());
}
