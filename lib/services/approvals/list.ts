import { fillPlaceholders, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { getDatabase } from "@/lib/db/client";
import { sqlToQuery } from "@/lib/db/raw-sql";
import { jobs } from "@/lib/db/schema";
import type { Ctx } from "@/lib/services/context";
import { CursorId, CursorInstant, decodeCursor } from "@/lib/services/cursor";
import type { JobItem } from "@/lib/services/jobs/schemas";
import { at, escalationDueSql, lapsedSql, stillPendingSql } from "@/lib/services/jobs/sql";
import type { QueueQuery } from "./schemas";

// Written by the page's statement (json_build_object below): the last item's place in its ordering.
const PendingCursor = z.object({ k: z.literal("p"), d: CursorInstant, c: CursorInstant, i: CursorId }).strict();
const HistoryCursor = z.object({ k: z.literal("h"), c: CursorInstant, i: CursorId }).strict();
type Cursor = { d?: string; c: string; i: string };

// A page's statement is built once per shape (which filters, which ordering, whether the caller can
// vote at all) with placeholders, and only filled in per request: composing and compiling it with
// Drizzle was ~6 % of the server's time per page.
const P = {
  tenant: sql.placeholder("tenant"),
  now: sql.placeholder("now"),
  topic: sql.placeholder("topic"),
  riskTags: sql.placeholder("riskTags"),
  ruleId: sql.placeholder("ruleId"),
  cursorDue: sql.placeholder("cursorDue"),
  cursorCreated: sql.placeholder("cursorCreated"),
  cursorId: sql.placeholder("cursorId"),
  email: sql.placeholder("email"),
  voted: sql.placeholder("voted"),
  roles: sql.placeholder("roles"),
  limit: sql.placeholder("limit"),
};

// Written by PostgreSQL and kept out of the Drizzle schema (drizzle/0009_job_view.sql): each gated
// job's queue item as of its last write (JSON text after its opening brace), and the votes on it.
const VIEW = sql.raw(`"jobs"."view"`);
const TALLY = sql.raw(`"jobs"."tally"`);

/** Whether the caller is someone who could vote on anything (else `can_act` is false throughout). */
function mayVote(p: Ctx["principal"]): p is Extract<Ctx["principal"], { kind: "user" }> {
  return p.kind === "user" && p.scopes.has("approvals:resolve") && p.roles.length > 0;
}

/**
 * Whether the caller may vote on the row right now: the SQL twin of `refusalFor` answering null (the
 * job pending and not lapsed, not the caller's own request, not voted on by them, one of their roles
 * eligible at this escalation). It marks each item's `can_act` and serves `actionable`.
 */
function canActSql(voter: boolean): SQL {
  if (!voter) return sql`false`;
  const roles = sql`${P.roles}::text[]`;
  return sql`(${stillPendingSql(P.now)}
    and lower(coalesce(${jobs.onBehalfOf}, '')) <> ${P.email} and lower(coalesce(${jobs.submitterEmail}, '')) <> ${P.email}
    and not ${TALLY} @> ${P.voted}::jsonb
    and (${jobs.eligibleRoles} && ${roles}
      or (${escalationDueSql(P.now)} and exists (
        select 1 from jsonb_array_elements(${jobs.requirements}) as r(req)
        where countersign_requirement_roles(r.req, true) ?| ${roles}))))`;
}

/**
 * A row's item at `now`, as renderJob renders it for this caller. The stored view holds until the job's
 * first deadline; a row past its deadline or due to escalate (the sweeper marks both within a second)
 * is rendered afresh at `now` by the same SQL. `can_act` is the caller's own, written first.
 */
function itemSql(voter: boolean): SQL {
  return sql`case when ${canActSql(voter)} then '{"can_act" : true, ' else '{"can_act" : false, ' end
    || case when ${lapsedSql(P.now)} or ${escalationDueSql(P.now)} or ${VIEW} is null
         then substr(countersign_job_view(${jobs}, ${at(P.now)}), 2) else ${VIEW} end`;
}

/**
 * A cursor value the planner cannot see: a scalar subquery, evaluated once when the statement starts
 * (an InitPlan) and still usable as the index condition. Seen, it changes the plan's row estimate with
 * the cursor's place in the queue; near the end of the queue the estimate is small, the plan for those
 * values looks cheaper than the cached generic one, and PostgreSQL planned the statement afresh on
 * every page (measured: 840-950 µs of its CPU per page against 350-370 µs with the generic plan kept).
 */
const opaque = (value: SQL): SQL => sql`(select ${value})`;

interface Shape {
  /** How many rows the statement reads at most: a literal, see fetchBound. */
  fetch: number;
  pending: boolean;
  topic: boolean;
  riskTag: boolean;
  ruleId: boolean;
  cursor: boolean;
  actionable: boolean;
  voter: boolean;
}

/** The page's statement for one shape, with placeholders (see P). */
function pageStatement(shape: Shape): { sql: string; params: unknown[] } {
  const where: SQL[] = [sql`${jobs.tenantId} = ${P.tenant}`];
  if (shape.topic) where.push(sql`${jobs.topic} = ${P.topic}`);
  if (shape.riskTag) where.push(sql`${jobs.riskTags} @> ${P.riskTags}::text[]`);
  if (shape.ruleId) where.push(sql`${jobs.policyRuleId} = ${P.ruleId}`);
  if (shape.pending) {
    // Most urgent first: due_at, then created_at, then id as the tie-breaker the cursor needs.
    where.push(stillPendingSql(P.now));
    if (shape.cursor) where.push(sql`(${jobs.dueAt}, ${jobs.createdAt}, ${jobs.id}) > (${opaque(at(P.cursorDue))}, ${opaque(at(P.cursorCreated))}, ${opaque(sql`${P.cursorId}::text`)})`);
  } else {
    // History and pending together: every job that needed people, newest first.
    where.push(sql`${jobs.gated}`);
    if (shape.cursor) where.push(sql`(${jobs.createdAt}, ${jobs.id}) < (${opaque(at(P.cursorCreated))}, ${opaque(sql`${P.cursorId}::text`)})`);
  }
  if (shape.actionable) where.push(canActSql(shape.voter));
  const order = shape.pending
    ? sql`${jobs.dueAt} asc, ${jobs.createdAt} asc, ${jobs.id} asc`
    : sql`${jobs.createdAt} desc, ${jobs.id} desc`;
  // The cursor of the page's last item, when there is a next page (the statement reads one row more).
  const last = (col: SQL) => sql`max(${col}) filter (where p.ord = ${P.limit})`;
  const cursor = shape.pending
    ? sql`json_build_object('k', 'p', 'd', ${last(sql`countersign_iso(p.due_at)`)}, 'c', ${last(sql`countersign_iso(p.created_at)`)}, 'i', ${last(sql`p.id`)})`
    : sql`json_build_object('k', 'h', 'c', ${last(sql`countersign_iso(p.created_at)`)}, 'i', ${last(sql`p.id`)})`;
  return sqlToQuery(sql`
    select '{"items":[' || coalesce(string_agg(p.item, ',' order by p.ord) filter (where p.ord <= ${P.limit}), '')
           || '],"next_cursor":' || case when count(*) > ${P.limit} then '"' || countersign_base64url(${cursor}::text) || '"' else 'null' end || '}' as page
    from (
      select row_number() over (order by ${order}) as ord, ${jobs.id} as id, ${jobs.dueAt} as due_at,
             ${jobs.createdAt} as created_at, ${itemSql(shape.voter)} as item
      from ${jobs} where ${sql.join(where, sql` and `)} order by ${order} limit ${sql.raw(String(shape.fetch))}
    ) as p`);
}

/**
 * The statement's LIMIT, written as a literal: the page size plus one (to know there is a next page),
 * rounded up to one of three bounds. With LIMIT as a parameter PostgreSQL judged its generic plan by a
 * guessed row count and planned the statement afresh on every call (~1 ms of its time per page, more
 * than executing it); with a literal it keeps one plan. Three bounds keep the statements per shape few;
 * a page of up to 50 (the default) reads exactly what it needs, and larger ones at most twice as many.
 */
function fetchBound(limit: number): number {
  return limit <= 50 ? 51 : limit <= 100 ? 101 : 201;
}

const statements = new Map<string, { sql: string; params: unknown[] }>();

function statementFor(shape: Shape): { sql: string; params: unknown[] } {
  const key = Object.values(shape).map(Number).join(",");
  let statement = statements.get(key);
  if (!statement) statements.set(key, (statement = pageStatement(shape)));
  return statement;
}

/**
 * A page of the queue as the UTF-8 JSON the API answers (`{ items, next_cursor }`), written whole by
 * PostgreSQL (the items joined, the cursor of the last one when there is a next page) and passed
 * through as the bytes it sent: on PostgreSQL a view of postgres.js's socket buffer, not a copy
 * (PGlite's text is encoded once).
 */
export async function listQueueJson({ ctx, input }: { ctx: Ctx; input: QueueQuery }): Promise<Uint8Array<ArrayBuffer>> {
  const statement = queuePageStatement({ ctx, input });
  const [[page] = []] = await (await getDatabase()).queryBytes(statement.sql, statement.params);
  if (!page) throw new Error("The queue page's statement answered no page.");
  return page as Uint8Array<ArrayBuffer>;
}

/** The statement that writes a queue page, and its parameters for this caller and query. */
export function queuePageStatement({ ctx, input }: { ctx: Ctx; input: QueueQuery }): { sql: string; params: unknown[] } {
  const { principal, now } = ctx;
  const pending = !input.include_resolved;
  const cursor: Cursor | null = input.cursor ? decodeCursor(input.cursor, pending ? PendingCursor : HistoryCursor) : null;
  const voter = mayVote(principal);
  const statement = statementFor({
    fetch: fetchBound(input.limit),
    pending,
    topic: input.topic !== undefined,
    riskTag: input.risk_tag !== undefined,
    ruleId: input.rule_id !== undefined,
    cursor: cursor !== null,
    actionable: input.actionable,
    voter,
  });
  const params = fillPlaceholders(statement.params, {
    tenant: principal.tenantId,
    now: now.toISOString(),
    topic: input.topic,
    riskTags: input.risk_tag === undefined ? undefined : [input.risk_tag],
    ruleId: input.rule_id,
    // Cursor timestamps are re-read as dates first, as they were checked.
    cursorDue: cursor?.d && new Date(cursor.d).toISOString(),
    cursorCreated: cursor && new Date(cursor.c).toISOString(),
    cursorId: cursor?.i,
    email: voter ? principal.email.toLowerCase() : undefined,
    voted: voter ? JSON.stringify([{ userId: principal.userId }]) : undefined,
    roles: voter ? principal.roles : undefined,
    limit: input.limit,
  });
  return { sql: statement.sql, params };
}

const UTF8 = new TextDecoder();

/** A page of the queue as objects (the console's server render). */
export async function listQueue(args: { ctx: Ctx; input: QueueQuery }): Promise<{ items: JobItem[]; next_cursor: string | null }> {
  return JSON.parse(UTF8.decode(await listQueueJson(args))) as { items: JobItem[]; next_cursor: string | null };
}
