import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { sealTenant } from "@/lib/services/audit/seal";
import { makeWorld } from "./fixtures";
import { call } from "./http";

const PROD_WRITE = { topic: "job.config.update", risk_tags: ["prod", "write"] };

async function rows(tenant: string) {
  const db = await getDb();
  const result = await db.execute(sql`select seq, hash, prev_hash from audit_events where tenant_id = ${tenant} order by seq nulls last`);
  return (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { seq: string | number | null; hash: string | null; prev_hash: string | null }[];
}

describe("sealing the audit chain after commit", () => {
  it("events are written unsealed and sealed later into one contiguous chain, even by racing sealers", async () => {
    const w = await makeWorld("seal");
    await Promise.all(Array.from({ length: 30 }, (_, i) => w.submit({ ...PROD_WRITE, payload: { i } })));
    const before = await rows(w.tenant);
    expect(before.some((r) => r.hash === null)).toBe(true);

    const db = await getDb();
    const sealed = await Promise.all([1, 2, 3, 4].map(() => sealTenant(db, w.tenant, { skipLocked: false })));
    const after = await rows(w.tenant);
    expect(after.every((r) => r.hash !== null)).toBe(true);
    expect(sealed.reduce((a, b) => a + b, 0)).toBe(before.filter((r) => r.hash === null).length);
    expect(after.map((r) => Number(r.seq))).toEqual(after.map((_, i) => i + 1));
    for (let i = 1; i < after.length; i++) expect(after[i]!.prev_hash).toBe(after[i - 1]!.hash);

    const verify = await call("GET", "/api/v1/audit/verify", { token: w.admin });
    expect(verify.body).toMatchObject({ ok: true, checked: after.length, pending: 0 });
  });

  it("the trigger lets an event be sealed once and never rewritten", async () => {
    const w = await makeWorld("sealonce");
    await w.submit({ ...PROD_WRITE, payload: {} });
    const db = await getDb();
    // An unsealed event's content cannot change either.
    await expect(db.execute(sql`update audit_events set actor = 'forged' where tenant_id = ${w.tenant} and hash is null`)).rejects.toThrow();
    await sealTenant(db, w.tenant);
    await expect(
      db.execute(sql`update audit_events set hash = repeat('0', 64), prev_hash = repeat('0', 64), seq = seq where tenant_id = ${w.tenant}`),
    ).rejects.toThrow();
    await expect(db.execute(sql`delete from audit_events where tenant_id = ${w.tenant}`)).rejects.toThrow();
  });

  it("events cannot be inserted pre-sealed, and a chain head only moves forward", async () => {
    const w = await makeWorld("sealguard");
    await w.submit({ ...PROD_WRITE, payload: {} });
    const db = await getDb();
    await sealTenant(db, w.tenant);
    await expect(
      db.execute(
        sql`insert into audit_events (tenant_id, type, actor, data, created_at, seq, prev_hash, hash)
            values (${w.tenant}, 'forged', 'x', '{}'::jsonb, '2026-01-01T00:00:00.000Z', 999, repeat('0', 64), repeat('0', 64))`,
      ),
    ).rejects.toThrow();
    await expect(db.execute(sql`update audit_heads set seq = 0 where tenant_id = ${w.tenant}`)).rejects.toThrow();
    await expect(db.execute(sql`delete from audit_heads where tenant_id = ${w.tenant}`)).rejects.toThrow();
    const verify = await call("GET", "/api/v1/audit/verify", { token: w.admin });
    expect(verify.body.ok).toBe(true);
  });
});
