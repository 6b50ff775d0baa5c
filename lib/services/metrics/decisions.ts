import { and, eq, gte, inArray, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { jobs, votes } from "@/lib/db/schema";
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
function groupKey(by: MetricsQuery["group_by"]): SQL<string> {
  switch (by) {
    case "overall":
      return sql<string>`'overall'`;
    case "rule":
      return sql<string>`${jobs.policyRuleId}`;
    case "topic":
      return sql<string>`${jobs.topic}`;
    case "approver":
      return sql<string>`coalesce(${jobs.resolvedBy}, 'system:sla')`;
    case "tier":
      return sql<string>`case when exists (select 1 from jsonb_array_elements(${jobs.requirements}) r where (r->>'count')::int >= 2) then 'dual_approval' else 'single_approval' end`;
  }
}

const seconds = sql`extract(epoch from (${jobs.resolvedAt} - ${jobs.createdAt}))`;
const human = sql`${jobs.resolution} in ('approved', 'rejected')`;
const pct = (p: number) =>
  sql<number | null>`percentile_cont(${sql.raw(String(p))}) within group (order by ${seconds}) filter (where ${human})`.mapWith(
    (v) => (v === null ? null : Math.round(Number(v) * 1000) / 1000),
  );
const count = (cond?: SQL) =>
  (cond ? sql<number>`count(*) filter (where ${cond})` : sql<number>`count(*)`).mapWith(Number);

/** Time-to-decision per group, computed in SQL over the tenant's jobs resolved inside the window. */
export async function decisionMetrics({ ctx, input }: { ctx: Ctx; input: MetricsQuery }) {
  const tenantId = ctx.principal.tenantId;
  const since = new Date(ctx.now.getTime() - WINDOW_MS[input.window]);
  const key = groupKey(input.group_by);
  // Resolved in the window, or pending in the table but past a deadline that fell in the window:
  // such a job is EXPIRED for every reader, swept or not.
  const lapsed = and(lapsedSql(ctx.now), sql`${deadlineSql} >= ${at(since)}`);
  const inWindow = and(
    eq(jobs.tenantId, tenantId),
    eq(jobs.gated, true),
    or(and(inArray(jobs.resolution, ["approved", "rejected", "expired"]), gte(jobs.resolvedAt, since)), lapsed),
  );
  const expired = sql`(${jobs.resolution} = 'expired' or ${lapsed})`;
  const [groups, reasons, [queue]] = await Promise.all([
    ctx.db
      .select({
        key,
        decided: count(),
        approved: count(sql`${jobs.resolution} = 'approved'`),
        rejected: count(sql`${jobs.resolution} = 'rejected'`),
        expired: count(expired),
        breached: count(sql`${expired} or ${jobs.resolvedAt} > ${jobs.dueAt}`),
        p50: pct(0.5),
        p90: pct(0.9),
        p99: pct(0.99),
      })
      .from(jobs)
      .where(inWindow)
      .groupBy(sql`1`)
      .orderBy(sql`2 desc`),
    ctx.db
      .select({ key, reason: votes.reason, count: count() })
      .from(votes)
      .innerJoin(jobs, and(eq(jobs.id, votes.jobId), eq(jobs.tenantId, votes.tenantId)))
      .where(and(inWindow, eq(votes.vote, "reject"), eq(jobs.resolution, "rejected")))
      .groupBy(sql`1`, sql`2`)
      .orderBy(sql`3 desc`),
    ctx.db
      .select({
        depth: count(),
        oldest: sql<string | null>`min(${jobs.createdAt})`,
      })
      .from(jobs)
      .where(
        and(eq(jobs.tenantId, tenantId), stillPendingSql(ctx.now)),
      ),
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
    groups: groups.map((g) => ({
      key: g.key,
      decided: g.decided,
      approved: g.approved,
      rejected: g.rejected,
      expired: g.expired,
      time_to_decision_sec: { p50: g.p50, p90: g.p90, p99: g.p99 },
      sla_breaches: g.breached,
      sla_breach_rate: g.decided ? Math.round((g.breached / g.decided) * 10_000) / 10_000 : 0,
      rejection_reasons: reasonsByKey.get(g.key) ?? [],
    })),
    queue: {
      depth: queue?.depth ?? 0,
      oldest_pending_age_sec: oldest ? Math.max(0, Math.round((ctx.now.getTime() - oldest.getTime()) / 1000)) : null,
    },
  };
}
