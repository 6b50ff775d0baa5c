import { and, asc, eq, gte, isNotNull, sql } from "drizzle-orm";
import { expect } from "vitest";
import { getDb, type Db } from "@/lib/db/client";
import { auditEvents, auditHeads } from "@/lib/db/schema";
import { chainHash } from "@/lib/services/audit/chain";
import { sealMac, stampEvent } from "@/lib/services/audit/mac";
import { call } from "./http";
import { makeWorld, type World } from "./fixtures";

/**
 * What someone who can write to the database can do, as they would: with every trigger bypassed
 * (`session_replication_role = replica`, open to a superuser or the table owner), or with nothing but
 * INSERT on audit_events. The hash formula is public (docs/decisions.md); the app's key is not.
 */

export interface ListedEvent {
  id: number;
  seq: number;
  type: string;
  actor: string;
  job_id: string | null;
  data: Record<string, unknown>;
  created_at: string;
  hash: string;
}

export async function events(world: World): Promise<ListedEvent[]> {
  const res = await call("GET", "/api/v1/audit?limit=1000", { token: world.admin });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items;
}

export async function verify(world: World) {
  const res = await call("GET", "/api/v1/audit/verify", { token: world.admin });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as {
    ok: boolean;
    checked: number;
    head: { seq: number; hash: string } | null;
    first_broken: { seq: number; reason: string } | null;
    pending: number;
    rejected: { id: number; type: string; actor: string; created_at: string; reason: string }[];
  };
}

/** A fresh tenant with a few jobs, votes and decisions, and a clean chain. */
export async function worldWithHistory(prefix: string) {
  const world = await makeWorld(prefix);
  const oncall = await world.person(["oncall"], "oncall");
  for (let i = 0; i < 3; i++) {
    const item = await world.submit({ topic: "job.config.update", risk_tags: ["prod", "write"], payload: { i } });
    await call("POST", `/api/v1/approvals/${item.job.id}/approve`, { token: oncall.token, body: { reason: `ok ${i}` } });
  }
  const all = await events(world);
  expect(all.length).toBeGreaterThanOrEqual(10);
  expect((await verify(world)).ok).toBe(true);
  return { world, oncall, all };
}

/** Run `fn` in one transaction with every trigger off (they come back on with the transaction's end). */
export async function bypassingTriggers<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local session_replication_role = replica`);
    return fn(tx as unknown as Db);
  });
}

/** Recompute the unkeyed chain from `fromSeq` to the end, and move the head to match, as an attacker can. */
export async function recomputeChain(tx: Db, tenant: string, fromSeq: number): Promise<void> {
  const rows = await tx
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.tenantId, tenant), isNotNull(auditEvents.seq), gte(auditEvents.seq, fromSeq - 1)))
    .orderBy(asc(auditEvents.seq));
  let prev = fromSeq === 1 ? "0".repeat(64) : rows[0]!.hash!;
  let last = { seq: fromSeq - 1, hash: prev };
  for (const row of rows) {
    if (row.seq! < fromSeq) continue;
    const hash = chainHash(prev, {
      tenant_id: tenant,
      seq: row.seq!,
      type: row.type,
      actor: row.actor,
      job_id: row.jobId,
      data: row.data,
      created_at: row.createdAt,
    });
    await tx.update(auditEvents).set({ prevHash: prev, hash }).where(eq(auditEvents.id, row.id));
    prev = hash;
    last = { seq: row.seq!, hash };
  }
  await tx.update(auditHeads).set(last).where(eq(auditHeads.tenantId, tenant));
}

/** Delete the newest events down to `keepSeq` and rewind the head to it: the chain left is a valid prefix. */
export async function cutBack(tenant: string, keepSeq: number): Promise<void> {
  await bypassingTriggers(async (tx) => {
    await tx.delete(auditEvents).where(and(eq(auditEvents.tenantId, tenant), sql`${auditEvents.seq} > ${keepSeq}`));
    const [kept] = await tx.select().from(auditEvents).where(and(eq(auditEvents.tenantId, tenant), eq(auditEvents.seq, keepSeq)));
    await tx.update(auditHeads).set({ seq: keepSeq, hash: kept!.hash! }).where(eq(auditHeads.tenantId, tenant));
  });
}

const FORGER = `countersign_forger_${process.pid}`;

/** A role that may INSERT into audit_events and do nothing else (created once per run). */
export async function forgerRole(): Promise<string> {
  const db = await getDb();
  await db.execute(sql.raw(`do $$ begin create role ${FORGER} nologin; exception when duplicate_object then null; end $$`));
  await db.execute(sql.raw(`grant usage on schema public to ${FORGER}`));
  await db.execute(sql.raw(`grant insert on audit_events to ${FORGER}`));
  return FORGER;
}

export async function dropForgerRole(): Promise<void> {
  const db = await getDb();
  await db.execute(sql.raw(`drop owned by ${FORGER}`)).catch(() => {});
  await db.execute(sql.raw(`drop role if exists ${FORGER}`)).catch(() => {});
}

/** INSERT one row as the forger: plain SQL, every trigger in force. The MAC columns only if given. */
export async function insertAsForger(row: {
  tenant: string;
  type: string;
  actor: string;
  jobId: string | null;
  data: Record<string, unknown>;
  createdAt: string;
  mac?: { keyId: string | null; nonce: string | null; mac: string | null };
}): Promise<void> {
  const role = await forgerRole();
  const db = await getDb();
  const mac = row.mac ? sql`, key_id, nonce, mac` : sql``;
  const macValues = row.mac ? sql`, ${row.mac.keyId}, ${row.mac.nonce}, ${row.mac.mac}` : sql``;
  await db.transaction(async (tx) => {
    await tx.execute(sql.raw(`set local role ${role}`));
    await tx.execute(sql`
      insert into audit_events (tenant_id, type, actor, job_id, data, created_at${mac})
      values (${row.tenant}, ${row.type}, ${row.actor}, ${row.jobId}, ${JSON.stringify(row.data)}::jsonb, ${row.createdAt}${macValues})`);
  });
}

/**
 * The tenant's newest event rewritten by someone who holds the app's audit key too: a fresh MAC, the
 * chain hash and seal MAC recomputed, the head moved along (triggers bypassed). Only a checkpoint tells.
 */
export async function rewriteTailWithKey(world: World, all: ListedEvent[]): Promise<void> {
  const [last, prev] = [all.at(-1)!, all.at(-2)!];
  await bypassingTriggers(async (tx) => {
    const data = { ...last.data, rewritten: true };
    const stamp = stampEvent({ tenantId: world.tenant, type: last.type, actor: last.actor, jobId: last.job_id, data, createdAt: last.created_at });
    const hash = chainHash(prev.hash, { tenant_id: world.tenant, seq: last.seq, type: last.type, actor: last.actor, job_id: last.job_id, data: stamp.data, created_at: last.created_at });
    await tx
      .update(auditEvents)
      .set({ data: stamp.data, keyId: stamp.keyId, nonce: stamp.nonce, mac: stamp.mac, hash, sealMac: sealMac(stamp.keyId, hash) })
      .where(and(eq(auditEvents.tenantId, world.tenant), eq(auditEvents.seq, last.seq)));
    await tx.update(auditHeads).set({ hash }).where(eq(auditHeads.tenantId, world.tenant));
  });
}
