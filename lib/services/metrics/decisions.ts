import { z } from "zod";
import type { Ctx } from "@/lib/services/context";

export const MetricsQuery = z
  .object({
    window: z.enum(["24h", "7d", "30d"]).default("7d"),
    group_by: z.enum(["overall", "rule", "topic", "approver", "tier"]).default("overall"),
  })
  .strict();
export type MetricsQuery = z.infer<typeof MetricsQuery>;

const WINDOW_MS = { "24h": 86_400_000, "7d": 7 * 86_400_000, "30d": 30 * 86_400_000 } as const;

/** The grouping key over alias `j`; `tier` is single or dual approval, after the guide's risk tiers. */
const GROUP_KEY: Record<MetricsQuery["group_by"], string> = {
  overall: `'overall'`,
  rule: `j.policy_rule_id`,
  topic: `j.topic`,
  approver: `coalesce(j.resolved_by, 'system:sla')`,
  tier: `(case when exists (select 1 from jsonb_array_elements(j.requirements) r where (r->>'count')::int >= 2)
           then 'dual_approval' else 'single_approval' end)`,
};

// A job's deadline, as jobs/state.ts deadlineOf: due_at when the rule rejects on timeout, else expires_at.
const DEADLINE = `(case when j.on_timeout = 'reject' and j.due_at < j.expires_at then j.due_at else j.expires_at end)`;

/**
 * Every decided job of the window, once: resolved ones (read from the covering jobs_metrics_idx), and
 * pending ones past a deadline that fell inside the window (EXPIRED for every reader, swept or not).
 * $1 tenant, $2 window start, $3 now.
 */
function decidedSql(key: string): string {
  return `
  select ${key} as key, j.resolution, j.resolved_reason as reason, j.created_at, j.resolved_at, j.due_at
  from jobs j
  where j.tenant_id = $1 and j.gated and j.resolution in ('approved', 'rejected', 'expired') and j.resolved_at >= $2
  union all
  select ${key}, 'expired', null, j.created_at, ${DEADLINE}, j.due_at
  from jobs j
  where j.tenant_id = $1 and j.state = 'APPROVAL' and ${DEADLINE} <= $3 and ${DEADLINE} >= $2`;
}

function groupsSql(key: string): string {
  return `
  with decided as (${decidedSql(key)})
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

function reasonsSql(key: string): string {
  return `
  select ${key} as key, j.resolved_reason as reason, count(*)::int as count
  from jobs j
  where j.tenant_id = $1 and j.gated and j.resolution = 'rejected' and j.resolved_at >= $2 and j.resolved_reason is not null
  group by 1, 2 order by 3 desc, 2`;
}

const QUEUE_SQL = `
  select count(*)::int as depth, min(j.created_at) as oldest
  from jobs j
  where j.tenant_id = $1 and j.state = 'APPROVAL' and ${DEADLINE} > $2`;

const round = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v) * 1000) / 1000);

/** Time-to-decision per group, computed in SQL over the tenant's jobs decided inside the window. */
export async function decisionMetrics({ ctx, input }: { ctx: Ctx; input: MetricsQuery }) {
  const tenantId = ctx.principal.tenantId;
  const since = new Date(ctx.now.getTime() - WINDOW_MS[input.window]);
  const key = GROUP_KEY[input.group_by];
  const window = [tenantId, since.toISOString(), ctx.now.toISOString()];

  type GroupRow = { key: string; decided: number; approved: number; rejected: number; expired: number; breached: number; pct: (number | string)[] | string | null };
  const [groups, reasons, [queue]] = await Promise.all([
    ctx.query<GroupRow>(groupsSql(key), window),
    ctx.query<{ key: string; reason: string; count: number }>(reasonsSql(key), window.slice(0, 2)),
    ctx.query<{ depth: number; oldest: Date | string | null }>(QUEUE_SQL, [tenantId, ctx.now.toISOString()]),
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
