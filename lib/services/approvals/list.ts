import { and, arrayContains, arrayOverlaps, eq, sql, type SQL } from "drizzle-orm";
import { getDatabase } from "@/lib/db/client";
import { sqlToQuery } from "@/lib/db/raw-sql";
import { jobs } from "@/lib/db/schema";
import type { Ctx } from "@/lib/services/context";
import { Invalid } from "@/lib/services/errors";
import type { JobItem } from "@/lib/services/jobs/schemas";
import { at, escalationDueSql, lapsedSql, stillPendingSql } from "@/lib/services/jobs/sql";
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


/**
 * Whether this caller may vote on the row right now: the SQL twin of `refusalFor` answering null (the
 * job pending and not lapsed, not the caller's own request, not voted on by them, one of their roles
 * eligible at this escalation). It marks each item's `can_act` and serves `actionable`.
 */
function canActSql(ctx: Ctx): SQL {
  const { principal: p, now } = ctx;
  if (p.kind !== "user" || !p.scopes.has("approvals:resolve") || p.roles.length === 0) return sql`false`;
  const email = p.email.toLowerCase();
  const roles = sql`${sql.param(p.roles)}::text[]`;
  return sql`(${stillPendingSql(now)}
    and lower(coalesce(${jobs.onBehalfOf}, '')) <> ${email} and lower(coalesce(${jobs.submitterEmail}, '')) <> ${email}
    and not ${TALLY} @> ${JSON.stringify([{ userId: p.userId }])}::jsonb
    and (${arrayOverlaps(jobs.eligibleRoles, p.roles)}
      or (${escalationDueSql(now)} and exists (
        select 1 from jsonb_array_elements(${jobs.requirements}) as r(req)
        where countersign_requirement_roles(r.req, true) ?| ${roles}))))`;
}

// Written by PostgreSQL and kept out of the Drizzle schema (drizzle/0009_job_view.sql): each gated
// job's queue item as of its last write, and the votes on it.
const VIEW = sql.raw(`"jobs"."view"`);
const TALLY = sql.raw(`"jobs"."tally"`);

/**
 * A row's item at `now`, as renderJob renders it for this caller. The stored view holds until the job's
 * first deadline; a row past its deadline or due to escalate (the sweeper marks both within a second)
 * is rendered afresh at `now` by the same SQL. `can_act` is the caller's own, added last.
 */
function itemSql(ctx: Ctx): SQL {
  const stored = sql`case when ${lapsedSql(ctx.now)} or ${escalationDueSql(ctx.now)} or ${VIEW} is null
    then countersign_job_view(${jobs}, ${at(ctx.now)}) else ${VIEW} end`;
  return sql`left(${stored}, -1) || case when ${canActSql(ctx)} then ', "can_act" : true}' else ', "can_act" : false}' end`;
}

const PAGE_OPEN = Buffer.from('{"items":[');

/**
 * A page of the queue as the UTF-8 JSON the API answers (`{ items, next_cursor }`). PostgreSQL hands
 * back the page's items already joined (one text value, passed through as the bytes it sent), and
 * the cursor's fields of the last item when there is a next page.
 */
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
    if (input.cursor) {
      const c = decode(input.cursor, "p");
      where.push(sql`(${jobs.dueAt}, ${jobs.createdAt}, ${jobs.id}) > (${at(new Date(c.d!))}, ${at(new Date(c.c))}, ${c.i})`);
    }
  } else {
    // History and pending together: every job that needed people, newest first.
    where.push(eq(jobs.gated, true));
    if (input.cursor) {
      const c = decode(input.cursor, "h");
      where.push(sql`(${jobs.createdAt}, ${jobs.id}) < (${at(new Date(c.c))}, ${c.i})`);
    }
  }
  if (input.actionable) where.push(canActSql(ctx));
  const order = pending
    ? sql`${jobs.dueAt} asc, ${jobs.createdAt} asc, ${jobs.id} asc`
    : sql`${jobs.createdAt} desc, ${jobs.id} desc`;
  const last = sql`filter (where p.ord = ${input.limit})`;
  const { sql: text, params } = sqlToQuery(sql`
    select string_agg(p.item, ',' order by p.ord) filter (where p.ord <= ${input.limit}) as items,
           case when count(*) > ${input.limit} then max(countersign_iso(p.due_at)) ${last} end as due_at,
           case when count(*) > ${input.limit} then max(countersign_iso(p.created_at)) ${last} end as created_at,
           case when count(*) > ${input.limit} then max(p.id) ${last} end as id
    from (
      select row_number() over (order by ${order}) as ord, ${jobs.id} as id, ${jobs.dueAt} as due_at,
             ${jobs.createdAt} as created_at, ${itemSql(ctx)} as item
      from ${jobs} where ${and(...where)} order by ${order} limit ${input.limit + 1}
    ) as p`);
  const [[items, dueAt, createdAt, id] = []] = await (await getDatabase()).queryBytes(text, params);

  const cursor: Cursor | null = id
    ? pending
      ? { k: "p", d: dueAt!.toString(), c: createdAt!.toString(), i: id.toString() }
      : { k: "h", c: createdAt!.toString(), i: id.toString() }
    : null;
  const tail = Buffer.from(`],"next_cursor":${JSON.stringify(cursor && encode(cursor))}}`);
  // Buffer.concat allocates an ordinary (never shared) ArrayBuffer.
  return Buffer.concat(items ? [PAGE_OPEN, items, tail] : [PAGE_OPEN, tail]) as Buffer<ArrayBuffer>;
}

/** A page of the queue as objects (the console's server render). */
export async function listQueue(args: { ctx: Ctx; input: QueueQuery }): Promise<{ items: JobItem[]; next_cursor: string | null }> {
  return JSON.parse((await listQueueJson(args)).toString()) as { items: JobItem[]; next_cursor: string | null };
}
