import "server-only";
import { and, desc, eq, gte } from "drizzle-orm";
import { z } from "zod";
import { jobs } from "@/lib/db/schema";
import { compilePolicy, evaluate } from "@/lib/policy/evaluate";
import { policySnapshotId } from "@/lib/policy/snapshot";
import { actorOf, type Ctx } from "@/lib/services/context";
import { SubmitJobBody } from "@/lib/services/jobs/schemas";
import { activePolicy } from "./active";
import { parseOrThrow } from "./activate";

export const SimulateBody = z
  .object({
    yaml: z.string().min(1).max(256 * 1024),
    job: SubmitJobBody.optional(),
    days: z.number().int().min(1).max(90).optional(),
  })
  .strict()
  .refine((b) => !(b.job && b.days), { message: "give either job or days, not both" });
export type SimulateBody = z.infer<typeof SimulateBody>;

const MAX_JOBS = 20_000;
const EXAMPLES = 5;

/** What a candidate policy would decide, next to what the active one decides or decided. */
export async function simulatePolicy({ ctx, input }: { ctx: Ctx; input: SimulateBody }) {
  const tenantId = ctx.principal.tenantId;
  const candidate = parseOrThrow(input.yaml);
  const compiled = compilePolicy(candidate);
  const snapshot_id = policySnapshotId(tenantId, candidate);

  if (input.job) {
    // Evaluated as if the caller submitted it.
    const job = {
      topic: input.job.topic,
      risk_tags: [...new Set(input.job.risk_tags)].sort(),
      title: input.job.title ?? null,
      payload: input.job.payload,
      labels: input.job.labels ?? null,
      requested_by: actorOf(ctx.principal),
      on_behalf_of: input.job.on_behalf_of ?? null,
    };
    const active = await activePolicy(ctx.db, tenantId);
    const before = evaluate(active.compiled, job);
    const after = evaluate(compiled, job);
    return { snapshot_id, job: { before, after, changed: before.decision !== after.decision } };
  }

  const days = input.days ?? 7;
  const since = new Date(ctx.now.getTime() - days * 86_400_000);
  const rows = await ctx.db
    .select({
      id: jobs.id,
      topic: jobs.topic,
      riskTags: jobs.riskTags,
      title: jobs.title,
      payload: jobs.payload,
      labels: jobs.labels,
      requestedBy: jobs.requestedBy,
      onBehalfOf: jobs.onBehalfOf,
      decision: jobs.decision,
    })
    .from(jobs)
    .where(and(eq(jobs.tenantId, tenantId), gte(jobs.createdAt, since)))
    .orderBy(desc(jobs.createdAt))
    .limit(MAX_JOBS);
  const transitions = new Map<string, { from: string; to: string; count: number; examples: { job_id: string; topic: string }[] }>();
  let changed = 0;
  for (const row of rows) {
    const after = evaluate(compiled, {
      topic: row.topic,
      risk_tags: row.riskTags,
      title: row.title,
      payload: row.payload,
      labels: row.labels,
      requested_by: row.requestedBy,
      on_behalf_of: row.onBehalfOf,
    });
    const k = `${row.decision}>${after.decision}`;
    let t = transitions.get(k);
    if (!t) transitions.set(k, (t = { from: row.decision, to: after.decision, count: 0, examples: [] }));
    t.count += 1;
    if (row.decision !== after.decision) {
      changed += 1;
      if (t.examples.length < EXAMPLES) t.examples.push({ job_id: row.id, topic: row.topic });
    }
  }
  return {
    snapshot_id,
    days,
    jobs: rows.length,
    truncated: rows.length === MAX_JOBS,
    changed,
    transitions: [...transitions.values()].sort((a, b) => b.count - a.count),
  };
}
