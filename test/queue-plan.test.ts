import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authenticate } from "@/lib/auth/authenticate";
import { getDatabase } from "@/lib/db/client";
import { listQueue, queuePageStatement } from "@/lib/services/approvals/list";
import { QueueQuery } from "@/lib/services/approvals/schemas";
import type { Ctx } from "@/lib/services/context";
import { contextFor, makeWorld, type World } from "./fixtures";

// A queue page is one prepared statement per shape, and it is cheap only while PostgreSQL keeps its
// generic plan: planning it costs more than running it. The cursor's values must not steer that
// choice (lib/services/approvals/list.ts, `opaque`): near the end of a long queue the plan for the
// cursor's own values looked cheaper than the generic one, and every page was planned afresh.

const JOBS = 2000;

describe("the queue's cursor statement keeps its generic plan", () => {
  let w: World;
  let sql: postgres.Sql;

  beforeAll(async () => {
    w = await makeWorld("qplan");
    const template = await w.submit({ topic: "job.config.update", risk_tags: ["prod", "write"], payload: { n: 0 } });
    expect(template.job.state).toBe("APPROVAL");
    sql = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
    // As on the app's connections (Drizzle installs the same): JSON parameters go as the text given,
    // not encoded again, so the statement below gets exactly the API's parameters.
    sql.options.serializers["114"] = sql.options.serializers["3802"] = (x: unknown) => x;
    // A long pending queue, one job due every second, copied from the submitted one (times to the
    // millisecond, as the app writes them and the cursor carries them); then fresh
    // statistics, so the planner knows where in the queue a cursor falls.
    await sql`
      insert into jobs
      select (jsonb_populate_record(null::jobs, to_jsonb(j) || jsonb_build_object(
        'id', 'job-QPLAN' || lpad(g::text, 6, '0'),
        'due_at', date_trunc('milliseconds', now()) + interval '1 hour' + g * interval '1 second',
        'expires_at', date_trunc('milliseconds', now()) + interval '1 day' + g * interval '1 second',
        'created_at', date_trunc('milliseconds', now()) - interval '1 hour' + g * interval '1 millisecond',
        'job_hash', md5(g::text) || md5(g::text)))).*
      from jobs j, generate_series(1, ${JOBS}) g
      where j.tenant_id = ${w.tenant} and j.id = ${template.job.id}`;
    await sql`analyze jobs`;
  }, 60_000);

  afterAll(async () => {
    await sql?.end();
  });

  it("a page near the end of the queue is planned once, not once per page", async () => {
    const { query } = await getDatabase();
    const now = new Date();
    const reviewer = await w.person(["oncall"], "reviewer");
    const principal = await authenticate(query, new Request("http://countersign.test/", { headers: { authorization: `Bearer ${reviewer.token}` } }), now);
    const ctx: Ctx = await contextFor(principal, now);

    // Walk the queue as a client would, to a cursor 100 jobs before its end (the template job and its
    // copies: JOBS + 1 pending).
    let cursor: string | undefined;
    for (let walked = 0; walked < JOBS - 100; ) {
      const limit = Math.min(200, JOBS - 100 - walked);
      const page = await listQueue({ ctx, input: QueueQuery.parse({ limit: String(limit), ...(cursor ? { cursor } : {}) }) });
      cursor = page.next_cursor ?? undefined;
      walked += limit;
    }
    expect(cursor).toBeDefined();
    const input = QueueQuery.parse({ cursor });
    const page = await listQueue({ ctx, input });
    expect(page.items.map((i) => i.job.id)).toEqual(
      (await sql<{ id: string }[]>`
        select id from jobs where tenant_id = ${w.tenant} and state = 'APPROVAL'
        order by due_at, created_at, id offset ${JOBS - 100} limit 50`).map((r) => r.id),
    );

    // The same statement and parameters the API sends, prepared on a connection of our own.
    const statement = queuePageStatement({ ctx, input });
    for (let i = 0; i < 10; i++) {
      const [row] = await sql.unsafe<{ page: string }[]>(statement.sql, statement.params as never[], { prepare: true });
      expect(JSON.parse(row!.page)).toEqual(page);
    }
    const [plans] = await sql<{ generic_plans: number; custom_plans: number }[]>`
      select generic_plans::int, custom_plans::int from pg_prepared_statements where statement = ${statement.sql}`;
    // PostgreSQL tries five custom plans before it weighs the generic one against them.
    expect(plans).toEqual({ generic_plans: 5, custom_plans: 5 });
  });
});
