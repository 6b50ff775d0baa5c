import { and, arrayContains, arrayOverlaps, eq, notExists, or, sql, type SQL } from "drizzle-orm";
import { jobColumns, runSql } from "@/lib/db/raw-sql";
import { jobs, votes } from "@/lib/db/schema";
import type { Ctx } from "@/lib/services/context";
import { Invalid } from "@/lib/services/errors";
import { RENDER_FIELDS, renderJob, votesColumn, type VoteTally } from "@/lib/services/jobs/render";
import type { JobItem } from "@/lib/services/jobs/schemas";
import { at, stillPendingSql } from "@/lib/services/jobs/sql";
import type { QueueQuery } from "./schemas";

// A page reads only what rendering needs (the cursor's due_at, created_at and id are among them).
const QUEUE_COLUMNS = jobColumns(RENDER_FIELDS);

interface Cursor {
  k: "p" | "h";
  d?: string;
  c: string;
  i: string;
}

const encode = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString("base64url");

const CURSOR_ID_RE = /^[A-Za-z0-9_-]{1,128}$/;

/** An ISO timestamp between 1970 and 9999, as this listing writes them. */
function isTimestamp(v: unknown): v is string {
  if (typeof v !== "string" || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(v)) return false;
  const t = Date.parse(v);
  return Number.isFinite(t) && t >= 0;
}

function decode(raw: string, kind: Cursor["k"]): Cursor {
  try {
    const c = JSON.parse(Buffer.from(raw, "base64url").toString()) as Cursor;
    const valid = c.k === kind && isTimestamp(c.c) && typeof c.i === "string" && CURSOR_ID_RE.test(c.i) && (kind === "h" || isTimestamp(c.d));
    if (valid) return c;
  } catch {
    // fall through to the refusal below
  }
  throw new Invalid("The cursor is not one this listing handed out.", [{ path: "cursor", message: "invalid cursor" }], "invalid_cursor");
}


/** Only what this caller may still vote on (the SQL twin of `canAct`). */
function actionableFor(ctx: Ctx): SQL {
  const p = ctx.principal;
  if (p.kind !== "user" || !p.scopes.has("approvals:resolve") || p.roles.length === 0) return sql`false`;
  const escalatedNow = sql`(${jobs.escalated} or (${jobs.onTimeout} = 'escalate' and ${jobs.dueAt} <= ${at(ctx.now)}))`;
  return and(
    or(arrayOverlaps(jobs.eligibleRoles, p.roles), and(arrayOverlaps(jobs.escalateTo, p.roles), escalatedNow)),
    sql`coalesce(${jobs.onBehalfOf}, '') <> ${p.email}`,
    sql`coalesce(${jobs.submitterEmail}, '') <> ${p.email}`,
    notExists(
      ctx.db
        .select({ one: sql`1` })
        .from(votes)
        .where(and(eq(votes.jobId, jobs.id), eq(votes.userId, p.userId))),
    ),
  )!;
}

export async function listQueue({ ctx, input }: { ctx: Ctx; input: QueueQuery }) {
  const { principal, now } = ctx;
  const where: (SQL | undefined)[] = [eq(jobs.tenantId, principal.tenantId)];
  if (input.topic) where.push(eq(jobs.topic, input.topic));
  if (input.risk_tag) where.push(arrayContains(jobs.riskTags, [input.risk_tag]));
  if (input.rule_id) where.push(eq(jobs.policyRuleId, input.rule_id));

  const pending = !input.include_resolved;
  if (pending) {
    // Most urgent first: due_at, then created_at, then id as the tie-breaker the cursor needs.
    where.push(stillPendingSql(now));
    if (input.actionable) where.push(actionableFor(ctx));
    if (input.cursor) {
      const c = decode(input.cursor, "p");
      where.push(sql`(${jobs.dueAt}, ${jobs.createdAt}, ${jobs.id}) > (${at(new Date(c.d!))}, ${at(new Date(c.c))}, ${c.i})`);
    }
  } else {
    // History and pending together: every job that needed people, newest first.
    where.push(eq(jobs.gated, true));
    if (input.actionable) where.push(stillPendingSql(now), actionableFor(ctx));
    if (input.cursor) {
      const c = decode(input.cursor, "h");
      where.push(sql`(${jobs.createdAt}, ${jobs.id}) < (${at(new Date(c.c))}, ${c.i})`);
    }
  }
  // The hottest read there is: composed with Drizzle, run as a prepared statement, mapped by hand.
  const order = pending
    ? sql`${jobs.dueAt} asc, ${jobs.createdAt} asc, ${jobs.id} asc`
    : sql`${jobs.createdAt} desc, ${jobs.id} desc`;
  // Each row arrives as one JSON text (the columns and the votes): one JSON.parse instead of the
  // driver decoding thirty-odd typed columns, which dominated a page's cost.
  const raw = await runSql<{ row: string }>(
    ctx.query,
    sql`select json_build_object(${sql.raw(QUEUE_COLUMNS.jsonPairs)}, 'votes', ${votesColumn})::text as row
        from ${jobs} where ${and(...where)} order by ${order} limit ${input.limit + 1}`,
  );
  const rows = raw.map((r) => {
    const row = JSON.parse(r.row) as Record<string, unknown>;
    return { job: QUEUE_COLUMNS.fromJson(row), votes: row.votes as VoteTally[] };
  });

  const page = rows.slice(0, input.limit);
  const last = page.at(-1)?.job;
  const next_cursor =
    rows.length > input.limit && last
      ? encode(
          pending
            ? { k: "p", d: last.dueAt!.toISOString(), c: last.createdAt.toISOString(), i: last.id }
            : { k: "h", c: last.createdAt.toISOString(), i: last.id },
        )
      : null;
  const items: JobItem[] = page.map((r) => renderJob(r.job, r.votes, principal, now));
  return { items, next_cursor };
}
