import "server-only";
import { sql } from "drizzle-orm";
import type { RawQuery } from "@/lib/db/client";
import { bare, statement } from "@/lib/db/raw-sql";
import { rateLimits as r } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { principalKey, type Ctx } from "./context";
import { TooManyRequests } from "./errors";

export type LimitedAction = "submit" | "resolve";

// One statement takes from the caller's bucket, shared by every instance through the database: refill
// for the time elapsed (capped at one minute's worth), then take what is asked for, or what there is
// if at least one. A bucket that stays empty returns no row. The clock is the database's.
type Slot = "tenant" | "subject" | "action" | "perMinute" | "want";
const available = (slot: (name: Slot) => unknown) =>
  sql`least(${slot("perMinute")}::float8, ${r.tokens} + extract(epoch from clock_timestamp() - ${r.updatedAt}) * ${slot("perMinute")}::float8 / 60)`;
const TAKE = statement<Slot>(
  (slot) => sql`
  insert into ${r} (${bare(r.tenantId)}, ${bare(r.subject)}, ${bare(r.action)}, ${bare(r.tokens)}, ${bare(r.granted)}, ${bare(r.updatedAt)})
  values (${slot("tenant")}, ${slot("subject")}, ${slot("action")}, ${slot("perMinute")}::float8 - ${slot("want")}::int, ${slot("want")}::int, clock_timestamp())
  on conflict (${bare(r.tenantId)}, ${bare(r.subject)}, ${bare(r.action)}) do update
    set ${bare(r.granted)} = least(${slot("want")}::int, floor(${available(slot)})::int),
        ${bare(r.tokens)} = ${available(slot)} - least(${slot("want")}::int, floor(${available(slot)})::int),
        ${bare(r.updatedAt)} = clock_timestamp()
    where ${available(slot)} >= 1
  returning ${r.granted}`,
);

// Seconds until the bucket holds one token again.
const WAIT = statement<Exclude<Slot, "want">>(
  (slot) => sql`
  select greatest(0, (1 - ${available(slot as (name: Slot) => unknown)}) * 60 / ${slot("perMinute")}::float8) as wait
  from ${r} where ${r.tenantId} = ${slot("tenant")} and ${r.subject} = ${slot("subject")} and ${r.action} = ${slot("action")}`,
);

/**
 * Take up to `want` tokens (at least one) from the bucket (tenant, subject, action) that refills at
 * `perMinute` and holds at most one minute's worth. Returns how many were granted, or 0 and the whole
 * seconds until one is available.
 */
export async function drawFromBucket(
  query: RawQuery,
  bucket: { tenant: string; subject: string; action: string },
  perMinute: number,
  want = 1,
): Promise<{ granted: number; wait: number }> {
  const values = { ...bucket, perMinute, want: Math.max(1, Math.min(want, perMinute)) };
  const [taken] = await query<{ granted: number }>(TAKE.sql, TAKE.params(values));
  if (taken) return { granted: taken.granted, wait: 0 };
  const [row] = await query<{ wait: number }>(WAIT.sql, WAIT.params(values));
  return { granted: 0, wait: Math.max(1, Math.ceil(Number(row?.wait ?? 1))) };
}

/** One token: 0 when taken, else the whole seconds until one is available. */
export async function drawOneFromBucket(query: RawQuery, bucket: { tenant: string; subject: string; action: string }, perMinute: number): Promise<number> {
  return (await drawFromBucket(query, bucket, perMinute, 1)).wait;
}

/**
 * Tokens this instance has already taken from a bucket and not yet spent. A busy caller takes up to a
 * second's worth per database round trip instead of one; whatever is leased was taken from the shared
 * bucket, so all instances together still never exceed the limit. A lease lapses after LEASE_MS, so
 * an instance never sits on budget that another instance could use.
 */
const LEASE_MS = 1_000;
const leases = new Map<string, { left: number; until: number }>();
/**
 * The lease being taken for a caller, if one is on its way. Requests that find no lease while one is
 * being taken wait for it instead of each taking a second's worth: 50 requests in flight when a lease
 * lapsed took 50 seconds' worth at once, emptied the shared bucket of budget that then lapsed unused,
 * and sent up to 50 statements (and a second one each, once the bucket was empty) where one does.
 */
const taking = new Map<string, Promise<unknown>>();

function perMinute(ctx: Ctx, action: LimitedAction): number | null {
  const p = ctx.principal;
  if (p.kind === "admin") return null; // the installation admin provisions; it is not throttled
  const own = action === "submit" ? p.limits?.submitPerMinute : p.limits?.resolvePerMinute;
  if (own) return own;
  const e = env();
  return action === "submit" ? e.COUNTERSIGN_RATE_SUBMIT_PER_MINUTE : e.COUNTERSIGN_RATE_RESOLVE_PER_MINUTE;
}

/**
 * Spend one request of the caller's budget for `action`, or answer 429 `rate_limited` with Retry-After.
 * Runs in its own statement before the request's transaction, so the bucket's row lock is held for
 * microseconds; a refused request writes nothing else. Callers are keyed as on jobs (token or person).
 * Spent from this instance's lease when it holds one (see `leases`), else from the database.
 */
export async function takeRateLimit(ctx: Ctx, action: LimitedAction): Promise<void> {
  const limit = perMinute(ctx, action);
  if (limit === null) return;
  const key = `${ctx.principal.tenantId}\u0000${principalKey(ctx.principal)}\u0000${action}`;
  const fromLease = () => {
    const lease = leases.get(key);
    if (!lease || lease.left <= 0 || lease.until <= Date.now()) return false;
    lease.left -= 1;
    return true;
  };
  if (fromLease()) return;
  // A second's worth at a time (one at a time for small limits, which are then exact).
  const want = Math.max(1, Math.floor(limit / 60));
  const inFlight = want > 1 ? taking.get(key) : undefined;
  if (inFlight) {
    await inFlight.catch(() => {});
    if (fromLease()) return;
  }
  const bucket = { tenant: ctx.principal.tenantId, subject: principalKey(ctx.principal), action };
  const take = drawFromBucket(ctx.query, bucket, limit, want);
  if (want > 1 && !taking.has(key)) {
    taking.set(key, take);
    const done = () => {
      if (taking.get(key) === take) taking.delete(key);
    };
    take.then(done, done);
  }
  // Requests waiting on this take resume after this continuation (they reacted to it later), so the
  // lease below is set by the time they look for it.
  const { granted, wait } = await take;
  if (granted > 0) {
    const now = Date.now();
    if (granted > 1) {
      if (leases.size > 10_000) leases.clear();
      const current = leases.get(key);
      const left = (current && current.until > now ? current.left : 0) + granted - 1;
      leases.set(key, { left, until: now + LEASE_MS });
    }
    return;
  }
  // Refused by the bucket, but a concurrent request of this caller may just have leased a surplus.
  if (fromLease()) return;
  const what = action === "submit" ? "submissions" : "resolutions";
  throw new TooManyRequests(`This caller is limited to ${limit} ${what} a minute. Retry after ${wait} s.`, wait);
}
