import "server-only";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { runSql, timestamptz } from "@/lib/db/raw-sql";
import { decisions } from "@/lib/db/schema";
import type { Ctx } from "@/lib/services/context";
import { activePolicy } from "@/lib/services/policy/active";
import { DailyQuery } from "./daily";
import { WINDOW_MS } from "./decisions";

/** `window=24h|7d|30d`, as the other metrics. */
export const ShadowQuery = DailyQuery;
export type ShadowQuery = z.infer<typeof ShadowQuery>;

const EXAMPLES = 5;

export interface ShadowRuleMetrics {
  rule_id: string;
  evaluated: number;
  disagreed: number;
  examples: string[];
}

/**
 * Per shadow rule (DESIGN §2.1), over the submissions of the window: how many it matched (`evaluated`),
 * how many of those it would have decided otherwise than the live outcome (`disagreed`), and the latest
 * such jobs. Read from the decision log through its partial shadow index; the active policy's shadow
 * rules that matched nothing yet are listed with zeros.
 */
export async function shadowMetrics({ ctx, input }: { ctx: Ctx; input: ShadowQuery }) {
  const tenantId = ctx.principal.tenantId;
  const since = new Date(ctx.now.getTime() - WINDOW_MS[input.window]);
  const d = decisions;
  const rows = await runSql<{ rule_id: string; evaluated: number; disagreed: number; examples: string[] | null }>(
    ctx.query,
    sql`select e->>'id' as rule_id, count(*)::int as evaluated,
               count(*) filter (where (e->>'disagreed')::boolean)::int as disagreed,
               (array_agg(${d.jobId} order by ${d.createdAt} desc, ${d.id} desc) filter (where (e->>'disagreed')::boolean))[1:${sql.raw(String(EXAMPLES))}] as examples
        from ${d} cross join lateral jsonb_array_elements(${d.matchedRules}) e
        where ${d.tenantId} = ${tenantId} and ${d.cause} = 'submit' and ${d.matchedRules} @> '[{"shadow": true}]'
          and ${d.createdAt} >= ${timestamptz(since)} and e @> '{"shadow": true}'
        group by 1 order by 1`,
  );
  const byId = new Map<string, ShadowRuleMetrics>(rows.map((r) => [r.rule_id, { rule_id: r.rule_id, evaluated: r.evaluated, disagreed: r.disagreed, examples: r.examples ?? [] }]));
  const live = (await activePolicy(ctx.db, tenantId)).compiled.rules.filter((r) => r.shadow);
  for (const r of live) if (!byId.has(r.id)) byId.set(r.id, { rule_id: r.id, evaluated: 0, disagreed: 0, examples: [] });
  // The active policy's shadow rules first, in file order, then rules that have left it since.
  const order = new Map(live.map((r, i) => [r.id, i]));
  const rules = [...byId.values()].sort((a, b) => (order.get(a.rule_id) ?? Infinity) - (order.get(b.rule_id) ?? Infinity) || a.rule_id.localeCompare(b.rule_id));
  return { window: input.window, since: since.toISOString(), rules };
}
