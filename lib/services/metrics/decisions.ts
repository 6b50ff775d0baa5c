import { sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { runSql } from "@/lib/db/raw-sql";
import { jobs } from "@/lib/db/schema";
import type { Ctx } from "@/lib/services/context";
import { at, deadlineSql, lapsedSql, stillPendingSql } from "@/lib/services/jobs/sql";

export const MetricsQuery = z
  .object({
    window: z.enum(["24h", "7d", "30d"]).default("7d"),
    group_by: z.enum(["overall", "rule", "topic", "approver", "tier"]).default("overall"),
  })
  .strict();
export type MetricsQuery = z.infer<typeof MetricsQuery>;

const WINDOW_MS = { "24h": 86_400_000, "7d": 7 * 86_400_000, "30d": 30 * 86_400_000 } as const;

/** The grouping key; `tier` is single or dual approval, after the guide's risk tiers. */
const GROUP_KEY: Record<MetricsQuery["group_by"], SQL> = {
  overall: sql`'overall'`,
  rule: sql`${jobs.policyRuleId}`,
  topic: sql`${jobs.topic}`,
  approver: sql`coalesce(${jobs.resolvedBy}, 'system:sla')`,
  tier: sql`(case when exists (select 1 from jsonb_array_elements(${jobs.requirements}) r where (r->>'count')::int >= 2)
              then 'dual_approval' else 'single_approval' end)`,
};

/**
 * Every decided job of the window, once: resolved ones (read from the covering jobs_metrics_idx), and
 * pending ones past a deadline that fell inside the window (EXPIRED for every reader, swept or not).
 */
function decidedSql(key: SQL, tenantId: string, since: Date, now: Date): SQL {
  return sql`
  select ${key} as key, ${jobs.resolution} as resolution, ${jobs.createdAt} as created_at,
         ${jobs.resolvedAt} as resolved_at, ${jobs.dueAt} as due_at
  from ${jobs}
  where ${jobs.tenantId} = ${tenantId} and ${jobs.gated} and ${jobs.resolution} in ('approved', 'rejected', 'expired')
    and ${jobs.resolvedAt} >= ${at(since)}
  union all
  select ${key}, 'expired', ${jobs.createdAt}, ${deadlineSql}, ${jobs.dueAt}
  from ${jobs}
  where ${jobs.tenantId} = ${tenantId} and ${lapsedSql(now)} and ${deadlineSql} >= ${at(since)}`;
}

function groupsSql(key: SQL, tenantId: string, since: Date, now: Date): SQL {
  return sql`
  with decided as (${decidedSql(key, tenantId, since, now)})
  select key,
    count(*)::int as decided,
    count(*) filter (where resolution = 'approved')::int as approved,
    count(*) filter (where resolution = 'rejected')::int as rejected,
    count(*) filter (where resolution = 'expired')::int as expired,
    count(*) filter (where resolution = 'expired' or resolved_at > due_at)::int as breached,
    -- one sort for all three percentiles; human decisions only
    percentile_cont(array[0.5, 0.9, 0.99]) within group (order by extract(epoch from resolved_at - created_at))
      filter (where resolution in ('approved', 'rejected')) as pct
  from decided group by key order by decided desc, key`;
}

function reasonsSql(key: SQL, tenantId: string, since: Date): SQL {
  return sql`
  select ${key} as key, ${jobs.resolvedReason} as reason, count(*)::int as count
  from ${jobs}
  where ${jobs.tenantId} = ${tenantId} and ${jobs.gated} and ${jobs.resolution} = 'rejected'
    and ${jobs.resolvedAt} >= ${at(since)} and ${jobs.resolvedReason} is not null
  group by 1, 2 order by 3 desc, 2`;
}

function queueSql(tenantId: string, now: Date): SQL {
  return sql`
  select count(*)::int as depth, min(${jobs.createdAt}) as oldest
  from ${jobs} where ${jobs.tenantId} = ${tenantId} and ${stillPendingSql(now)}`;
}

const round = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v) * 1000) / 1000);

/** Time-to-decision per group, computed in SQL over the tenant's jobs decided inside the window. */
export async function decisionMetrics({ ctx, input }: { ctx: Ctx; input: MetricsQuery }) {
  const tenantId = ctx.principal.tenantId;
  const since = new Date(ctx.now.getTime() - WINDOW_MS[input.window]);
  const key = GROUP_KEY[input.group_by];

  type GroupRow = { key: string; decided: number; approved: number; rejected: number; expired: number; breached: number; pct: (number | string)[] | string | null };
  const [groups, reasons, [queue]] = await Promise.all([
    runSql<GroupRow>(ctx.query, groupsSql(key, tenantId, since, ctx.now)),
    runSql<{ key: string; reason: string; count: number }>(ctx.query, reasonsSql(key, tenantId, since)),
    runSql<{ depth: number; oldest: Date | string | null }>(ctx.query, queueSql(tenantId, ctx.now)),
  ]);

  const reasonsByKey = new Map<string, { reason: string; count: number }[]>();
  for (const r of reasons) {
    const list = reasonsByKey.get(r.key) ?? [];
    list.push({ reason: r.reason, count: r.count });
    reasonsByKey.set(r.key, list);
  }
  const oldest = queue?.oldest ? new Date(queue.oldest) : null;
  return {
    window: input.window,
    group_by: input.group_by,
    since: since.toISOString(),
    groups: groups.map((g) => {
      // float8[] arrives parsed from PostgreSQL's driver and as text "{1,2,3}" from some others.
      const pct = typeof g.pct === "string" ? g.pct.replace(/[{}]/g, "").split(",").map(Number) : g.pct;
      return {
        key: g.key,
        decided: g.decided,
        approved: g.approved,
        rejected: g.rejected,
        expired: g.expired,
        time_to_decision_sec: { p50: round(pct?.[0]), p90: round(pct?.[1]), p99: round(pct?.[2]) },
        sla_breaches: g.breached,
        sla_breach_rate: g.decided ? Math.round((g.breached / g.decided) * 10_000) / 10_000 : 0,
        rejection_reasons: reasonsByKey.get(g.key) ?? [],
      };
    }),
    queue: {
      depth: queue?.depth ?? 0,
      oldest_pending_age_sec: oldest ? Math.max(0, Math.round((ctx.now.getTime() - oldest.getTime()) / 1000)) : null,
    },
  };
}
