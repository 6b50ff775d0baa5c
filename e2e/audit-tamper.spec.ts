import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import canonicalize from "canonicalize";
import postgres from "postgres";
import { ownToken } from "./support/own-token";
import { signalGroup, startOwnServer, type OwnServer } from "./support/server";

// The audit log against someone who can write to the database (issue 25, part 4), end to end: two
// production servers of their own (ports E2E_AUDIT_PORT and +1, default 3140) on one scratch PostgreSQL
// database, sharing the audit key and one checkpoint file; the database is tampered with as a superuser
// with triggers bypassed, or as a role that may only INSERT; `npm run audit:verify` and GET /audit/verify
// must name what was done.

const ROOT = path.resolve(__dirname, "..");
const PORT = Number(process.env.E2E_AUDIT_PORT ?? 3140);
const ADMIN_TOKEN = "audit-installation-admin-token-0123456789";
const AUTH_SECRET = "audit-auth-secret-audit-auth-secret-0123456789";
const AUDIT_KEY = "audit-e2e-key-audit-e2e-key-0123456789";
const CHECKPOINT_KEY = crypto.generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString();
const FORGER = `countersign_forger_e2e_${process.pid}`;

let db: { name: string; url: string; drop: () => Promise<void> } | undefined;
let sql: postgres.Sql | undefined;
let dir = "";
let checkpoints = "";
let env: Record<string, string> = {};
const servers: OwnServer[] = [];
const base = (i: number) => `http://127.0.0.1:${PORT + i}`;

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(150_000);
  const { createScratchDatabase } = await import("../scripts/scratch-db.mjs");
  db = await createScratchDatabase("countersign_audit");
  sql = postgres(db.url, { max: 2, onnotice: () => {} });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "countersign-audit-e2e-"));
  checkpoints = path.join(dir, "checkpoints.jsonl");
  env = {
    DATABASE_URL: db.url,
    COUNTERSIGN_ADMIN_TOKEN: ADMIN_TOKEN,
    AUTH_SECRET,
    COUNTERSIGN_AUDIT_KEY: AUDIT_KEY,
    COUNTERSIGN_CHECKPOINT_KEY: CHECKPOINT_KEY,
    COUNTERSIGN_CHECKPOINT_FILE: checkpoints,
    COUNTERSIGN_CHECKPOINT_SECONDS: "1",
  };
  // One at a time: the first migrates the fresh database.
  servers.push(await startOwnServer(PORT, env));
  servers.push(await startOwnServer(PORT + 1, env));
});

test.afterAll(async () => {
  for (const s of servers) signalGroup(s, "SIGTERM");
  await Promise.all(servers.map((s) => s.exited));
  await sql?.unsafe(`drop owned by ${FORGER}`).catch(() => {});
  await sql?.unsafe(`drop role if exists ${FORGER}`).catch(() => {});
  await sql?.end().catch(() => {});
  await db?.drop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function api(i: number, method: string, route: string, token: string, body?: unknown) {
  const res = await fetch(`${base(i)}/api/v1${route}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: await res.json() };
}

/** A tenant with a reviewer, an agent, and a few approved jobs submitted through both instances. */
async function tenantWithHistory(prefix: string) {
  const tenant = `${prefix}-${Date.now().toString(36)}`;
  expect((await api(0, "POST", "/admin/tenants", ADMIN_TOKEN, { id: tenant })).status).toBe(201);
  // `security` adds audit:read to the person's own scopes; a token that approves is minted only by its person.
  const password = "audit-tamper-password-1";
  const user = (await api(0, "POST", "/admin/users", ADMIN_TOKEN, { tenant, email: `oncall@${tenant}.example`, roles: ["oncall", "security"], password })).body;
  const scopes = ["approvals:read", "approvals:resolve", "jobs:read", "audit:read"];
  const reviewer = await ownToken(base(0), { id: user.id, email: user.email, password, tenant }, { name: "oncall", scopes });
  const agent = (await api(0, "POST", "/admin/tokens", ADMIN_TOKEN, { tenant, kind: "agent", name: "bot", scopes: ["jobs:submit", "jobs:read"] })).body.token as string;
  for (const i of [0, 1, 0]) {
    const job = await api(i, "POST", "/jobs", agent, { topic: "job.config.update", risk_tags: ["prod", "write"], payload: { i } });
    expect(job.status).toBe(201);
    expect((await api(1 - i, "POST", `/approvals/${job.body.job.id}/approve`, reviewer, { reason: "ok" })).status).toBe(200);
  }
  return { tenant, reviewer, agent, email: user.email as string };
}

/** The tenant's trail once the servers' sealers have sealed all of it. */
async function sealedTrail(tenant: { reviewer: string }) {
  let items: { id: number; seq: number | null; type: string; job_id: string | null; created_at: string; actor: string; data: Record<string, unknown> }[] = [];
  await expect
    .poll(async () => {
      items = (await api(1, "GET", "/audit?limit=1000", tenant.reviewer)).body.items;
      return items.length > 0 && items.every((e) => e.seq !== null);
    })
    .toBe(true);
  return items;
}

function auditVerifyCli(...args: string[]) {
  const r = spawnSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", "scripts/audit-verify.ts", ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: db!.url, COUNTERSIGN_AUDIT_KEY: AUDIT_KEY },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** What the servers print at start: the public key that verifies their checkpoints. */
function printedPublicKey(): string {
  const m = /signed with Ed25519 public key (\S+)/.exec(servers[0]!.output());
  expect(m, servers[0]!.output()).not.toBeNull();
  return m![1]!;
}

const signedSeqs = (tenant: string) =>
  fs.existsSync(checkpoints)
    ? fs
        .readFileSync(checkpoints, "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as { tenant: string; seq: number })
        .filter((c) => c.tenant === tenant)
        .map((c) => c.seq)
    : [];

test("the newest event deleted and the head rewound, triggers bypassed: audit:verify --checkpoints names it", async () => {
  const t = await tenantWithHistory("rewind");
  const trail = await sealedTrail(t);
  const head = Math.max(...trail.map((e) => e.seq!));
  // Both servers checkpoint every tenant into the one file (a head signed twice is harmless).
  await expect.poll(() => signedSeqs(t.tenant).includes(head), { timeout: 15_000 }).toBe(true);
  const key = printedPublicKey();
  const clean = auditVerifyCli("--tenant", t.tenant, "--checkpoints", checkpoints, "--public-key", key);
  expect(clean.out).toContain(`ok      ${t.tenant}: ${head} events, head #${head}, checkpoint #${head} of `);
  expect(clean.status).toBe(0);

  await sql!.begin(async (tx) => {
    await tx`set local session_replication_role = replica`;
    await tx`delete from audit_events where tenant_id = ${t.tenant} and seq = ${head}`;
    await tx`update audit_heads set seq = ${head - 1}, hash = (select hash from audit_events where tenant_id = ${t.tenant} and seq = ${head - 1}) where tenant_id = ${t.tenant}`;
  });
  // A valid prefix: nothing inside the database can tell.
  expect((await api(0, "GET", "/audit/verify", t.reviewer)).body).toMatchObject({ ok: true, checked: head - 1 });
  const cut = auditVerifyCli("--tenant", t.tenant, "--checkpoints", checkpoints, "--public-key", key);
  expect(cut.out).toContain(`BROKEN  ${t.tenant}: first broken link at event #${head}: event ${head} is missing: the checkpoint of `);
  expect(cut.status).toBe(1);
});

test("an event rewritten and the unkeyed hashes recomputed, triggers bypassed: GET /audit/verify names it by its MAC", async () => {
  const t = await tenantWithHistory("rewrite");
  const trail = await sealedTrail(t);
  const vote = trail.find((e) => e.type === "vote.cast")!;
  await sql!.begin(async (tx) => {
    await tx`set local session_replication_role = replica`;
    await tx`update audit_events set actor = 'user:someone-else@example.com' where tenant_id = ${t.tenant} and seq = ${vote.seq}`;
    // Recompute the chain from there as docs/decisions.md describes it: no key is needed.
    const rows = await tx<{ id: number; seq: number; type: string; actor: string; job_id: string | null; data: Record<string, unknown>; created_at: string; hash: string }[]>`
      select id, seq::int, type, actor, job_id, data, created_at, hash from audit_events where tenant_id = ${t.tenant} and seq >= ${vote.seq! - 1} order by seq`;
    let prev = rows[0]!.hash;
    for (const r of rows.slice(1)) {
      const event = { tenant_id: t.tenant, seq: r.seq, type: r.type, actor: r.actor, job_id: r.job_id, data: r.data, created_at: r.created_at };
      const hash = crypto.createHash("sha256").update(prev + canonicalize(event)!).digest("hex");
      await tx`update audit_events set prev_hash = ${prev}, hash = ${hash} where id = ${r.id}`;
      prev = hash;
    }
    await tx`update audit_heads set hash = ${prev} where tenant_id = ${t.tenant}`;
  });
  const v = (await api(1, "GET", "/audit/verify", t.reviewer)).body;
  expect(v.ok).toBe(false);
  expect(v.first_broken.seq).toBe(vote.seq);
  expect(v.first_broken.reason).toMatch(/MAC does not match/);
});

test("a back-dated vote.cast forged with plain INSERT: never sealed, named by verify, and the servers keep sealing genuine events", async () => {
  const t = await tenantWithHistory("insert");
  const trail = await sealedTrail(t);
  const job = trail.find((e) => e.type === "job.submitted")!;
  await sql!.unsafe(`do $$ begin create role ${FORGER} nologin; exception when duplicate_object then null; end $$`);
  await sql!.unsafe(`grant usage on schema public to ${FORGER}; grant insert on audit_events to ${FORGER}`);
  const backDated = new Date(Date.parse(job.created_at) - 86_400_000).toISOString();
  await sql!.begin(async (tx) => {
    await tx.unsafe(`set local role ${FORGER}`);
    await tx`insert into audit_events (tenant_id, type, actor, job_id, data, created_at)
             values (${t.tenant}, 'vote.cast', ${`user:${t.email}`}, ${job.job_id}, ${sql!.json({ vote: "approve", reason: "forged" })}, ${backDated})`;
  });

  let v: any;
  await expect
    .poll(async () => {
      v = (await api(0, "GET", "/audit/verify", t.reviewer)).body;
      return v.rejected.length;
    })
    .toBe(1);
  expect(v).toMatchObject({ ok: false, first_broken: null, rejected: [{ type: "vote.cast", created_at: backDated, reason: "it carries no MAC" }] });

  const later = await api(1, "POST", "/jobs", t.agent, { topic: "job.config.update", risk_tags: ["prod", "write"], payload: { after: "forgery" } });
  expect(later.status).toBe(201);
  const after = await sealedTrail(t);
  expect(after.find((e) => e.job_id === later.body.job.id)!.seq).toEqual(expect.any(Number));
  expect(after.find((e) => e.type === "audit.event_rejected")!.data).toMatchObject({ events: [{ id: v.rejected[0].id, type: "vote.cast" }] });
  expect(after.some((e) => e.type === "vote.cast" && e.created_at === backDated)).toBe(false);
  const again = (await api(1, "GET", "/audit/verify", t.reviewer)).body;
  expect(again).toMatchObject({ ok: false, first_broken: null, pending: 0 });
  expect(again.checked).toBeGreaterThan(v.checked);
});

test("a server started with another audit key than the one sharing its database refuses to start", async () => {
  // Its port is the second server's: stop that one first (its last checkpoint round runs on the way out).
  const second = servers.pop()!;
  signalGroup(second, "SIGTERM");
  await second.exited;
  const refused = startOwnServer(PORT + 1, { ...env, COUNTERSIGN_AUDIT_KEY: "another-audit-key-another-audit-key-012345" });
  await expect(refused).rejects.toThrow(/COUNTERSIGN_AUDIT_KEY is not the key this database's audit events are made with/);
});
