import fs from "node:fs";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import type { SQL } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { env } from "@/lib/env";
import { sqlToQuery } from "./raw-sql";
import { schema } from "./schema";

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

export interface Database {
  db: Db;
  kind: "postgres" | "pglite";
  query: RawQuery;
  queryBytes: RawBytesQuery;
  /**
   * Subscribe to a NOTIFY channel; resolves to an unsubscribe function. `onListen` runs each time the
   * subscription is (re)established: notifications sent while it was down are lost.
   */
  listen(channel: string, handler: NotifyHandler, onListen?: () => void): Promise<() => Promise<void>>;
  /**
   * One transaction in two round trips fewer: BEGIN is sent ahead of `fn`'s first statements on the same
   * connection, and COMMIT right behind `last`, the final write `fn` hands back (if it fails, PostgreSQL
   * turns that COMMIT into a rollback and the write's error is thrown). Nothing is awaited in between
   * that could let another statement in: it is one connection, in order.
   */
  pipelinedTransaction<T>(fn: (tx: Db) => Promise<{ result: T; last?: SQL }>): Promise<T>;
  close(): Promise<void>;
}

/** What `pipelinedTransaction` does, as an ordinary Drizzle transaction. */
export function plainTransaction<T>(db: Db, fn: (tx: Db) => Promise<{ result: T; last?: SQL }>): Promise<T> {
  return db.transaction(async (tx) => {
    const { result, last } = await fn(tx as unknown as Db);
    if (last) await tx.execute(last);
    return result;
  });
}

const MIGRATIONS = path.join(process.cwd(), "drizzle");
// Any constant works; it only has to be the same in every instance of the app.
const MIGRATION_LOCK = 0x636f756e;

/**
 * Drizzle runs each query it builds as an unnamed statement, which PostgreSQL parses and plans on
 * every call (measured here: ~0.3 ms of a ~0.5 ms query). Mark them prepared instead: the driver then
 * keeps one named statement per distinct SQL text per connection. Our queries are parameterised, so
 * the set of texts is small and bounded. If Drizzle's internals change, this silently does nothing.
 */
function prepareByDefault(session: { prototype: object }): void {
  const proto = session.prototype as { prepareQuery?: (...args: unknown[]) => { prepare?: boolean } };
  const original = proto.prepareQuery;
  if (typeof original !== "function" || (original as { prepared?: boolean }).prepared) return;
  const patched = function (this: unknown, ...args: unknown[]) {
    const query = original.apply(this, args);
    query.prepare = true;
    return query;
  };
  (patched as { prepared?: boolean }).prepared = true;
  proto.prepareQuery = patched;
}

async function openPostgres(url: string): Promise<Database> {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  prepareByDefault((await import("drizzle-orm/postgres-js/session")).PostgresJsSession);
  const { migrate } = await import("drizzle-orm/postgres-js/migrator");

  // Several instances may start together: one migrates while the others wait on the lock.
  const migrator = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await migrator`select pg_advisory_lock(${MIGRATION_LOCK})`;
    await migrate(drizzle(migrator), { migrationsFolder: MIGRATIONS });
    await migrator`select pg_advisory_unlock(${MIGRATION_LOCK})`;
  } finally {
    await migrator.end();
  }

  const client = postgres(url, {
    max: env().COUNTERSIGN_DB_POOL,
    onnotice: () => {},
    // Session settings for an OLTP app: JIT compilation costs more than it saves on our short queries
    // (measured: 137 ms of JIT on a 1.5 s metrics query); sorts for percentiles should stay in memory.
    connection: { jit: "off", work_mem: "32MB" },
  });
  const db = drizzle(client, { schema }) as unknown as Db;
  return {
    db,
    kind: "postgres",
    query: async <T extends Record<string, unknown>>(text: string, params: unknown[]) =>
      (await client.unsafe(text, params as never[], { prepare: true })) as unknown as T[],
    // raw(): each value is a view of the bytes the server sent (null stays null).
    queryBytes: async (text, params) => (await client.unsafe(text, params as never[], { prepare: true }).raw()) as unknown as (Buffer | null)[][],
    async listen(channel, handler, onListen) {
      const sub = await client.listen(channel, handler, onListen);
      return () => sub.unlisten();
    },
    async pipelinedTransaction(fn) {
      const conn = await client.reserve();
      // postgres.js sends a query when it is first awaited or executed: execute() here fixes the order
      // (BEGIN before anything fn sends; the last write before COMMIT).
      const begin = conn.unsafe("begin").execute();
      try {
        // A reserved connection carries no `options`; Drizzle reads (and has already set) the pool's parsers.
        const { result, last } = await fn(drizzle(Object.assign(conn, { options: client.options })) as unknown as Db);
        await begin;
        if (last) {
          const { sql: text, params } = sqlToQuery(last);
          const write = conn.unsafe(text, params as never[], { prepare: true }).execute();
          const commit = conn.unsafe("commit").execute();
          await Promise.all([write, commit]);
        } else {
          await conn.unsafe("commit");
        }
        return result;
      } catch (err) {
        await begin.catch(() => {});
        await conn.unsafe("rollback").catch(() => {});
        throw err;
      } finally {
        conn.release();
      }
    },
    close: () => client.end({ timeout: 5 }),
  };
}

/** The embedded database in `dataDir` (exported for its tests). */
export async function openPglite(dataDir: string): Promise<Database> {
  const { drizzle } = await import("drizzle-orm/pglite");
  const { migrate } = await import("drizzle-orm/pglite/migrator");
  const { RemotePGlite } = await import("./pglite-remote");

  // PGlite does not create parent folders itself.
  fs.mkdirSync(path.dirname(path.resolve(dataDir)), { recursive: true });
  // In a thread of its own: see lib/db/pglite-remote.ts.
  const client = await RemotePGlite.create(dataDir);
  const db = drizzle(client as unknown as PGlite, { schema });
  await migrate(db, { migrationsFolder: MIGRATIONS });
  return {
    db: db as unknown as Db,
    kind: "pglite",
    query: async <T extends Record<string, unknown>>(text: string, params: unknown[]) =>
      (await client.query<T>(text, params)).rows,
    queryBytes: async (text, params) =>
      (await client.query<unknown[]>(text, params, { rowMode: "array" })).rows.map((row) =>
        row.map((v) => (v === null ? null : Buffer.from(String(v)))),
      ),
    async listen(channel, handler, onListen) {
      const unlisten = await client.listen(channel, handler);
      onListen?.();
      return unlisten;
    },
    // The worker is a message away, not a network away: an ordinary transaction.
    pipelinedTransaction: (fn) => plainTransaction(db as unknown as Db, fn),
    close: () => client.close(),
  };
}

// One client per process, kept on globalThis so dev-mode module reloads do not open another.
const holder = globalThis as unknown as { __countersignDb?: Promise<Database> };

export function getDatabase(): Promise<Database> {
  if (!holder.__countersignDb) {
    const { DATABASE_URL, COUNTERSIGN_DATA_DIR } = env();
    const opening = (DATABASE_URL ? openPostgres(DATABASE_URL) : openPglite(COUNTERSIGN_DATA_DIR)).then(
      async (database) => {
        const { bootstrap } = await import("@/lib/services/provisioning/bootstrap");
        await bootstrap(database.db);
        return database;
      },
    );
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
