import { getTableColumns, type SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import type { RawQuery } from "./client";
import { jobs, type JobRow } from "./schema";

const dialect = new PgDialect();

/**
 * Run a query composed with Drizzle's `sql` fragments (typed columns, safe parameters) through the
 * raw path: a named prepared statement and no per-field result mapping, for hot reads.
 */
export function runSql<T extends Record<string, unknown>>(query: RawQuery, fragment: SQL): Promise<T[]> {
  const { sql, params } = dialect.sqlToQuery(fragment);
  return query<T>(sql, params);
}

type Decode = (value: unknown) => unknown;
const asIs: Decode = (v) => v;

// Drizzle's postgres driver hands timestamps over as text for Drizzle to parse; PGlite gives Dates.
// Each column gets the decoder it needs once, instead of Drizzle's per-field checks on every row.
const JOB_FIELDS = Object.entries(getTableColumns(jobs)).map(([key, column]) => {
  const decode: Decode =
    column.columnType === "PgTimestamp" ? (v) => (typeof v === "string" ? column.mapFromDriverValue(v) : v) : asIs;
  return [key, column.name, decode] as const;
});

/** Every column of `jobs`, qualified, for raw selects that map back with `jobFromRow`. */
export const JOB_COLUMNS_SQL = JOB_FIELDS.map(([, name]) => `"jobs"."${name}"`).join(", ");

/** A raw `jobs` row (snake_case, driver-parsed types) as the typed row Drizzle would return. */
export function jobFromRow(row: Record<string, unknown>): JobRow {
  const out: Record<string, unknown> = {};
  for (const [key, name, decode] of JOB_FIELDS) out[key] = decode(row[name] ?? null);
  return out as JobRow;
}
