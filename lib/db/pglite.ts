import "server-only";
import fs from "node:fs";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import { MIGRATIONS, plainTransaction, type Database, type Db } from "./client";
import { schema } from "./schema";

/** The embedded database in `dataDir`, migrated. */
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
    transaction: (fn) => plainTransaction(db as unknown as Db, fn),
    close: () => client.close(),
  };
}
