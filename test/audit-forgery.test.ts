import { and, desc, eq, isNotNull, sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { auditEvents } from "@/lib/db/schema";
import { call } from "./http";
import { bypassingTriggers, dropForgerRole, events, forgerRole, insertAsForger, recomputeChain, verify, worldWithHistory } from "./audit-tamper";

afterAll(dropForgerRole);

async function rawRow(id: number) {
  const db = await getDb();
  const [row] = await db.select().from(auditEvents).where(eq(auditEvents.id, id));
  return row!;
}

describe("someone who can write to the database, triggers bypassed, without the app's key", () => {
  it("rewrites an event and recomputes the unkeyed hashes after it: verify names that event by its MAC", async () => {
    const { world, all } = await worldWithHistory("forge-rewrite");
    const target = all.find((e) => e.type === "vote.cast")!;
    await bypassingTriggers(async (tx) => {
      await tx
        .update(auditEvents)
        .set({ actor: "user:someone-else@example.com", data: { ...target.data, reason: "never said this" } })
        .where(and(eq(auditEvents.tenantId, world.tenant), eq(auditEvents.seq, target.seq)));
      await recomputeChain(tx, world.tenant, target.seq);
    });
    const v = await verify(world);
    expect(v.ok).toBe(false);
    expect(v.first_broken).toEqual({ seq: target.seq, reason: expect.stringMatching(/MAC does not match/) });
  });

  it("removes an event from the middle, renumbers and recomputes: the seal MAC names the first event moved", async () => {
    const { world, all } = await worldWithHistory("forge-gap");
    const gone = all[4]!;
    await bypassingTriggers(async (tx) => {
      await tx.delete(auditEvents).where(eq(auditEvents.id, gone.id));
      for (const e of all.filter((x) => x.seq > gone.seq)) {
        await tx.update(auditEvents).set({ seq: e.seq - 1 }).where(eq(auditEvents.id, e.id));
      }
      await recomputeChain(tx, world.tenant, gone.seq);
    });
    const v = await verify(world);
    expect(v.ok).toBe(false);
    expect(v.first_broken).toEqual({ seq: gone.seq, reason: expect.stringMatching(/seal MAC/) });
  });

  it("swaps two events and recomputes: named", async () => {
    const { world, all } = await worldWithHistory("forge-swap");
    const [x, y] = [all[3]!, all[6]!];
    await bypassingTriggers(async (tx) => {
      await tx.update(auditEvents).set({ seq: -1 }).where(eq(auditEvents.id, x.id));
      await tx.update(auditEvents).set({ seq: x.seq }).where(eq(auditEvents.id, y.id));
      await tx.update(auditEvents).set({ seq: y.seq }).where(eq(auditEvents.id, x.id));
      await recomputeChain(tx, world.tenant, x.seq);
    });
    const v = await verify(world);
    expect(v.ok).toBe(false);
    expect(v.first_broken).toEqual({ seq: x.seq, reason: expect.stringMatching(/seal MAC/) });
  });

  it("strips the MACs off the whole chain and recomputes it: an event without a MAC is never accepted", async () => {
    const { world } = await worldWithHistory("forge-strip");
    await bypassingTriggers(async (tx) => {
      await tx
        .update(auditEvents)
        .set({ actor: "agent:nobody", keyId: null, nonce: null, mac: null, sealMac: null })
        .where(and(eq(auditEvents.tenantId, world.tenant), eq(auditEvents.type, "job.submitted")));
      await tx.update(auditEvents).set({ keyId: null, nonce: null, mac: null, sealMac: null }).where(eq(auditEvents.tenantId, world.tenant));
      await recomputeChain(tx, world.tenant, 1);
    });
    // New genuine events sealed on top do not make the stripped ones acceptable.
    await world.submit({ topic: "job.repo.read", payload: { after: "strip" } });
    const v = await verify(world);
    expect(v.ok).toBe(false);
    expect(v.first_broken).toEqual({ seq: 1, reason: "it carries no MAC" });
  });
});

describe("someone with nothing but INSERT on audit_events", () => {
  it("a back-dated forged vote.cast is never sealed: verify names it, and the chain carries on sealing genuine events", async () => {
    const { world, oncall, all } = await worldWithHistory("forge-insert");
    const job = all.find((e) => e.type === "job.submitted")!;
    const backDated = new Date(Date.parse(job.created_at) - 3_600_000).toISOString();
    await insertAsForger({
      tenant: world.tenant,
      type: "vote.cast",
      actor: `user:${oncall.email}`,
      jobId: job.job_id,
      data: { vote: "approve", reason: "forged", note: null, roles: ["oncall"], approvals: [1] },
      createdAt: backDated,
    });

    const v = await verify(world);
    expect(v.ok).toBe(false);
    // The chain itself holds: the forged row never entered it.
    expect(v.first_broken).toBeNull();
    expect(v.rejected).toEqual([
      { id: expect.any(Number), type: "vote.cast", actor: `user:${oncall.email}`, created_at: backDated, reason: "it carries no MAC" },
    ]);
    const forgedId = v.rejected[0]!.id;
    expect((await rawRow(forgedId)).hash).toBeNull();

    // The trail shows no forged vote, and records in the chain what was refused.
    const trail = await events(world);
    expect(trail.some((e) => e.id === forgedId)).toBe(false);
    expect(trail.filter((e) => e.type === "vote.cast" && e.created_at === backDated)).toEqual([]);
    const refusal = trail.find((e) => e.type === "audit.event_rejected")!;
    expect(refusal.actor).toBe("system:audit");
    expect(refusal.seq).toEqual(expect.any(Number));
    expect(refusal.data).toEqual({
      events: [{ id: forgedId, type: "vote.cast", actor: `user:${oncall.email}`, job_id: job.job_id, created_at: backDated, reason: "it carries no MAC" }],
    });

    // Genuine events after it are sealed as ever, and the chain verifies up to them.
    const later = await world.submit({ topic: "job.repo.read", payload: { after: "forgery" } });
    const after = await verify(world);
    expect(after.first_broken).toBeNull();
    expect(after.pending).toBe(0);
    expect(after.checked).toBe(v.checked + 1);
    const sealed = (await events(world)).find((e) => e.job_id === later.job.id)!;
    expect(sealed.seq).toBe(after.head!.seq);
  });

  it("a made-up MAC, or a genuine event's MAC on other content, is refused; a genuine event cannot be inserted twice", async () => {
    const { world, all } = await worldWithHistory("forge-mac");
    const genuine = await rawRow(all.find((e) => e.type === "vote.cast")!.id);
    const base = { tenant: world.tenant, type: genuine.type, actor: genuine.actor, jobId: genuine.jobId, createdAt: genuine.createdAt };

    await insertAsForger({ ...base, data: genuine.data, mac: { keyId: genuine.keyId, nonce: "forged-nonce-1", mac: "0".repeat(64) } });
    await insertAsForger({ ...base, data: { ...genuine.data, vote: "reject" }, mac: { keyId: genuine.keyId, nonce: "forged-nonce-2", mac: genuine.mac } });
    await insertAsForger({ ...base, data: genuine.data, mac: { keyId: "0123456789abcdef", nonce: "forged-nonce-3", mac: genuine.mac } });
    // A replay, byte for byte: its nonce is taken.
    await expect(insertAsForger({ ...base, data: genuine.data, mac: { keyId: genuine.keyId, nonce: genuine.nonce, mac: genuine.mac } })).rejects.toThrow();

    const v = await verify(world);
    expect(v.first_broken).toBeNull();
    expect(v.rejected.map((r) => r.reason)).toEqual([
      "its MAC does not match what it says (forged, or changed after it was written)",
      "its MAC does not match what it says (forged, or changed after it was written)",
      "its MAC was made with key 0123456789abcdef, which is not this installation's audit key",
    ]);
  });

  it("thousands of forged rows do not stall the tenant's chain", async () => {
    const { world } = await worldWithHistory("forge-flood");
    const role = await forgerRole();
    const db = await getDb();
    await db.transaction(async (tx) => {
      await tx.execute(sql.raw(`set local role ${role}`));
      await tx.execute(sql`
        insert into audit_events (tenant_id, type, actor, data, created_at)
        select ${world.tenant}, 'job.approved', 'user:forger@example.com', jsonb_build_object('n', n), '2020-01-01T00:00:00.000Z'
        from generate_series(1, 2500) as n`);
    });
    const job = await world.submit({ topic: "job.repo.read", payload: { after: "flood" } });
    const v = await verify(world);
    expect(v.first_broken).toBeNull();
    expect(v.pending).toBe(0);
    expect(v.rejected).toHaveLength(100);
    const trail = await events(world);
    expect(trail.find((e) => e.job_id === job.job.id)!.seq).toEqual(expect.any(Number));
    const recorded = trail.filter((e) => e.type === "audit.event_rejected").flatMap((e) => e.data.events as unknown[]);
    expect(recorded).toHaveLength(2500);
  });

  it("cannot insert an event already sealed or already rejected; a rejected row is never sealed afterwards", async () => {
    const { world } = await worldWithHistory("forge-guard");
    const db = await getDb();
    const insert = (cols: string, vals: ReturnType<typeof sql>) =>
      db.execute(sql`insert into audit_events (tenant_id, type, actor, data, created_at, ${sql.raw(cols)}) values (${world.tenant}, 'x', 'x', '{}'::jsonb, 'x', ${vals})`);
    // What the database answered (Drizzle wraps it).
    const refusal = (p: Promise<unknown>) => p.then(() => "accepted", (e: Error & { cause?: Error }) => e.cause?.message ?? e.message);
    expect(await refusal(insert("rejected", sql`'no'`))).toMatch(/inserted unsealed/);
    expect(await refusal(insert("seal_mac", sql`${"0".repeat(64)}`))).toMatch(/inserted unsealed/);

    await insertAsForger({ tenant: world.tenant, type: "job.approved", actor: "x", jobId: null, data: {}, createdAt: "2020-01-01T00:00:00.000Z" });
    const [forged] = (await verify(world)).rejected;
    const zeros = "0".repeat(64);
    expect(
      await refusal(db.execute(sql`update audit_events set rejected = null, seq = 999, prev_hash = ${zeros}, hash = ${zeros}, seal_mac = ${zeros} where id = ${forged!.id}`)),
    ).toMatch(/append-only/);
    expect(await refusal(db.execute(sql`update audit_events set rejected = 'other reason' where id = ${forged!.id}`))).toMatch(/append-only/);
  });
});

describe("instances sharing a database share the key", () => {
  it("a server whose key did not make this database's newest sealed events is told so at start", async () => {
    const { auditKeyMismatch } = await import("@/lib/services/audit/key-check");
    const { world } = await worldWithHistory("forge-key");
    const db = await getDb();
    expect(await auditKeyMismatch(db)).toBeNull();
    const [newest] = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.tenantId, world.tenant), isNotNull(auditEvents.hash)))
      .orderBy(desc(auditEvents.id))
      .limit(1);
    await bypassingTriggers((tx) => tx.update(auditEvents).set({ keyId: "0123456789abcdef" }).where(eq(auditEvents.id, newest!.id)));
    try {
      expect(await auditKeyMismatch(db)).toMatch(/COUNTERSIGN_AUDIT_KEY is not the key .* \(key 0123456789abcdef; this server has [0-9a-f]{16}\)/);
    } finally {
      await bypassingTriggers((tx) => tx.update(auditEvents).set({ keyId: newest!.keyId }).where(eq(auditEvents.id, newest!.id)));
    }
  });

  it("the audit route answers through the real handler with the new fields", async () => {
    const { world } = await worldWithHistory("forge-shape");
    const res = await call("GET", "/api/v1/audit/verify", { token: world.admin });
    expect(res.body).toMatchObject({ ok: true, first_broken: null, pending: 0, rejected: [] });
  });
});
