import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { txRows } from "@/lib/db/raw-sql";
import { SCOPES, withTransaction, type Principal } from "@/lib/services/context";
import { contextFor } from "./fixtures";

const ADMIN: Principal = { kind: "admin", tenantId: "system", scopes: new Set(SCOPES), tokenId: null };

describe("withTransaction", () => {
  it("joins the caller's transaction: an inner write rolls back with the outer one", async () => {
    const ctx = await contextFor(ADMIN);
    const key = `ctx-test-${Date.now()}`;
    const count = async () =>
      Number((await ctx.query<{ n: string }>("select count(*) as n from rate_limits where subject = $1", [key]))[0]!.n);
    const outer = withTransaction(ctx, async (tx) => {
      expect(tx.inTransaction).toBe(true);
      await withTransaction(tx, async (inner) => {
        // The same transaction: what the outer one wrote is visible here without a commit.
        expect(inner.db).toBe(tx.db);
        await inner.db.execute(sql`insert into rate_limits (tenant_id, subject, action, tokens, granted, updated_at) values ('system', ${key}, 'x', 1, 1, now())`);
      });
      expect(await txRows(tx.db, sql`select 1 from rate_limits where subject = ${key}`)).toHaveLength(1);
      expect(await tx.query("select 1 from rate_limits where subject = $1", [key])).toHaveLength(1);
      throw new Error("roll back");
    });
    await expect(outer).rejects.toThrow("roll back");
    expect(await count()).toBe(0);
  });
});
