import type { Db } from "@/lib/db/client";
import type { JobRow } from "@/lib/db/schema";
import type { Ctx } from "@/lib/services/context";
import { Conflict } from "@/lib/services/errors";
import { lockJob } from "./find";
import { expireLapsed, isLapsed } from "./state";

const LAPSED = Symbol("lapsed");

/**
 * Run `fn` on the row-locked job inside one transaction; whatever `fn` throws rolls it all back.
 * A pending job found past its deadline is expired first, and that expiry is committed even though
 * the request itself then fails with `expired`: the deadline is a fact, not part of the request.
 */
export async function withLockedJob<T>(ctx: Ctx, id: string, fn: (tx: Db, job: JobRow) => Promise<T>): Promise<T> {
  const outcome = await ctx.db.transaction(async (tx) => {
    const job = await lockJob(tx, ctx.principal.tenantId, id);
    if (isLapsed(job, ctx.now)) {
      await expireLapsed(tx, job, ctx.now);
      return LAPSED;
    }
    return fn(tx, job);
  });
  if (outcome === LAPSED) throw new Conflict("expired", "The job expired before this request arrived.");
  return outcome as T;
}
