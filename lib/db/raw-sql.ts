import { getTableColumns, sql, type SQL } from "drizzle-orm";
import type { Db } from "./client";
import { PgDialect } from "drizzle-orm/pg-core";
import type { RawQuery } from "./client";
import { jobs, type JobRow } from "./schema";

const dialect = new PgDialect();

/** The text and parameters of a query composed with Drizzle's `sql` fragments. */
export function sqlToQuery(fragment: SQL): { sql: string; params: unknown[] } {
  return dialect.sqlToQuery(fragment);
}

/**
 * Run a query composed with Drizzle's `sql` fragments (typed columns, safe parameters) through the
 * raw path: a named prepared statement and no per-field result mapping, for hot reads.
 */
export function runSql<T extends Record<string, unknown>>(query: RawQuery, fragment: SQL): Promise<T[]> {
  const { sql, params } = sqlToQuery(fragment);
  return query<T>(sql, params);
}

/**
 * Rows of a statement run inside a transaction, as the driver parsed them (snake_case keys). For hot
 * paths where Drizzle's query builder costs more than the statement (its per-column checks showed up in
 * the profile of a vote). postgres-js answers an array, PGlite `{ rows }`.
 */
export async function txRows<T extends Record<string, unknown>>(tx: Db, fragment: SQL): Promise<T[]> {
  const res = (await tx.execute(fragment)) as unknown;
  return (Array.isArray(res) ? res : (res as { rows: T[] }).rows) as T[];
}

/**
 * A RawQuery that runs in the caller's transaction: the same `$n` statement text, its parameters bound
 * through Drizzle on `tx`. The text must not hold `$<digits>` anywhere but its parameters.
 */
export function txQuery(tx: Db): RawQuery {
  return <T extends Record<string, unknown>>(text: string, params: unknown[]) => {
    let parts = splitParams.get(text);
    if (!parts) splitParams.set(text, (parts = text.split(/(\$\d+)/)));
    return txRows<T>(tx, sql.join(parts.map((part, i) => (i % 2 ? sql.param(params[Number(part.slice(1)) - 1]) : sql.raw(part)))));
  };
}
// Statement texts are constants of the code, so this stays as small as the set of them.
const splitParams = new Map<string, string[]>();

type Decode = (value: unknown) => unknown;
const asIs: Decode = (v) => v;

// Drizzle's postgres driver hands timestamps over as text for Drizzle to parse; PGlite gives Dates.
// Each column gets the decoder it needs once, instead of Drizzle's per-field checks on every row.
const JOB_FIELDS = Object.entries(getTableColumns(jobs)).map(([key, column]) => {
  const decode: Decode =
    column.columnType === "PgTimestamp" ? (v) => (typeof v === "string" ? column.mapFromDriverValue(v) : v) : asIs;
  return [key, column.name, decode] as const;
});

/**
 * Raw-select support for a whole `jobs` row: the qualified column list and the mapping of a row
 * (snake_case, driver-parsed types) back to the typed fields Drizzle would return.
 */
export const jobRowColumns = {
  sql: JOB_FIELDS.map(([, name]) => `"jobs"."${name}"`).join(", "),
  fromRow(row: Record<string, unknown>): JobRow {
    const out: Record<string, unknown> = {};
    for (const [key, name, decode] of JOB_FIELDS) out[key] = decode(row[name] ?? null);
    return out as JobRow;
  },
};
