import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { call } from "./http";
import { makeWorld, type World } from "./fixtures";

let w: World;

beforeAll(async () => {
  w = await makeWorld("audit");
});

const PROD_WRITE = { topic: "job.config.update", risk_tags: ["prod", "write"] };

interface Event {
  seq: number;
  type: string;
  actor: string;
  job_id: string | null;
  data: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

async function events(world: World, query = ""): Promise<Event[]> {
  const res = await call("GET", `/api/v1/audit?limit=1000${query}`, { token: world.admin });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items;
}

async function verify(world: World) {
  const res = await call("GET", "/api/v1/audit/verify", { token: world.admin });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { ok: boolean; checked: number; first_broken: { seq: number; reason: string } | null };
}

/** Run raw SQL with the append-only trigger off, in one transaction that turns it back on before commit. */
async function tamper(fn: (tx: { execute: (q: ReturnType<typeof sql>) => Promise<unknown> }) => Promise<unknown>) {
  const db = await getDb();
  await db.transaction(async (tx) => {
    await tx.execute(sql`alter table audit_events disable trigger audit_events_append_only`);
    try {
      await fn(tx);
    } finally {
      await tx.execute(sql`alter table audit_events enable trigger audit_events_append_only`);
    }
  });
}

/** A fresh tenant with a handful of events of its own, and a clean chain. */
async function worldWithHistory(prefix: string) {
  const world = await makeWorld(prefix);
  const oncall = await world.person(["oncall"], "oncall");
  for (let i = 0; i < 3; i++) {
    const item = await world.submit({ ...PROD_WRITE, payload: { i } });
    await call("POST", `/api/v1/approvals/${item.job.id}/approve`, { token: oncall.token, body: { reason: `ok ${i}` } });
  }
  const all = await events(world);
  expect(all.length).toBeGreaterThanOrEqual(10);
  expect((await verify(world)).ok).toBe(true);
  return { world, all };
}

describe("every state change writes an audit event", () => {
  it("submit → approve → claim → complete", async () => {
    const oncall = await w.person(["oncall"], "oncall");
    const item = await w.submit({ ...PROD_WRITE, payload: { change: "x" } });
    expect((await events(w, `&job_id=${item.job.id}`)).map((e) => e.type)).toEqual(["job.submitted"]);

    const approve = await call("POST", `/api/v1/approvals/${item.job.id}/approve`, { token: oncall.token, body: { reason: "ship it" } });
    expect(approve.status).toBe(200);
    const claim = await call("POST", `/api/v1/jobs/${item.job.id}/claim`, { token: w.agent, body: { job_hash: item.job_hash } });
    expect(claim.status).toBe(200);
    const done = await call("POST", `/api/v1/jobs/${item.job.id}/complete`, { token: w.agent, body: { outcome: "succeeded" } });
    expect(done.status).toBe(200);

    const trail = await events(w, `&job_id=${item.job.id}`);
    expect(trail.map((e) => e.type)).toEqual(["job.submitted", "vote.cast", "job.approved", "job.claimed", "job.completed"]);
    expect(trail.map((e) => e.actor)).toEqual([
      "agent:deploy-bot",
      `user:${oncall.email}`,
      `user:${oncall.email}`,
      "agent:deploy-bot",
      "agent:deploy-bot",
    ]);
    expect(trail[0]!.data).toMatchObject({ topic: "job.config.update", job_hash: item.job_hash, policy_snapshot: item.policy_snapshot });
    expect(trail[3]!.data).toMatchObject({ job_hash: item.job_hash });
    expect(trail[4]!.data).toMatchObject({ outcome: "succeeded" });
    // Chain order: each event links to the one before it in the tenant's chain.
    for (let i = 1; i < trail.length; i++) expect(trail[i]!.seq).toBeGreaterThan(trail[i - 1]!.seq);
  });

  it("reject, cancel, and provisioning changes are audited too; refused requests are not", async () => {
    const oncall = await w.person(["oncall"], "rejector");
    const r = await w.submit({ ...PROD_WRITE, payload: { change: "reject-me" } });
    await call("POST", `/api/v1/approvals/${r.job.id}/reject`, { token: oncall.token, body: { reason: "too risky" } });
    expect((await events(w, `&job_id=${r.job.id}`)).map((e) => e.type)).toEqual(["job.submitted", "vote.cast", "job.rejected"]);

    const c = await w.submit({ ...PROD_WRITE, payload: { change: "cancel-me" } });
    await call("POST", `/api/v1/jobs/${c.job.id}/cancel`, { token: w.agent, body: { reason: "changed my mind" } });
    expect((await events(w, `&job_id=${c.job.id}`)).map((e) => e.type)).toEqual(["job.submitted", "job.cancelled"]);

    const before = (await events(w)).length;
    // Refused: wrong hash claim, double cancel, bad vote.
    await call("POST", `/api/v1/jobs/${c.job.id}/cancel`, { token: w.agent, body: {} });
    await call("POST", `/api/v1/approvals/${r.job.id}/approve`, { token: oncall.token, body: { reason: "again" } });
    await call("POST", "/api/v1/jobs", { token: w.agent, body: { topic: "BAD", payload: {} } });
    expect((await events(w)).length).toBe(before);

    const types = new Set((await events(w)).map((e) => e.type));
    for (const t of ["tenant.created", "policy.activated", "user.created", "token.created"]) expect(types).toContain(t);
  });

  it("the audit list needs audit:read", async () => {
    const res = await call("GET", "/api/v1/audit", { token: w.agent });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe("insufficient_scope");
    expect((await call("GET", "/api/v1/audit/verify", { token: w.agent })).status).toBe(403);
  });

  it("pages with a cursor in chain order", async () => {
    const all = await events(w);
    const first = await call("GET", "/api/v1/audit?limit=3", { token: w.admin });
    expect(first.body.items).toHaveLength(3);
    expect(first.body.next_cursor).toBeTruthy();
    const second = await call("GET", `/api/v1/audit?limit=3&cursor=${first.body.next_cursor}`, { token: w.admin });
    expect([...first.body.items, ...second.body.items].map((e: Event) => e.seq)).toEqual(all.slice(0, 6).map((e) => e.seq));
  });
});

describe("GET /audit/verify", () => {
  it("a clean chain is ok and checked > 0", async () => {
    const v = await verify(w);
    expect(v.ok).toBe(true);
    expect(v.checked).toBeGreaterThan(0);
    expect(v.checked).toBe((await events(w)).length);
    expect(v.first_broken).toBeNull();
  });

  it("concurrent writers do not fork the chain", async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => w.submit({ topic: "job.repo.read", payload: { burst: i } })));
    const all = await events(w);
    expect(all.map((e) => e.seq)).toEqual(all.map((_, i) => i + 1));
    for (let i = 1; i < all.length; i++) expect(all[i]!.prev_hash).toBe(all[i - 1]!.hash);
    const v = await verify(w);
    expect(v.ok).toBe(true);
    expect(v.checked).toBe(all.length);
  });
});

describe("the append-only trigger", () => {
  it("refuses UPDATE and DELETE on audit_events", async () => {
    const db = await getDb();
    const before = await events(w);
    const failure = async (q: ReturnType<typeof sql>) => {
      try {
        await db.execute(q);
      } catch (e) {
        const err = e as Error & { cause?: Error };
        return `${err.message} ${err.cause?.message ?? ""}`;
      }
      return null;
    };
    expect(await failure(sql`update audit_events set actor = 'x' where tenant_id = ${w.tenant}`)).toMatch(/append-only/);
    expect(await failure(sql`delete from audit_events where tenant_id = ${w.tenant}`)).toMatch(/append-only/);
    expect(await failure(sql`delete from audit_events where tenant_id = ${w.tenant} and seq = 1`)).toMatch(/append-only/);
    expect(await events(w)).toEqual(before);
    expect((await verify(w)).ok).toBe(true);
  });
});

describe("tampering behind the app's back is found", () => {
  it("a changed event's data", async () => {
    const { world, all } = await worldWithHistory("tamper-data");
    const target = all.find((e) => e.type === "job.submitted")!;
    await tamper((tx) =>
      tx.execute(sql`update audit_events set data = jsonb_set(data, '{topic}', '"job.repo.read"') where tenant_id = ${world.tenant} and seq = ${target.seq}`),
    );
    const v = await verify(world);
    expect(v.ok).toBe(false);
    expect(v.first_broken!.seq).toBe(target.seq);
  });

  it("a changed event's actor", async () => {
    const { world, all } = await worldWithHistory("tamper-actor");
    const target = all.find((e) => e.type === "vote.cast")!;
    await tamper((tx) => tx.execute(sql`update audit_events set actor = 'user:someone-else@example.com' where tenant_id = ${world.tenant} and seq = ${target.seq}`));
    const v = await verify(world);
    expect(v.ok).toBe(false);
    expect(v.first_broken!.seq).toBe(target.seq);
  });

  it("a changed event whose hash was recomputed too still breaks the next link", async () => {
    const { world, all } = await worldWithHistory("tamper-rehash");
    const target = all[4]!;
    await tamper((tx) =>
      tx.execute(sql`update audit_events set actor = 'x', hash = ${"a".repeat(64)} where tenant_id = ${world.tenant} and seq = ${target.seq}`),
    );
    const v = await verify(world);
    expect(v.ok).toBe(false);
    expect(v.first_broken!.seq).toBe(target.seq);
  });

  it("a deleted event (a gap)", async () => {
    const { world, all } = await worldWithHistory("tamper-gap");
    const target = all[5]!;
    await tamper((tx) => tx.execute(sql`delete from audit_events where tenant_id = ${world.tenant} and seq = ${target.seq}`));
    const v = await verify(world);
    expect(v.ok).toBe(false);
    expect(v.first_broken!.seq).toBe(target.seq);
  });

  it("a deleted last event (the tail)", async () => {
    const { world, all } = await worldWithHistory("tamper-tail");
    const last = all.at(-1)!;
    await tamper((tx) => tx.execute(sql`delete from audit_events where tenant_id = ${world.tenant} and seq = ${last.seq}`));
    const v = await verify(world);
    expect(v.ok).toBe(false);
    expect(v.first_broken!.seq).toBe(last.seq);
  });

  it("two events' contents swapped", async () => {
    const { world, all } = await worldWithHistory("tamper-swap");
    const [x, y] = [all[3]!, all[6]!];
    expect(x.type === y.type && JSON.stringify(x.data) === JSON.stringify(y.data)).toBe(false);
    await tamper(async (tx) => {
      await tx.execute(sql`
        update audit_events as t set type = s.type, actor = s.actor, job_id = s.job_id, data = s.data, created_at = s.created_at
        from (select seq, type, actor, job_id, data, created_at from audit_events where tenant_id = ${world.tenant} and seq in (${x.seq}, ${y.seq})) as s
        where t.tenant_id = ${world.tenant} and t.seq in (${x.seq}, ${y.seq}) and s.seq <> t.seq`);
    });
    const swapped = await events(world);
    expect(swapped.find((e) => e.seq === x.seq)!.type).toBe(y.type);
    const v = await verify(world);
    expect(v.ok).toBe(false);
    expect(v.first_broken!.seq).toBe(x.seq);
  });

  it("tampering in one tenant does not break another tenant's chain, and the trigger is back on", async () => {
    expect((await verify(w)).ok).toBe(true);
    const db = await getDb();
    const [row] = (await db.execute(
      sql`select tgenabled from pg_trigger where tgname = 'audit_events_append_only'`,
    )) as unknown as { tgenabled: string }[];
    expect(row!.tgenabled).toBe("O");
  });
});

describe("public routes", () => {
  it("GET /api/v1/openapi.json needs no auth and describes the API", async () => {
    const res = await call("GET", "/api/v1/openapi.json");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.body.openapi).toBe("3.1.0");
    for (const p of ["/jobs", "/jobs/{id}", "/jobs/{id}/claim", "/jobs/{id}/complete", "/jobs/{id}/cancel", "/jobs/{id}/decisions", "/approvals", "/approvals/{job_id}/approve", "/approvals/{job_id}/reject", "/audit", "/audit/verify", "/admin/tokens"]) {
      expect(res.body.paths, p).toHaveProperty([p]);
    }
    expect(res.body.paths["/jobs"]).toHaveProperty("post");
    expect(res.body.paths["/jobs/{id}/claim"]).toHaveProperty("post");
    expect(res.body.paths["/approvals/{job_id}/approve"]).toHaveProperty("post");
  });

  it("GET /api/health → 200", async () => {
    const res = await call("GET", "/api/health");
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("ok");
  });

  it("an unknown API route is a problem+json 404", async () => {
    const res = await call("GET", "/api/v1/nope");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe("not_found");
  });
});
