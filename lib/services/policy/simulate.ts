import "server-only";
import { and, desc, eq, gte, inArray, or } from "drizzle-orm";
import { z } from "zod";
import { jobs, type JobRow } from "@/lib/db/schema";
import { compilePolicy, evaluate } from "@/lib/policy/evaluate";
import { differences, type Difference } from "@/lib/policy/impact";
import { policySnapshotId } from "@/lib/policy/snapshot";
import { actorOf, type Ctx } from "@/lib/services/context";
import { SubmitJobBody } from "@/lib/services/jobs/schemas";
import { activePolicy } from "./active";
import { parseOrThrow } from "./activate";
import { REDECIDED_STATES, isRedecidable } from "./redecide";

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

type Example = { job_id: string; topic: string; title: string | null; state: JobRow["state"] };
/** One kind of difference (field, from, to) with how many jobs it touches, of which open, and examples. */
interface Change extends Difference {
  count: number;
  open: number;
  examples: Example[];
}

/** The job as the policy sees it (evaluation input), from a stored row. */
function asInput(row: Pick<JobRow, "topic" | "riskTags" | "title" | "payload" | "labels" | "requestedBy" | "onBehalfOf">) {
  return { topic: row.topic, risk_tags: row.riskTags, title: row.title, payload: row.payload, labels: row.labels, requested_by: row.requestedBy, on_behalf_of: row.onBehalfOf };
}

/**
 * What a candidate policy would decide, next to what the active one decides: for one job body, or for
 * the tenant's jobs of the last `days` and every open one (pending, approved and unclaimed: the jobs an
 * activation re-decides), each difference in decision, requirements, SLA, cutoff and constraints.
 */
export async function simulatePolicy({ ctx, input }: { ctx: Ctx; input: SimulateBody }) {
  const tenantId = ctx.principal.tenantId;
  const candidate = parseOrThrow(input.yaml);
  const compiled = compilePolicy(candidate);
  const snapshot_id = policySnapshotId(tenantId, candidate);
  const active = await activePolicy(ctx.db, tenantId);

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
    const before = evaluate(active.compiled, job);
    const after = evaluate(compiled, job);
    const diff = differences(before, after);
    return { snapshot_id, job: { before, after, changed: diff.length > 0, differences: diff } };
  }

  const days = input.days ?? 7;
  const since = new Date(ctx.now.getTime() - days * 86_400_000);
  const rows = await ctx.db
    .select({
      id: jobs.id,
      state: jobs.state,
      topic: jobs.topic,
      riskTags: jobs.riskTags,
      title: jobs.title,
      payload: jobs.payload,
      labels: jobs.labels,
      requestedBy: jobs.requestedBy,
      onBehalfOf: jobs.onBehalfOf,
    })
    .from(jobs)
    .where(and(eq(jobs.tenantId, tenantId), or(gte(jobs.createdAt, since), inArray(jobs.state, [...REDECIDED_STATES]))))
    .orderBy(desc(jobs.createdAt))
    .limit(MAX_JOBS);
  const same = snapshot_id === active.snapshotId;
  const transitions = new Map<string, { from: string; to: string; count: number; examples: { job_id: string; topic: string }[] }>();
  const changes = new Map<string, Change>();
  let changed = 0;
  let open = 0;
  let openChanged = 0;
  for (const row of rows) {
    const job = asInput(row);
    const before = evaluate(active.compiled, job);
    const after = same ? before : evaluate(compiled, job);
    const isOpen = isRedecidable(row);
    if (isOpen) open += 1;
    const k = `${before.decision}>${after.decision}`;
    let t = transitions.get(k);
    if (!t) transitions.set(k, (t = { from: before.decision, to: after.decision, count: 0, examples: [] }));
    t.count += 1;
    if (before.decision !== after.decision && t.examples.length < EXAMPLES) t.examples.push({ job_id: row.id, topic: row.topic });
    const diff = differences(before, after);
    if (diff.length === 0) continue;
    changed += 1;
    if (isOpen) openChanged += 1;
    for (const d of diff) {
      const key = `${d.field}|${d.from}|${d.to}`;
      let c = changes.get(key);
      if (!c) changes.set(key, (c = { ...d, count: 0, open: 0, examples: [] }));
      c.count += 1;
      if (isOpen) c.open += 1;
      // Open jobs first among the examples: they are what an activation changes now.
      const example = { job_id: row.id, topic: row.topic, title: row.title, state: row.state };
      if (c.examples.length < EXAMPLES) c.examples.push(example);
      else if (isOpen && c.examples.some((e) => !isRedecidable(e))) c.examples[c.examples.findIndex((e) => !isRedecidable(e))] = example;
    }
  }
  return {
    snapshot_id,
    active_snapshot_id: active.snapshotId,
    days,
    jobs: rows.length,
    truncated: rows.length === MAX_JOBS,
    changed,
    open: { count: open, changed: openChanged },
    changes: [...changes.values()].sort((a, b) => b.open - a.open || b.count - a.count),
    transitions: [...transitions.values()].sort((a, b) => b.count - a.count),
  };
}
