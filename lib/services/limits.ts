import type { RawQuery } from "@/lib/db/client";
import { env } from "@/lib/env";
import { principalKey, type Ctx } from "./context";
import { TooManyRequests } from "./errors";

export type LimitedAction = "submit" | "resolve";

/**
 * Take one token from the bucket (tenant, subject, action) that refills at `perMinute` and holds at
 * most one minute's worth. Returns 0 when taken, else the whole seconds until one is available.
 */
export async function takeToken(query: RawQuery, bucket: { tenant: string; subject: string; action: string }, perMinute: number): Promise<number> {
  const params = [bucket.tenant, bucket.subject, bucket.action, perMinute];
  const taken = await query(TAKE_SQL, params);
  if (taken.length) return 0;
  const [row] = await query<{ wait: number }>(WAIT_SQL, params);
  return Math.max(1, Math.ceil(Number(row?.wait ?? 1)));
}

// One statement takes a token from the caller's bucket, shared by every instance through the
// database: refill for the time elapsed (capped at one minute's worth), then take one if there is one.
// A bucket that stays empty returns no row. The clock is the database's, the same for every instance.
const TAKE_SQL = `
  insert into rate_limits as r (tenant_id, subject, action, tokens, updated_at)
  values ($1, $2, $3, $4::float8 - 1, clock_timestamp())
  on conflict (tenant_id, subject, action) do update
    set tokens = least($4::float8, r.tokens + extract(epoch from clock_timestamp() - r.updated_at) * $4::float8 / 60) - 1,
        updated_at = clock_timestamp()
    where least($4::float8, r.tokens + extract(epoch from clock_timestamp() - r.updated_at) * $4::float8 / 60) >= 1
  returning r.tokens`;

// Seconds until the bucket holds one token again.
const WAIT_SQL = `
  select greatest(0, (1 - least($4::float8, tokens + extract(epoch from clock_timestamp() - updated_at) * $4::float8 / 60)) * 60 / $4::float8) as wait
  from rate_limits where tenant_id = $1 and subject = $2 and action = $3`;

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
 */
export async function takeRateLimit(ctx: Ctx, action: LimitedAction): Promise<void> {
  const limit = perMinute(ctx, action);
  if (limit === null) return;
  const wait = await takeToken(ctx.query, { tenant: ctx.principal.tenantId, subject: principalKey(ctx.principal), action }, limit);
  if (!wait) return;
  const what = action === "submit" ? "submissions" : "resolutions";
  throw new TooManyRequests(`This caller is limited to ${limit} ${what} a minute. Retry after ${wait} s.`, wait);
}
