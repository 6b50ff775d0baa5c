import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { runSql, timestamptz } from "@/lib/db/raw-sql";
import { jobs } from "@/lib/db/schema";
import type { Ctx } from "@/lib/services/context";

export const DailyQuery = z.object({ window: z.enum(["24h", "7d", "30d"]).default("7d") }).strict();
export type DailyQuery = z.infer<typeof DailyQuery>;

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const WINDOW_MS = { "24h": DAY_MS, "7d": 7 * DAY_MS, "30d": 30 * DAY_MS } as const;

/**
 * Per UTC day (or hour) of resolution: the same time-to-decision as decisions.ts (created_at →
 * resolved_at), over human decisions only, so an SLA sweep's instant "expired" never drags the
 * percentiles down. Buckets are keyed by their UTC start as text.
 */
function bucketSql(tenantId: string, since: Date, unit: "day" | "hour"): SQL {
  const format = unit === "day" ? sql.raw(`'YYYY-MM-DD'`) : sql.raw(`'YYYY-MM-DD"T"HH24:00'`);
  return sql`
  select to_char(bucket, ${format}) as bucket, decided, pct from (
    select date_trunc(${unit}, ${jobs.resolvedAt} at time zone 'UTC') as bucket,
      count(*)::int as decided,
      percentile_cont(array[0.5, 0.9, 0.99]) within group (order by date_part('epoch', ${jobs.resolvedAt} - ${jobs.createdAt})) as pct
    from ${jobs}
    where ${jobs.tenantId} = ${tenantId} and ${jobs.gated} and ${jobs.resolution} in ('approved', 'rejected')
      and ${jobs.resolvedAt} >= ${timestamptz(since)}
    group by 1) per_bucket
  order by 1`;
}

const round = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v) * 1000) / 1000);

type Row = { bucket: string; decided: number; pct: (number | string)[] | string | null };

/** Every bucket the window touches, oldest first, so a chart shows gaps as gaps rather than skipping them. */
function fill(rows: Row[], since: Date, now: Date, unit: "day" | "hour") {
  const step = unit === "day" ? DAY_MS : HOUR_MS;
  const key = (d: Date) => (unit === "day" ? d.toISOString().slice(0, 10) : d.toISOString().slice(0, 13) + ":00");
  const byKey = new Map(rows.map((r) => [r.bucket, r]));
  const out = [];
  for (let t = Math.floor(since.getTime() / step) * step; t <= now.getTime(); t += step) {
    const k = key(new Date(t));
    const row = byKey.get(k);
    // float8[] arrives parsed from PostgreSQL's driver and as text "{1,2,3}" from some others.
    const pct = typeof row?.pct === "string" ? row.pct.replace(/[{}]/g, "").split(",").map(Number) : row?.pct;
    out.push({ key: k, decided: row?.decided ?? 0, time_to_decision_sec: { p50: round(pct?.[0]), p90: round(pct?.[1]), p99: round(pct?.[2]) } });
  }
  return out;
}

/**
 * Time-to-decision percentiles per UTC day of the window; a day without decisions is listed with
 * nulls. The 24 h window also lists every UTC hour (`hours`), since one or two days say little there.
 */
export async function dailyPercentiles({ ctx, input }: { ctx: Ctx; input: DailyQuery }) {
  const since = new Date(ctx.now.getTime() - WINDOW_MS[input.window]);
  const tenantId = ctx.principal.tenantId;
  const [dayRows, hourRows] = await Promise.all([
    runSql<Row>(ctx.query, bucketSql(tenantId, since, "day")),
    input.window === "24h" ? runSql<Row>(ctx.query, bucketSql(tenantId, since, "hour")) : null,
  ]);
  const days = fill(dayRows, since, ctx.now, "day").map(({ key, ...rest }) => ({ day: key, ...rest }));
  const hours = hourRows && fill(hourRows, since, ctx.now, "hour").map(({ key, ...rest }) => ({ hour: `${key}:00Z`, ...rest }));
  return { window: input.window, since: since.toISOString(), days, ...(hours ? { hours } : {}) };
}
