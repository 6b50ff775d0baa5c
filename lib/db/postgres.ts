import "server-only";
import { env } from "@/lib/env";
import { MIGRATIONS, MIGRATION_LOCK, type Database, type Db } from "./client";
import { compiled } from "./raw-sql";
import { schema } from "./schema";

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

/** PostgreSQL at `url`, migrated. */
export async function openPostgres(url: string): Promise<Database> {
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
    async transaction(fn) {
      const conn = await client.reserve();
      // postgres.js sends a query when it is first awaited or executed: execute() here fixes the order
      // (BEGIN before anything fn sends; the last write before COMMIT).
      const begin = conn.unsafe("begin").execute();
      try {
        // A reserved connection carries no `options`; Drizzle reads (and has already set) the pool's parsers.
        const { result, last } = await fn(drizzle(Object.assign(conn, { options: client.options })) as unknown as Db);
        await begin;
        if (last) {
          const { sql: text, params } = compiled(last);
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
