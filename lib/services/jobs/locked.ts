import type { SQL } from "drizzle-orm";
import { getDatabase, plainTransaction, type Db } from "@/lib/db/client";
import type { JobRow } from "@/lib/db/schema";
import type { Ctx } from "@/lib/services/context";
import { Conflict } from "@/lib/services/errors";
import { lockJob } from "./find";
import type { VoteTally } from "./render";
import { escalateDue, expireLapsed } from "./deadlines";
import { isLapsed, isEscalationDue } from "./state";

/** One transaction for the request: pipelined on its own database (always, outside tests that build a context by hand). */
export async function requestTransaction<T>(ctx: Ctx, fn: (tx: Db) => Promise<{ result: T; last?: SQL }>): Promise<T> {
  const database = await getDatabase();
  return database.db === ctx.db ? database.pipelinedTransaction(fn) : plainTransaction(ctx.db, fn);
}

/** What `fn` returns when its last statement can travel with the COMMIT (see pipelinedTransaction). */
export class FinalWrite<T> {
  constructor(
    readonly result: T,
    readonly last: SQL,
  ) {}
}

/**
 * What `fn` returns to refuse the request but keep what it already wrote: a fact it established on the
 * way (an expiry, a re-decision under the active policy) is committed, then `error` is thrown.
 */
export class RefuseAfterCommit {
  constructor(readonly error: Error) {}
}

/**
 * Run `fn` on the row-locked job inside one transaction; whatever `fn` throws rolls it all back.
 *
 * Lock order, the same everywhere: tenant row (key share) → job row → voter's user row (audit events take none).
 * A policy activation holds the tenant row for update while it re-decides open jobs, so taking the
 * tenant first means a write waits for the activation instead of deadlocking with it.
 *
 * Time is applied first: a job past due_at with `on_timeout: escalate` is marked escalated (and that
 * is audited) before `fn` sees it; a job past its deadline is expired and that expiry is committed even
 * though the request itself then fails with `expired`: the deadline is a fact, not part of the request
 * (`fn` can refuse the same way, with RefuseAfterCommit).
 */
export async function withLockedJob<T, P = undefined>(
  ctx: Ctx,
  id: string,
  fn: (tx: Db, job: JobRow, votes: VoteTally[], extra: P | undefined) => Promise<T | FinalWrite<T> | RefuseAfterCommit>,
  alongside?: (tx: Db) => Promise<P>,
): Promise<T> {
  const outcome = await requestTransaction<T | RefuseAfterCommit>(ctx, async (tx) => {
    const locked = await lockJob(tx, ctx.principal.tenantId, id, alongside);
    let job = locked.job;
    if (isLapsed(job, ctx.now)) {
      await expireLapsed(tx, job, ctx.now);
      return { result: new RefuseAfterCommit(new Conflict("expired", "The job expired before this request arrived.")) };
    }
    if (isEscalationDue(job, ctx.now)) job = await escalateDue(tx, job, ctx.now);
    const out = await fn(tx, job, locked.votes, locked.extra);
    return out instanceof FinalWrite ? { result: out.result, last: out.last } : { result: out };
  });
  if (outcome instanceof RefuseAfterCommit) throw outcome.error;
  return outcome;
}
