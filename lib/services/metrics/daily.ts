import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { runSql, timestamptz } from "@/lib/db/raw-sql";
import { jobs } from "@/lib/db/schema";
import type { Ctx } from "@/lib/services/context";

export const DailyQuery = z.object({ window: z.enum(["24h", "7d", "30d"]).default("7d") }).strict();
export type DailyQuery = z.infer<typeof DailyQuery>;

const DAY_MS = 86_400_000;
const WINDOW_MS = { "24h": DAY_MS, "7d": 7 * DAY_MS, "30d": 30 * DAY_MS } as const;

/**
 * Per UTC day of resolution: the same time-to-decision as decisions.ts (created_at → resolved_at), over
 * human decisions only, so an SLA sweep's instant "expired" never drags the percentiles down.
 */
function dailySql(tenantId: string, since: Date): SQL {
  return sql`
  select to_char(day, 'YYYY-MM-DD') as day, decided, pct from (
    select (${jobs.resolvedAt} at time zone 'UTC')::date as day,
      count(*)::int as decided,
      percentile_cont(array[0.5, 0.9, 0.99]) within group (order by date_part('epoch', ${jobs.resolvedAt} - ${jobs.createdAt})) as pct
    from ${jobs}
    where ${jobs.tenantId} = ${tenantId} and ${jobs.gated} and ${jobs.resolution} in ('approved', 'rejected')
      and ${jobs.resolvedAt} >= ${timestamptz(since)}
    group by 1) per_day
  order by 1`;
}

const round = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v) * 1000) / 1000);
const utcDay = (d: Date) => d.toISOString().slice(0, 10);

/** Time-to-decision percentiles per UTC day of the window; a day without decisions is listed with nulls. */
export async function dailyPercentiles({ ctx, input }: { ctx: Ctx; input: DailyQuery }) {
  const since = new Date(ctx.now.getTime() - WINDOW_MS[input.window]);
  type Row = { day: string; decided: number; pct: (number | string)[] | string | null };
  const rows = await runSql<Row>(ctx.query, dailySql(ctx.principal.tenantId, since));
  const byDay = new Map(rows.map((r) => [r.day, r]));

  const days = [];
  // Every day the window touches, oldest first, so a chart shows gaps as gaps rather than skipping them.
  for (let t = Date.parse(`${utcDay(since)}T00:00:00Z`); t <= ctx.now.getTime(); t += DAY_MS) {
    const day = utcDay(new Date(t));
    const row = byDay.get(day);
    // float8[] arrives parsed from PostgreSQL's driver and as text "{1,2,3}" from some others.
    const pct = typeof row?.pct === "string" ? row.pct.replace(/[{}]/g, "").split(",").map(Number) : row?.pct;
    days.push({ day, decided: row?.decided ?? 0, time_to_decision_sec: { p50: round(pct?.[0]), p90: round(pct?.[1]), p99: round(pct?.[2]) } });
  }
  return { window: input.window, since: since.toISOString(), days };
}
