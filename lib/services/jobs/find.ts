import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { jobRowColumns, txRows } from "@/lib/db/raw-sql";
import type { Db } from "@/lib/db/client";
import { jobs, jobsTally, tenants, type JobRow } from "@/lib/db/schema";
import { NotFound } from "@/lib/services/errors";
import { votesColumn, type VoteTally } from "./render";

/** A job of the caller's tenant with its votes; another tenant's id is exactly as unknown as a made-up one. */
export async function findJob(db: Db, tenantId: string, id: string): Promise<{ job: JobRow; votes: VoteTally[] }> {
  const [row] = await db
    .select({ job: jobs, votes: votesColumn })
    .from(jobs)
    .where(and(eq(jobs.tenantId, tenantId), eq(jobs.id, id)));
  if (!row) throw new NotFound("job");
  return row;
}

/** A job's votes as its tally holds them, inside the caller's transaction (see votesColumn). */
export async function tallyOf(tx: Db, tenantId: string, id: string): Promise<VoteTally[]> {
  const [row] = await txRows<{ tally: VoteTally[] }>(tx, sql`select ${jobsTally} as tally from ${jobs} where ${jobs.tenantId} = ${tenantId} and ${jobs.id} = ${id}`);
  return row?.tally ?? [];
}

/**
 * The job row-locked until the caller's transaction ends, after the tenant row (key share), with its
 * votes: every state change starts here.
 *
 * The statements are sent together (pipelined: one round trip) but PostgreSQL runs them one after
 * another, so the lock order holds. The votes are the locked row's own tally: a row lock that waited
 * for another transaction returns the row as that one left it, so a vote just cast is in it.
 * `alongside` joins the same pipeline, after the lock (a vote reads its voter's row there).
 */
export async function lockJob<P>(
  tx: Db,
  tenantId: string,
  id: string,
  alongside?: (tx: Db) => Promise<P>,
): Promise<{ job: JobRow; votes: VoteTally[]; extra: P | undefined }> {
  // Plain statements (prepared once per connection), not the query builder: this runs on every vote,
  // claim, completion and cancel.
  const [, [row], extra] = await Promise.all([
    txRows(tx, sql`select ${tenants.id} from ${tenants} where ${tenants.id} = ${tenantId} for key share`),
    txRows(tx, sql`select ${sql.raw(jobRowColumns.sql)}, ${jobsTally} as tally from ${jobs} where ${jobs.tenantId} = ${tenantId} and ${jobs.id} = ${id} for update`),
    alongside?.(tx),
  ]);
  if (!row) throw new NotFound("job");
  return { job: jobRowColumns.fromRow(row), votes: row.tally as VoteTally[], extra };
}
