import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPglite, type Database } from "@/lib/db/client";
import { tenants } from "@/lib/db/schema";

// The embedded default (no DATABASE_URL) runs PGlite in a worker thread (lib/db/pglite-remote.ts).
// The rest of the suite runs on PostgreSQL; this holds the worker's end to PGlite's semantics: one
// connection in order, transactions that commit or roll back whole, PostgreSQL's error codes, LISTEN,
// dates both ways, and a clean close that keeps what was written.

describe("the embedded database in its worker thread", () => {
  let dir: string;
  let database: Database;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "countersign-pglite-remote-"));
    database = await openPglite(path.join(dir, "db"));
  }, 60_000);

  afterAll(async () => {
    await database?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("runs the migrations and answers queries with parameters, dates and arrays", async () => {
    const [row] = await database.query<{ n: number; at: Date; tags: string[] }>(
      "select $1::int + 1 as n, $2::timestamptz as at, $3::text[] as tags",
      [41, new Date("2026-01-02T03:04:05.678Z"), ["a", "b"]],
    );
    expect(row).toEqual({ n: 42, at: new Date("2026-01-02T03:04:05.678Z"), tags: ["a", "b"] });
    // Drizzle's reads: its own date parsing on the text PGlite hands over.
    await database.db.insert(tenants).values({ id: "remote-a", name: "A" });
    const [t] = await database.db.select().from(tenants).where(sql`${tenants.id} = 'remote-a'`);
    expect(t!.createdAt).toBeInstanceOf(Date);
    expect(Math.abs(t!.createdAt.getTime() - Date.now())).toBeLessThan(60_000);
  });

  it("hands text columns over as their UTF-8 bytes, in select order (the queue page's read)", async () => {
    const rows = await database.queryBytes("select $1::text as a, null::text as b, json_build_object('s', $2::text)::text as c", ["é ✓", "ü"]);
    expect(rows).toHaveLength(1);
    const [a, b, c] = rows[0]!;
    expect(Buffer.isBuffer(a)).toBe(true);
    expect(a!.toString()).toBe("é ✓");
    expect(b).toBeNull();
    expect(JSON.parse(c!.toString())).toEqual({ s: "ü" });
  });

  it("commits a transaction whole, and rolls a failed one back whole", async () => {
    await database.db.transaction(async (tx) => {
      await tx.insert(tenants).values({ id: "remote-b", name: "B" });
      await tx.insert(tenants).values({ id: "remote-c", name: "C" });
    });
    await expect(
      database.db.transaction(async (tx) => {
        await tx.insert(tenants).values({ id: "remote-d", name: "D" });
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    await expect(
      database.db.transaction(async (tx) => {
        await tx.insert(tenants).values({ id: "remote-e", name: "E" });
        tx.rollback();
      }),
    ).rejects.toThrow();
    const ids = (await database.query<{ id: string }>("select id from tenants where id like 'remote-%' order by id", [])).map((r) => r.id);
    expect(ids).toEqual(["remote-a", "remote-b", "remote-c"]);
  });

  it("passes PostgreSQL's error codes through (a unique violation is 23505)", async () => {
    const err = await database.db.insert(tenants).values({ id: "remote-a", name: "again" }).catch((e: unknown) => e);
    const codes: unknown[] = [];
    for (let e = err as { code?: unknown; cause?: unknown } | undefined; e; e = e.cause as typeof e) codes.push(e.code);
    expect(codes).toContain("23505");
  });

  it("keeps statements outside a transaction waiting until it ends (one connection)", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const tx = database.db.transaction(async (t) => {
      await t.insert(tenants).values({ id: "remote-f", name: "F" });
      await gate;
    });
    // Asked while the transaction is open: it must run after the commit and see the row.
    const outside = database.query<{ n: number }>("select count(*)::int as n from tenants where id = 'remote-f'", []);
    await new Promise((r) => setTimeout(r, 50));
    release();
    await tx;
    expect((await outside)[0]!.n).toBe(1);
  });

  it("delivers notifications to listeners, and stops after unlisten", async () => {
    const got: string[] = [];
    const unlisten = await database.listen("remote_test", (p) => got.push(p));
    await database.query("select pg_notify('remote_test', 'one')", []);
    await expect.poll(() => got).toEqual(["one"]);
    await unlisten();
    await database.query("select pg_notify('remote_test', 'two')", []);
    await new Promise((r) => setTimeout(r, 100));
    expect(got).toEqual(["one"]);
  });

  it("answers a statement prepared before its table changed shape with the new shape", async () => {
    await database.query("create table remote_shape (a int)", []);
    await database.query("insert into remote_shape values (1)", []);
    expect(await database.query("select * from remote_shape", [])).toEqual([{ a: 1 }]);
    await database.query("alter table remote_shape add column b text default 'x'", []);
    expect(await database.query("select * from remote_shape", [])).toEqual([{ a: 1, b: "x" }]);
    expect(await database.query("select * from remote_shape", [])).toEqual([{ a: 1, b: "x" }]);
  });

  it("closes cleanly and reopens with everything that was committed", async () => {
    await database.close();
    database = await openPglite(path.join(dir, "db"));
    const ids = (await database.query<{ id: string }>("select id from tenants where id like 'remote-%' order by id", [])).map((r) => r.id);
    expect(ids).toEqual(["remote-a", "remote-b", "remote-c", "remote-f"]);
  }, 60_000);
});
