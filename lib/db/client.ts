import "server-only";
import path from "node:path";
import type { SQL } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { env } from "@/lib/env";
import { executeIn, type Compiled } from "./raw-sql";
import type { schema } from "./schema";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export type NotifyHandler = (payload: string) => void;

/**
 * Plain SQL with $n parameters, for the few hot statements where Drizzle's query building costs more
 * than the database's work. On PostgreSQL it runs as a named prepared statement (parsed and planned
 * once per connection). Rows come back with snake_case keys and parsed types (Date, jsonb, arrays).
 */
export type RawQuery = <T extends Record<string, unknown>>(text: string, params: unknown[]) => Promise<T[]>;

/**
 * RawQuery's rows as the UTF-8 bytes of each column, in select order, for text columns that are only
 * passed through (a JSON fragment PostgreSQL wrote): no decoding to a string and encoding back.
 */
export type RawBytesQuery = (text: string, params: unknown[]) => Promise<(Buffer | null)[][]>;

/**
 * Subscribe to a NOTIFY channel; resolves to an unsubscribe function. `onListen` runs each time the
 * subscription is (re)established: notifications sent while it was down are lost.
 */
export type Listen = (channel: string, handler: NotifyHandler, onListen?: () => void) => Promise<() => Promise<void>>;

/**
 * One transaction. On PostgreSQL it costs two round trips fewer: BEGIN is sent ahead of `fn`'s first
 * statements on the same connection, and COMMIT right behind `last`, the final write `fn` hands back
 * (if it fails, PostgreSQL turns that COMMIT into a rollback and the write's error is thrown). Nothing
 * is awaited in between that could let another statement in: it is one connection, in order.
 */
export type Transact = <T>(fn: (tx: Db) => Promise<{ result: T; last?: SQL | Compiled }>) => Promise<T>;

/** What work reaches the database through: a request's context carries these (tests build their own). */
export interface DbHandle {
  db: Db;
  query: RawQuery;
  queryBytes: RawBytesQuery;
  transaction: Transact;
  listen: Listen;
}

export interface Database extends DbHandle {
  kind: "postgres" | "pglite";
  close(): Promise<void>;
}

/** What `transaction` does, as an ordinary Drizzle transaction. */
export function plainTransaction<T>(db: Db, fn: (tx: Db) => Promise<{ result: T; last?: SQL | Compiled }>): Promise<T> {
  return db.transaction(async (tx) => {
    const { result, last } = await fn(tx as unknown as Db);
    if (last) await executeIn(tx as unknown as Db, last);
    return result;
  });
}

export const MIGRATIONS = path.join(process.cwd(), "drizzle");
// Any constant works; it only has to be the same in every instance of the app.
export const MIGRATION_LOCK = 0x636f756e;

/** The embedded database in `dataDir` (exported for its tests). */
export async function openPglite(dataDir: string): Promise<Database> {
  return (await import("./pglite")).openPglite(dataDir);
}

// One client per process, kept on globalThis so dev-mode module reloads do not open another.
const holder = globalThis as unknown as { __countersignDb?: Promise<Database> };

/**
 * The process's database, opened and migrated on first use. Only the edges reach for it (routes, the
 * console's pages, lib/server); services get it through their context.
 */
export function getDatabase(): Promise<Database> {
  if (!holder.__countersignDb) {
    const { DATABASE_URL, COUNTERSIGN_DATA_DIR } = env();
    const opening = DATABASE_URL ? import("./postgres").then((m) => m.openPostgres(DATABASE_URL)) : openPglite(COUNTERSIGN_DATA_DIR);
    // A failed open must not be cached: the next request tries again.
    opening.catch(() => {
      if (holder.__countersignDb === opening) holder.__countersignDb = undefined;
    });
    holder.__countersignDb = opening;
  }
  return holder.__countersignDb;
}

export async function getDb(): Promise<Db> {
  return (await getDatabase()).db;
}

export async function closeDatabase(): Promise<void> {
  const opening = holder.__countersignDb;
  holder.__countersignDb = undefined;
  // LISTEN subscriptions belong to this client; a reopened one must subscribe again.
  (globalThis as { __countersignListening?: unknown }).__countersignListening = undefined;
  if (opening) await (await opening).close();
}
