import { and, arrayContains, arrayOverlaps, eq, notExists, or, sql, type SQL } from "drizzle-orm";
import { getDatabase } from "@/lib/db/client";
import { sqlToQuery } from "@/lib/db/raw-sql";
import { jobs, votes, type JobState } from "@/lib/db/schema";
import type { Requirement } from "@/lib/policy/types";
import type { Ctx } from "@/lib/services/context";
import { Invalid } from "@/lib/services/errors";
import { refusalFor, renderRequirements, votesColumn, type VoteTally } from "@/lib/services/jobs/render";
import type { JobItem } from "@/lib/services/jobs/schemas";
import { at, deadlineSql, escalatedSql, isoSql, lapsedSql, stillPendingSql } from "@/lib/services/jobs/sql";
import { EXPIRED_VIEW } from "@/lib/services/jobs/state";
import type { QueueQuery } from "./schemas";

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


/** Only what this caller may still vote on (the SQL twin of `refusalFor` answering null). */
function actionableFor(ctx: Ctx): SQL {
  const p = ctx.principal;
  if (p.kind !== "user" || !p.scopes.has("approvals:resolve") || p.roles.length === 0) return sql`false`;
  return and(
    or(arrayOverlaps(jobs.eligibleRoles, p.roles), and(arrayOverlaps(jobs.escalateTo, p.roles), escalatedSql(ctx.now))),
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

// A page is rendered in two halves and spliced as bytes (the queue is the hottest read there is, and
// parsing, re-shaping and re-serialising every row was most of its cost):
// - PostgreSQL writes what the row alone decides, already in the item's shape: most of the bytes;
// - TypeScript renders what depends on the clock, the votes and the caller (state, requirements, SLA,
//   can_act) with the same rules as `renderJob`, from a small per-row JSON.
// The clock's two questions (lapsed? escalated?) are answered in SQL by the twins of `isLapsed` and
// `isEscalated`; test/queue-render.test.ts holds every item equal to what `renderJob` answers for it.
const JOB_PART = sql`json_build_object(
  'id', ${jobs.id}, 'topic', ${jobs.topic}, 'risk_tags', ${jobs.riskTags}, 'title', ${jobs.title},
  'description', ${jobs.description}, 'labels', coalesce(${jobs.labels}, '{}'::jsonb), 'payload', ${jobs.payload},
  'requested_by', ${jobs.requestedBy}, 'on_behalf_of', ${jobs.onBehalfOf}, 'callback_url', ${jobs.callbackUrl})::text`;
const ITEM_PART = sql`json_build_object(
  'decision', upper(${jobs.decision}), 'policy_snapshot', ${jobs.policySnapshot}, 'policy_rule_id', ${jobs.policyRuleId},
  'policy_reason', ${jobs.policyReason}, 'job_hash', ${jobs.jobHash}, 'approval_required', ${jobs.decision} = 'require_approval',
  'decision_summary', ${jobs.summary}, 'resolved_comment', ${jobs.resolvedComment}, 'constraints', ${jobs.constraints},
  'matched_rules', ${jobs.matchedRules})::text`;
const livePart = (now: Date) => sql`json_build_object(
  'state', ${jobs.state}, 'lapsed', ${lapsedSql(now)}, 'escalated', ${escalatedSql(now)},
  'deadline', case when ${lapsedSql(now)} then ${isoSql(deadlineSql)} end, 'due_at', ${isoSql(jobs.dueAt)}, 'expires_at', ${isoSql(jobs.expiresAt)},
  'created_at', ${isoSql(jobs.createdAt)}, 'updated_at', ${isoSql(jobs.updatedAt)}, 'requirements', ${jobs.requirements},
  'on_behalf_of', ${jobs.onBehalfOf}, 'submitter_email', ${jobs.submitterEmail}, 'resolution', ${jobs.resolution},
  'resolved_by', ${jobs.resolvedBy}, 'resolved_at', ${isoSql(jobs.resolvedAt)}, 'votes', ${votesColumn})::text`;

/** What a row's item depends on beyond the row itself, timestamps already as ISO text. */
interface Live {
  id: string;
  state: JobState;
  lapsed: boolean;
  escalated: boolean;
  deadline: string | null; // only when lapsed
  due_at: string | null;
  expires_at: string | null;
  created_at: string;
  updated_at: string;
  requirements: Requirement[];
  on_behalf_of: string | null;
  submitter_email: string | null;
  resolution: JobItem["resolution"];
  resolved_by: string | null;
  resolved_at: string | null;
  votes: VoteTally[];
}

const ITEM_OPEN = Buffer.from('{"job":');
const COMMA = Buffer.from(",");

/**
 * One item as UTF-8 JSON, in pieces: the row's own parts from SQL (passed through as the bytes
 * PostgreSQL wrote, `{…}` each) and the live part rendered here.
 */
function itemChunks(jobPart: Buffer, itemPart: Buffer, live: Live, principal: Ctx["principal"]): Buffer[] {
  // A lapsed job is EXPIRED for every reader, as `currentView` shows it (swept or not), from its deadline.
  const lapsed = live.lapsed ? EXPIRED_VIEW : null;
  const state = lapsed?.state ?? live.state;
  const resolvedBy = lapsed ? lapsed.resolvedBy : live.resolved_by;
  const facts = { state, resolvedBy, onBehalfOf: live.on_behalf_of, submitterEmail: live.submitter_email, requirements: live.requirements, escalated: live.escalated };
  const jobTail = JSON.stringify({ created_at: live.created_at, state, updated_at: lapsed ? live.deadline : live.updated_at });
  const tail = JSON.stringify({
    requirements: renderRequirements(live.requirements, live.votes, live.escalated),
    sla: { due_at: live.due_at, expires_at: live.expires_at, escalated: live.escalated },
    can_act: refusalFor(facts, live.votes, principal) === null,
    resolution: lapsed?.resolution ?? live.resolution,
    resolved_by: resolvedBy,
    resolved_at: lapsed ? live.deadline : live.resolved_at,
  });
  // {"job":{…job part…,"created_at":…,"state":…,"updated_at":…},…item part…,"requirements":…}
  return [
    ITEM_OPEN,
    jobPart.subarray(0, -1),
    Buffer.from(`,${jobTail.slice(1)},`),
    itemPart.subarray(1, -1),
    Buffer.from(`,${tail.slice(1)}`),
  ];
}

/**
 * The page's rows as [id, job part, item part, live part], each the bytes of a text column, read
 * through the database every context's `query` comes from (lib/api/route.ts, lib/auth/viewer.ts).
 */
async function pageRows(fragment: SQL): Promise<Buffer[][]> {
  const { sql: text, params } = sqlToQuery(fragment);
  return (await (await getDatabase()).queryBytes(text, params)) as Buffer[][];
}

const PAGE_OPEN = Buffer.from('{"items":[');

/** A page of the queue as the UTF-8 JSON the API answers (`{ items, next_cursor }`). */
export async function listQueueJson({ ctx, input }: { ctx: Ctx; input: QueueQuery }): Promise<Buffer<ArrayBuffer>> {
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
  const order = pending
    ? sql`${jobs.dueAt} asc, ${jobs.createdAt} asc, ${jobs.id} asc`
    : sql`${jobs.createdAt} desc, ${jobs.id} desc`;
  const rows = await pageRows(
    sql`select ${jobs.id} as id, ${JOB_PART} as job, ${ITEM_PART} as item, ${livePart(now)} as live
        from ${jobs} where ${and(...where)} order by ${order} limit ${input.limit + 1}`,
  );

  // One Buffer for the whole page: the SQL-written parts are copied once, never decoded.
  const chunks: Buffer[] = [PAGE_OPEN];
  let last: Live | undefined;
  const count = Math.min(rows.length, input.limit);
  for (let i = 0; i < count; i++) {
    const [id, job, item, live] = rows[i]!;
    last = { ...(JSON.parse(live!.toString()) as Omit<Live, "id">), id: id!.toString() };
    if (i > 0) chunks.push(COMMA);
    chunks.push(...itemChunks(job!, item!, last, principal));
  }
  const next_cursor =
    rows.length > input.limit && last
      ? encode(pending ? { k: "p", d: last.due_at!, c: last.created_at, i: last.id } : { k: "h", c: last.created_at, i: last.id })
      : null;
  chunks.push(Buffer.from(`],"next_cursor":${JSON.stringify(next_cursor)}}`));
  // Buffer.concat allocates an ordinary (never shared) ArrayBuffer.
  return Buffer.concat(chunks) as Buffer<ArrayBuffer>;
}

/** A page of the queue as objects (the console's server render). */
export async function listQueue(args: { ctx: Ctx; input: QueueQuery }): Promise<{ items: JobItem[]; next_cursor: string | null }> {
  return JSON.parse((await listQueueJson(args)).toString()) as { items: JobItem[]; next_cursor: string | null };
}
