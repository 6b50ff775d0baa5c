import "server-only";
import { getTableColumns, Placeholder, SQL, sql, type AnyColumn } from "drizzle-orm";
import type { Db } from "./client";
import { PgDialect } from "drizzle-orm/pg-core";
import type { RawQuery } from "./client";
import { jobs, type JobRow } from "./schema";

const dialect = new PgDialect();

/**
 * A time as a SQL value. Raw fragments get no column type from Drizzle, so it travels as typed ISO
 * text; a placeholder stands for ISO text filled in later (a statement built once, run many times).
 */
export const timestamptz = (d: Date | Placeholder): SQL => sql`${d instanceof Date ? d.toISOString() : d}::timestamptz`;

/** A statement's text and its parameters, as the driver takes them. */
export interface Compiled {
  sql: string;
  params: unknown[];
}

/**
 * A hand-written statement for a hot path: a Drizzle template with column references (a column rename
 * reaches it) and named placeholders (`slot`), compiled to text once, when the module loads; `params`
 * lines up each call's values by name. Run it with `ctx.query(s.sql, s.params(values))`.
 */
export function statement<K extends string>(build: (slot: (name: K) => Placeholder) => SQL): { sql: string; params(values: Record<K, unknown>): unknown[] } {
  const compiled = dialect.sqlToQuery(build((name) => sql.placeholder(name)));
  const names = compiled.params.map((p) => (p instanceof Placeholder ? (p.name as K) : null));
  const constants = compiled.params;
  return {
    sql: compiled.sql,
    params: (values) => names.map((name, i) => (name === null ? constants[i] : values[name])),
  };
}

/** A column's bare name, where PostgreSQL refuses a qualified one (INSERT column lists, UPDATE SET). */
export const bare = (column: AnyColumn): SQL => sql`${sql.identifier(column.name)}`;

/** The text and parameters of a query composed with Drizzle's `sql` fragments. */
export function sqlToQuery(fragment: SQL): { sql: string; params: unknown[] } {
  return dialect.sqlToQuery(fragment);
}

/**
 * Run a query composed with Drizzle's `sql` fragments (typed columns, safe parameters) through the
 * raw path: a named prepared statement and no per-field result mapping, for hot reads.
 */
export function runSql<T extends Record<string, unknown>>(query: RawQuery, fragment: SQL | Compiled): Promise<T[]> {
  const { sql, params } = compiled(fragment);
  return query<T>(sql, params);
}

/** A statement as text and parameters, compiling it if it is a template. */
export function compiled(q: SQL | Compiled): Compiled {
  return q instanceof SQL ? sqlToQuery(q) : q;
}

/** Run a statement (a template, or one compiled once) inside the caller's transaction. */
export async function executeIn(tx: Db, q: SQL | Compiled): Promise<void> {
  if (q instanceof SQL) await tx.execute(q);
  else await txQuery(tx)(q.sql, q.params);
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
