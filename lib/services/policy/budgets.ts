import "server-only";
import { sql } from "drizzle-orm";
import { runSql } from "@/lib/db/raw-sql";
import { budgetUses } from "@/lib/db/schema";
import type { Ctx } from "@/lib/services/context";
import { activePolicy } from "./active";

/** The busiest scopes shown per budget; the rest are summed in `others`. */
const SHOWN = 20;

/**
 * What each budget of the active policy has spent over its sliding window now (DESIGN §2.1), per scope
 * (an agent, an on_behalf_of or the tenant), busiest first. Read from budget_uses by its window index.
 */
export async function budgetUse({ ctx }: { ctx: Ctx }) {
  const tenantId = ctx.principal.tenantId;
  const active = await activePolicy(ctx.db, tenantId);
  const budgeted = active.policy.rules.filter((r) => r.budget !== undefined);
  const compiled = budgeted.map((r) => active.compiled.byId.get(r.id)!);
  const u = budgetUses;
  const rows =
    budgeted.length === 0
      ? []
      : await runSql<{ rule_id: string; scope: string; count: number; sum: string }>(
          ctx.query,
          sql`select c.rule_id, ${u.scope} as scope, count(*)::int as count, sum(${u.amount})::text as sum
              from jsonb_to_recordset(${JSON.stringify(compiled.map((r) => ({ rule_id: r.id, since: new Date(ctx.now.getTime() - r.budget!.windowSec * 1000).toISOString() })))}::jsonb)
                   as c(rule_id text, since timestamptz)
              join ${u} on ${u.tenantId} = ${tenantId} and ${u.ruleId} = c.rule_id and ${u.createdAt} > c.since
              group by 1, 2 order by 1, 3 desc, 2`,
        );
  return {
    policy_snapshot: active.snapshotId,
    budgets: budgeted.map((r) => {
      const mine = rows.filter((row) => row.rule_id === r.id);
      return {
        rule_id: r.id,
        ...r.budget!,
        max_count: r.budget!.max_count ?? null,
        max_sum: r.budget!.max_sum ?? null,
        scopes: mine.slice(0, SHOWN).map((row) => ({
          // `agent:<requested_by>` / `on_behalf_of:<name>`: the key without its kind; the tenant has none.
          key: row.scope === "tenant" ? null : row.scope.slice(row.scope.indexOf(":") + 1),
          count: row.count,
          sum: Number(row.sum),
        })),
        others: Math.max(0, mine.length - SHOWN),
      };
    }),
  };
}
