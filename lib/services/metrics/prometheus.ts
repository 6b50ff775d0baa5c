import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { Counter, Gauge, Registry } from "prom-client";
import { runSql, timestamptz } from "@/lib/db/raw-sql";
import { deliveries, deliveryAttempts, jobs, votes } from "@/lib/db/schema";
import type { Ctx } from "@/lib/services/context";
import { isLapsedSql, isStillPendingSql } from "@/lib/services/jobs/state-sql";

/**
 * Prometheus metrics for the caller's tenant, read from the database at scrape time: every app
 * instance shares the database, so any instance answers the same. A fresh registry per scrape holds
 * nothing between scrapes. The `_total` families are counts of rows that are never deleted (nor move
 * out of what they count), so they only grow, as Prometheus counters must.
 */

/** Upper bounds of the time-to-decision buckets, in seconds: 30s, 1m, 5m, 15m, 30m, 1h, 4h, 8h, 24h. */
export const DECISION_BUCKETS = [30, 60, 300, 900, 1800, 3600, 14_400, 28_800, 86_400] as const;

/** Every outcome a decided job can have, always exposed (zero included) so series never vanish. */
const OUTCOMES = ["approved", "rejected", "expired", "cancelled", "allow", "allow_with_constraints", "deny"] as const;
const VOTES = ["approve", "reject"] as const;
const DELIVERY_KINDS = ["callback", "notification"] as const;

/** Pending and approvable jobs per policy rule (index-only on jobs_deadline_idx, which INCLUDEs the rule). */
function queueSql(tenantId: string, now: Date): SQL {
  return sql`
  select ${jobs.policyRuleId} as rule, count(*)::int as depth
  from ${jobs} where ${jobs.tenantId} = ${tenantId} and ${isStillPendingSql(now)}
  group by 1`;
}

/**
 * One pass over the tenant's jobs: each decided job once under its outcome (people's resolution; a
 * lapsed deadline is `expired` for every reader, swept or not; otherwise the policy's own decision),
 * and how many were escalated (marked, or past due_at with `on_timeout: escalate`, which every reader
 * already sees as escalated and which a sweep or a write marks, or expires, without un-counting it).
 */
function outcomesSql(tenantId: string, now: Date): SQL {
  return sql`
  select
    case
      when ${jobs.resolution} is not null then ${jobs.resolution}
      when ${isLapsedSql(now)} then 'expired'
      when ${jobs.state} = 'APPROVAL' then null
      else ${jobs.decision}
    end as outcome,
    count(*)::int as jobs,
    count(*) filter (where ${jobs.escalated} or (${jobs.onTimeout} = 'escalate' and ${jobs.dueAt} <= ${timestamptz(now)}
      and ${jobs.state} in ('APPROVAL', 'EXPIRED')))::int as escalated
  from ${jobs} where ${jobs.tenantId} = ${tenantId}
  group by 1`;
}

/**
 * Time-to-decision of people's decisions as cumulative bucket counts, sum and count: an index-only
 * scan of jobs_metrics_idx (its predicate, gated and resolved, covers created_at and resolution).
 */
function decisionTimesSql(tenantId: string): SQL {
  const buckets = sql.join(
    DECISION_BUCKETS.map((le, i) => sql`count(*) filter (where secs <= ${le})::int as ${sql.identifier(`le_${i}`)}`),
    sql`, `,
  );
  return sql`
  with decided as (
    select date_part('epoch', ${jobs.resolvedAt} - ${jobs.createdAt}) as secs
    from ${jobs}
    where ${jobs.tenantId} = ${tenantId} and ${jobs.gated} and ${jobs.resolution} in ('approved', 'rejected')
      and ${jobs.resolvedAt} is not null
  )
  select ${buckets}, count(*)::int as count, coalesce(sum(secs), 0)::float8 as sum from decided`;
}

function votesSql(tenantId: string): SQL {
  return sql`select ${votes.vote} as vote, count(*)::int as count from ${votes} where ${votes.tenantId} = ${tenantId} group by 1`;
}

/**
 * Webhook trouble per kind: deliveries that gave up (a gauge: an admin's redeliver puts one back to
 * pending) and failed attempts (a counter: attempt rows are never changed). The attempts are reached
 * through the tenant's deliveries (deliveries_tenant_idx, then delivery_attempts_delivery_idx).
 */
function deliveriesSql(tenantId: string): SQL {
  return sql`
  select ${deliveries.kind} as kind, 'failed' as what, count(*)::int as count
  from ${deliveries} where ${deliveries.tenantId} = ${tenantId} and ${deliveries.state} = 'failed'
  group by 1
  union all
  select ${deliveries.kind}, 'attempt_error', count(*)::int
  from ${deliveryAttempts} join ${deliveries} on ${deliveries.id} = ${deliveryAttempts.deliveryId}
  where ${deliveries.tenantId} = ${tenantId} and ${deliveryAttempts.tenantId} = ${tenantId}
    and ${deliveryAttempts.error} is not null
  group by 1`;
}

type OutcomeRow = { outcome: string | null; jobs: number; escalated: number };
type TimesRow = Record<string, number> & { count: number; sum: number };

/** The tenant's metrics in the Prometheus text format, with the content type to serve them under. */
export async function prometheusMetrics({ ctx }: { ctx: Ctx }): Promise<{ contentType: string; text: string }> {
  const tenant = ctx.principal.tenantId;
  const [queue, outcomes, [times], voteRows, deliveryRows] = await Promise.all([
    runSql<{ rule: string; depth: number }>(ctx.query, queueSql(tenant, ctx.now)),
    runSql<OutcomeRow>(ctx.query, outcomesSql(tenant, ctx.now)),
    runSql<TimesRow>(ctx.query, decisionTimesSql(tenant)),
    runSql<{ vote: string; count: number }>(ctx.query, votesSql(tenant)),
    runSql<{ kind: string; what: "failed" | "attempt_error"; count: number }>(ctx.query, deliveriesSql(tenant)),
  ]);

  const registry = new Registry();
  const registers = [registry];

  const depth = new Gauge({
    name: "countersign_queue_depth",
    help: "Jobs waiting for people and still approvable, per policy rule.",
    labelNames: ["tenant", "rule"] as const,
    registers,
  });
  for (const q of queue) depth.set({ tenant, rule: q.rule }, q.depth);

  const decided = new Counter({
    name: "countersign_decisions_total",
    help: "Decided jobs by outcome: people's resolution (approved, rejected, expired, cancelled) or the policy's own decision (allow, allow_with_constraints, deny).",
    labelNames: ["tenant", "outcome"] as const,
    registers,
  });
  const byOutcome = new Map<string, number>();
  for (const o of outcomes) if (o.outcome !== null) byOutcome.set(o.outcome, (byOutcome.get(o.outcome) ?? 0) + Number(o.jobs));
  for (const outcome of new Set<string>([...OUTCOMES, ...byOutcome.keys()])) {
    decided.inc({ tenant, outcome }, byOutcome.get(outcome) ?? 0);
  }

  const voteCounter = new Counter({
    name: "countersign_votes_total",
    help: "Votes cast by people.",
    labelNames: ["tenant", "vote"] as const,
    registers,
  });
  const byVote = new Map(voteRows.map((v) => [v.vote, Number(v.count)]));
  for (const vote of new Set<string>([...VOTES, ...byVote.keys()])) voteCounter.inc({ tenant, vote }, byVote.get(vote) ?? 0);

  new Counter({
    name: "countersign_expiries_total",
    help: "Jobs whose deadline passed without a decision (swept or not).",
    labelNames: ["tenant"] as const,
    registers,
  }).inc({ tenant }, byOutcome.get("expired") ?? 0);

  new Counter({
    name: "countersign_escalations_total",
    help: "Jobs escalated to their escalate_to roles after missing the SLA.",
    labelNames: ["tenant"] as const,
    registers,
  }).inc({ tenant }, outcomes.reduce((n, o) => n + Number(o.escalated), 0));

  const failedDeliveries = new Gauge({
    name: "countersign_callback_failures",
    help: "Webhook deliveries that gave up after their retry window (redelivering one puts it back to pending).",
    labelNames: ["tenant", "kind"] as const,
    registers,
  });
  const attemptErrors = new Counter({
    name: "countersign_callback_attempt_errors_total",
    help: "Webhook delivery attempts that failed (network error or non-2xx answer).",
    labelNames: ["tenant", "kind"] as const,
    registers,
  });
  const count = (kind: string, what: string) =>
    deliveryRows.filter((d) => d.kind === kind && d.what === what).reduce((n, d) => n + Number(d.count), 0);
  for (const kind of new Set<string>([...DELIVERY_KINDS, ...deliveryRows.map((d) => d.kind)])) {
    failedDeliveries.set({ tenant, kind }, count(kind, "failed"));
    attemptErrors.inc({ tenant, kind }, count(kind, "attempt_error"));
  }

  const text = (await registry.metrics()) + "\n" + histogramText(tenant, times);
  return { contentType: registry.contentType, text };
}

/**
 * prom-client's Histogram only learns from `observe()`, so the aggregate read from SQL is written out
 * here in the exposition format: cumulative `_bucket{le}` lines ending with `+Inf`, then `_sum` and `_count`.
 */
function histogramText(tenant: string, times: TimesRow | undefined): string {
  const name = "countersign_time_to_decision_seconds";
  const total = Number(times?.count ?? 0);
  const label = (le: string) => `{tenant="${escapeLabel(tenant)}",le="${le}"}`;
  return [
    `# HELP ${name} Seconds from submission to people's decision (approved or rejected).`,
    `# TYPE ${name} histogram`,
    ...DECISION_BUCKETS.map((le, i) => `${name}_bucket${label(String(le))} ${Number(times?.[`le_${i}`] ?? 0)}`),
    `${name}_bucket${label("+Inf")} ${total}`,
    `${name}_sum{tenant="${escapeLabel(tenant)}"} ${Number(times?.sum ?? 0)}`,
    `${name}_count{tenant="${escapeLabel(tenant)}"} ${total}`,
    "",
  ].join("\n");
}

const escapeLabel = (v: string) => v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
