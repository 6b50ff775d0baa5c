import { randomBytes, randomInt } from "node:crypto";
import { expect, test } from "@playwright/test";
import postgres from "postgres";
import { ownToken } from "./support/own-token";
import { signalGroup, startOwnServer, type OwnServer } from "./support/server";

// Crash safety. This spec runs a production server of its own (port 3120, its own scratch database),
// kills its whole process group with SIGKILL while agents submit and reviewers vote, restarts it on the
// same database, and checks that every answered request is there exactly once, that nothing is
// half-written, that retries with the same Idempotency-Key never duplicate, and that the audit chain
// verifies. It needs no browser and the normal e2e servers (3100/3101) are not used.

const PORT = 3120;
const BASE = `http://127.0.0.1:${PORT}`;
const ADMIN_TOKEN = "crash-installation-admin-token-0123456789";
const AUTH_SECRET = "crash-auth-secret-crash-auth-secret-0123456789";
const CYCLES = 5;
const AGENTS = 6;
const FINANCE = 4;
const ONCALL = 4;
const READERS = 8;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------------
// The server, as a process group of its own (next start forks the real server into a child).

class Server {
  private own: OwnServer | null = null;

  constructor(private readonly databaseUrl: string) {}

  tail(): string {
    return this.own?.output().slice(-4000) ?? "";
  }

  async start(): Promise<void> {
    expect(this.own).toBeNull();
    this.own = await startOwnServer(PORT, { DATABASE_URL: this.databaseUrl, COUNTERSIGN_ADMIN_TOKEN: ADMIN_TOKEN, AUTH_SECRET });
  }

  /** SIGKILL the whole group: no shutdown hook runs, open transactions are cut off mid-flight. */
  async kill(): Promise<void> {
    const own = this.own;
    if (!own) return;
    this.own = null;
    signalGroup(own, "SIGKILL");
    await own.exited;
    // The forked server is in the group too; wait until nothing answers on the port any more.
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const res = await fetch(`${BASE}/api/health`, { signal: AbortSignal.timeout(500) }).catch(() => null);
      if (!res) return;
      await sleep(50);
    }
    throw new Error("the killed server still answers");
  }
}

// ---------------------------------------------------------------------------------------------------
// HTTP

interface Answer {
  /** null: no (complete) answer, the connection broke or the request timed out. */
  status: number | null;
  body: any;
  error?: string;
  /** Seconds, from a Retry-After header. */
  retryAfter?: number;
}

async function send(method: string, url: string, token: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  try {
    const res = await fetch(`${BASE}${url}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = text;
    }
    const retryAfter = Number(res.headers.get("retry-after"));
    return { status: res.status, body: parsed, retryAfter: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined };
  } catch (err) {
    return { status: null, body: null, error: String((err as Error).cause ?? err) };
  }
}

const retryAfterMs = (a: Answer) => Math.min(5_000, 1_000 * (a.retryAfter ?? 1));

/** For setup and verification: the server is up, so retry only broken connections and rate limits. */
async function must(method: string, url: string, token: string, body?: unknown, headers?: Record<string, string>): Promise<Answer> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const a = await send(method, url, token, body, headers);
    if (a.status !== null && !(a.status === 429 && a.body?.code === "rate_limited")) return a;
    if (Date.now() > deadline) throw new Error(`${method} ${url}: no answer (${a.status ?? a.error})`);
    await sleep(a.status === 429 ? retryAfterMs(a) : 100);
  }
}

async function pool<T>(items: T[], width: number, fn: (item: T, worker: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async (_, worker) => {
      while (next < items.length) await fn(items[next++]!, worker);
    }),
  );
}

// ---------------------------------------------------------------------------------------------------
// The world: one tenant, agents (owned by someone who reviews nothing), finance and oncall reviewers.

interface Reviewer {
  email: string;
  token: string;
  roles: string[];
}

interface World {
  tenant: string;
  agents: string[];
  reviewers: Reviewer[];
}

const PASSWORD = "crash-password-123";

async function createUser(tenant: string, email: string, roles: string[]): Promise<string> {
  const u = await must("POST", "/api/v1/admin/users", ADMIN_TOKEN, { tenant, email, roles, password: PASSWORD });
  expect(u.status, JSON.stringify(u.body)).toBe(201);
  return u.body.id as string;
}

/** The person's own token (signed in with their password): only they may mint one that approves. */
async function userToken(tenant: string, userId: string, email: string, scopes: string[]): Promise<string> {
  return ownToken(BASE, { id: userId, email, password: PASSWORD, tenant }, { name: email.split("@")[0]!, scopes });
}

async function provision(): Promise<World> {
  const tenant = `crash-${Date.now().toString(36)}-${randomBytes(3).toString("hex")}`;
  const t = await must("POST", "/api/v1/admin/tenants", ADMIN_TOKEN, { id: tenant });
  expect(t.status, JSON.stringify(t.body)).toBe(201);
  const ownerEmail = `owner@${tenant}.example`;
  await createUser(tenant, ownerEmail, ["developer"]);
  const agents: string[] = [];
  for (let i = 0; i < AGENTS; i++) {
    const a = await must("POST", "/api/v1/admin/tokens", ADMIN_TOKEN, {
      tenant,
      kind: "agent",
      name: `bot-${i}`,
      scopes: ["jobs:submit", "jobs:read"],
      owner_email: ownerEmail,
    });
    expect(a.status, JSON.stringify(a.body)).toBe(201);
    agents.push(a.body.token);
  }
  const reviewers: Reviewer[] = [];
  for (const [role, n] of [["finance", FINANCE], ["oncall", ONCALL]] as const) {
    for (let i = 0; i < n; i++) {
      const email = `${role}-${i}@${tenant}.example`;
      const id = await createUser(tenant, email, [role]);
      const token = await userToken(tenant, id, email, ["approvals:read", "approvals:resolve", "jobs:read"]);
      reviewers.push({ email, token, roles: [role] });
    }
  }
  return { tenant, agents, reviewers };
}

// ---------------------------------------------------------------------------------------------------
// The load and what it was told.

interface Attempt {
  cycle: number;
  status: number | null;
  code?: string;
  jobId?: string;
  error?: string;
}

interface Submission {
  key: string;
  marker: string;
  agent: number;
  kind: "payment" | "config";
  body: Record<string, unknown>;
  attempts: Attempt[];
  /** The job id of the first 2xx answer. */
  jobId?: string;
}

interface Vote {
  cycle: number;
  jobId: string;
  voter: string;
  vote: "approve" | "reject";
  status: number | null;
  code?: string;
}

const REQUIRED: Record<Submission["kind"], { rule: string; roles: string[]; count: number }> = {
  payment: { rule: "payment-gate", roles: ["finance"], count: 2 },
  config: { rule: "prod-write-gate", roles: ["service-owner", "oncall"], count: 1 },
};

function newSubmission(agent: number, n: number): Submission {
  const marker = `m-${agent}-${n}-${randomBytes(6).toString("hex")}`;
  const kind = n % 2 === 0 ? "payment" : "config";
  const body =
    kind === "payment"
      ? { topic: "job.payment.refund", risk_tags: ["payment"], title: `Refund ${marker}`, payload: { marker, amount: 100 + n, currency: "EUR" } }
      : { topic: "job.config.update", risk_tags: ["prod", "write"], title: `Config ${marker}`, payload: { marker, service: `svc-${n}`, value: n } };
  return { key: `crash-${marker}`, marker, agent, kind, body, attempts: [] };
}

const answered2xx = (s: { status: number | null }) => s.status !== null && s.status >= 200 && s.status < 300;
const rateLimited = (a: Answer) => a.status === 429 && a.body?.code === "rate_limited";

class Load {
  subs: Submission[] = [];
  votes: Vote[] = [];
  /** Answers no client should ever get, whatever the timing of the crash. */
  anomalies: string[] = [];
  private counter = 0;

  constructor(private readonly w: World) {}

  async submit(s: Submission, cycle: number): Promise<Answer> {
    const a = await send("POST", "/api/v1/jobs", this.w.agents[s.agent]!, s.body, { "idempotency-key": s.key });
    const attempt: Attempt = { cycle, status: a.status, code: a.body?.code, error: a.error };
    if (answered2xx(a)) {
      const id = a.body?.job?.id;
      if (typeof id !== "string" || a.body?.job?.payload?.marker !== s.marker) {
        this.anomalies.push(`submit ${s.key}: ${a.status} without this job: ${JSON.stringify(a.body).slice(0, 300)}`);
      } else {
        attempt.jobId = id;
        if (s.jobId === undefined) s.jobId = id;
        else if (s.jobId !== id) this.anomalies.push(`submit ${s.key}: answered ${s.jobId}, then ${id}`);
        // Only the first time a key is seen can it create; a replay after a 2xx must say 200.
        if (a.status === 201 && s.attempts.some((p) => answered2xx(p))) this.anomalies.push(`submit ${s.key}: 201 twice`);
      }
    } else if (a.status !== null && !rateLimited(a)) {
      this.anomalies.push(`submit ${s.key}: ${a.status} ${JSON.stringify(a.body).slice(0, 300)}`);
    }
    s.attempts.push(attempt);
    return a;
  }

  /** One agent: first retry what never got a 2xx (same key, same body), then submit new work. */
  async agent(i: number, cycle: number, running: () => boolean): Promise<void> {
    const retries = this.subs.filter((s) => s.agent === i && s.jobId === undefined);
    for (const s of retries) {
      if (!running()) return;
      const a = await this.submit(s, cycle);
      if (rateLimited(a)) await sleep(retryAfterMs(a));
    }
    while (running()) {
      const s = newSubmission(i, this.counter++);
      this.subs.push(s);
      const a = await this.submit(s, cycle);
      await sleep(rateLimited(a) ? retryAfterMs(a) : randomInt(20, 80));
    }
  }

  /** One reviewer: read the actionable queue, vote on a few of its jobs (mostly approve). */
  async reviewer(r: Reviewer, cycle: number, running: () => boolean): Promise<void> {
    while (running()) {
      const q = await send("GET", "/api/v1/approvals?actionable=true&limit=50", r.token);
      if (q.status !== 200) {
        if (q.status !== null && !rateLimited(q)) this.anomalies.push(`queue ${r.email}: ${q.status} ${JSON.stringify(q.body).slice(0, 300)}`);
        await sleep(rateLimited(q) ? retryAfterMs(q) : 50);
        continue;
      }
      const items = (q.body.items as { job: { id: string } }[]).slice();
      for (let k = 0; k < 3 && items.length > 0 && running(); k++) {
        const [item] = items.splice(randomInt(items.length), 1);
        const vote: Vote["vote"] = randomInt(100) < 85 ? "approve" : "reject";
        const a = await send("POST", `/api/v1/approvals/${item!.job.id}/${vote}`, r.token, { reason: `crash ${vote} by ${r.email}` });
        this.votes.push({ cycle, jobId: item!.job.id, voter: r.email, vote, status: a.status, code: a.body?.code });
        // Racing reviewers: another vote may have decided the job first.
        const expected = a.status === 409 && ["already_resolved", "already_voted"].includes(a.body?.code);
        if (a.status !== null && !answered2xx(a) && !expected && !rateLimited(a)) {
          this.anomalies.push(`vote ${vote} ${item!.job.id} by ${r.email}: ${a.status} ${JSON.stringify(a.body).slice(0, 300)}`);
        }
        if (rateLimited(a)) await sleep(retryAfterMs(a));
      }
      await sleep(randomInt(30, 120));
    }
  }

  async run(cycle: number, millis: number, server: Server): Promise<void> {
    let on = true;
    const running = () => on;
    const workers = [
      ...this.w.agents.map((_, i) => this.agent(i, cycle, running)),
      ...this.w.reviewers.map((r) => this.reviewer(r, cycle, running)),
    ];
    await sleep(millis);
    // The signal goes out synchronously, then the loops stop: whatever is in flight now is cut off,
    // and nothing new is sent to the dead port.
    const killed = server.kill();
    on = false;
    await killed;
    await Promise.all(workers);
  }
}

// ---------------------------------------------------------------------------------------------------

let db: { name: string; url: string; drop: () => Promise<void> } | undefined;
let server: Server | undefined;
let sql: postgres.Sql | undefined;

test.describe.configure({ mode: "serial" });

test.afterAll(async () => {
  await server?.kill().catch(() => {});
  await sql?.end().catch(() => {});
  await db?.drop();
});

test("SIGKILL while agents submit and reviewers vote: answered work survives exactly once, retries never duplicate, the audit chain verifies", async () => {
  test.setTimeout(180_000);
  const { createScratchDatabase } = await import("../scripts/scratch-db.mjs");
  db = await createScratchDatabase("countersign_crash");
  server = new Server(db.url);
  sql = postgres(db.url, { max: 2, onnotice: () => {} });

  await server.start();
  const w = await provision();
  const load = new Load(w);

  // ---- The crashes: load, SIGKILL at a random moment, restart on the same database.
  for (let cycle = 0; cycle < CYCLES; cycle++) {
    if (cycle > 0) await server.start();
    await load.run(cycle, randomInt(1_000, 3_000), server);
  }
  await server.start();

  // Cut off in flight (reset, closed), as opposed to refused by a port nobody listened on.
  const cutOffSubmits = load.subs.filter((s) => s.attempts.some((a) => a.status === null && !String(a.error).includes("ECONNREFUSED")));
  const okVotes = load.votes.filter(answered2xx);
  console.log(
    `[crash] ${CYCLES} kills; ${load.subs.length} submissions (${load.subs.filter((s) => s.jobId).length} answered 2xx, ` +
      `${cutOffSubmits.length} cut off), ${load.votes.length} votes (${okVotes.length} answered 2xx, ` +
      `${load.votes.filter((v) => v.status === null).length} cut off)`,
  );
  expect(load.anomalies, "answers no client should get").toEqual([]);
  // The test only means something if the kills cut requests off and work got done in between.
  expect(cutOffSubmits.length, "no submission was in flight at any kill").toBeGreaterThan(0);
  expect(load.subs.filter((s) => s.jobId).length).toBeGreaterThan(20);
  expect(okVotes.length).toBeGreaterThan(5);

  // Fresh tokens for reading, so verification never queues behind the load's rate-limit buckets.
  const readers: string[] = [];
  for (let i = 0; i < READERS; i++) {
    const id = await createUser(w.tenant, `reader-${i}@${w.tenant}.example`, ["auditor"]);
    // Read-only, so the installation admin may mint it for them.
    const t = await must("POST", "/api/v1/admin/tokens", ADMIN_TOKEN, { tenant: w.tenant, kind: "user", name: `reader-${i}`, user_id: id, scopes: ["jobs:read", "approvals:read", "audit:read"] });
    expect(t.status, JSON.stringify(t.body)).toBe(201);
    readers.push(t.body.token as string);
  }

  // ---- (1) Every submission answered 2xx before a crash is there, once, as it was answered.
  const answered = load.subs.filter((s) => s.jobId !== undefined);
  await pool(answered, READERS, async (s, worker) => {
    const got = await must("GET", `/api/v1/jobs/${s.jobId}`, readers[worker]!);
    expect(got.status, `${s.key} answered ${s.jobId} but reads ${got.status}`).toBe(200);
    expect(got.body.job.payload.marker).toBe(s.marker);
    expect(got.body.policy_rule_id).toBe(REQUIRED[s.kind].rule);
  });

  // ---- (2) Clients retry everything that got no 2xx, with the same key and body, until it does.
  const unanswered = load.subs.filter((s) => s.jobId === undefined);
  await pool(unanswered, AGENTS, async (s) => {
    const deadline = Date.now() + 30_000;
    while (s.jobId === undefined) {
      const a = await load.submit(s, CYCLES);
      if (s.jobId !== undefined) break;
      if (Date.now() > deadline) throw new Error(`${s.key} never answered 2xx: ${JSON.stringify(s.attempts)}`);
      await sleep(rateLimited(a) ? retryAfterMs(a) : 100);
    }
  });
  // A sample of answered keys sent once more: the same job, 200 (a replay), never a second one.
  const replays = answered.filter((_, i) => i % 10 === 0);
  await pool(replays, AGENTS, async (s) => {
    const a = await must("POST", "/api/v1/jobs", w.agents[s.agent]!, s.body, { "idempotency-key": s.key });
    expect(a.status, JSON.stringify(a.body)).toBe(200);
    expect(a.body.job.id).toBe(s.jobId);
  });
  expect(load.anomalies, "answers no client should get (retries)").toEqual([]);
  // A key whose answer was lost and whose retry then said 200 had committed before the crash; one
  // whose retry said 201 had not. Both happen; either way the key ends with one job.
  const lost = load.subs.filter((s) => s.attempts.some((a) => a.status === null));
  const firstOk = (s: Submission) => s.attempts.find((a) => answered2xx(a))!.status;
  console.log(
    `[crash] ${lost.length} keys lost an answer and were retried: ${lost.filter((s) => firstOk(s) === 200).length} had committed (replayed 200), ` +
      `${lost.filter((s) => firstOk(s) === 201).length} had not (created 201)`,
  );

  // Every job of the tenant, through the API (all of them needed people, so the history lists them all).
  const listed: any[] = [];
  for (let cursor: string | null = null, i = 0; ; i++) {
    const page = await must("GET", `/api/v1/approvals?include_resolved=true&limit=200${cursor ? `&cursor=${cursor}` : ""}`, readers[i % READERS]!);
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    listed.push(...page.body.items);
    cursor = page.body.next_cursor;
    if (!cursor) break;
  }
  const perMarker = new Map<string, string[]>();
  for (const item of listed) {
    const m = item.job.payload.marker as string;
    perMarker.set(m, [...(perMarker.get(m) ?? []), item.job.id]);
  }
  const bySubMarker = new Map(load.subs.map((s) => [s.marker, s]));
  const duplicates = [...perMarker].filter(([, ids]) => ids.length > 1);
  expect(duplicates, "keys with more than one job").toEqual([]);
  expect([...perMarker.keys()].filter((m) => !bySubMarker.has(m)), "jobs nobody submitted").toEqual([]);
  expect(load.subs.filter((s) => perMarker.get(s.marker)?.[0] !== s.jobId).map((s) => s.key), "keys whose job is not the one answered").toEqual([]);
  expect(listed.length).toBe(load.subs.length);

  // ---- (3) Every vote answered 2xx is in the job's approval log; no job is half-written.
  const votesByJob = new Map<string, Vote[]>();
  for (const v of okVotes) votesByJob.set(v.jobId, [...(votesByJob.get(v.jobId) ?? []), v]);
  const problems: string[] = [];
  const finalByJob = new Map<string, any>();
  await pool(load.subs, READERS, async (s, worker) => {
    const d = await must("GET", `/api/v1/jobs/${s.jobId}/decisions`, readers[worker]!);
    expect(d.status, JSON.stringify(d.body)).toBe(200);
    finalByJob.set(s.jobId!, d.body);
    const where = `${s.jobId} (${s.kind})`;
    const job = d.body.job;
    const votes = d.body.votes as { voter: string; vote: string; roles: string[] }[];
    if (d.body.decisions.filter((x: any) => x.cause === "submit").length !== 1) problems.push(`${where}: not one submit decision`);
    for (const v of votesByJob.get(s.jobId!) ?? []) {
      if (!votes.some((x) => x.voter === v.voter && x.vote === v.vote)) problems.push(`${where}: the ${v.vote} by ${v.voter} (answered ${v.status}) is missing`);
    }
    if (new Set(votes.map((v) => v.voter)).size !== votes.length) problems.push(`${where}: someone voted twice`);
    const need = REQUIRED[s.kind];
    const approvers = new Set(votes.filter((v) => v.vote === "approve" && v.roles.some((r) => need.roles.includes(r))).map((v) => v.voter));
    const rejects = votes.filter((v) => v.vote === "reject");
    const req = job.requirements as { rule_id: string; count: number; approvals: number }[];
    if (req.length !== 1 || req[0]!.rule_id !== need.rule || req[0]!.count !== need.count) problems.push(`${where}: requirements ${JSON.stringify(req)}`);
    switch (job.job.state) {
      case "APPROVED":
        if (d.body.resolution !== "approved" || !d.body.resolved_by || !d.body.resolved_at) problems.push(`${where}: APPROVED without its resolution`);
        if (approvers.size < need.count) problems.push(`${where}: APPROVED with ${approvers.size} of ${need.count} approvals`);
        if (rejects.length > 0) problems.push(`${where}: APPROVED despite a reject`);
        if (!votes.some((v) => v.voter === d.body.resolved_by && v.vote === "approve")) problems.push(`${where}: resolved_by ${d.body.resolved_by} has no approve vote`);
        break;
      case "REJECTED":
        if (d.body.resolution !== "rejected" || !d.body.resolved_by || !d.body.resolved_at) problems.push(`${where}: REJECTED without its resolution`);
        if (rejects.length !== 1 || rejects[0]!.voter !== d.body.resolved_by) problems.push(`${where}: REJECTED but rejects ${JSON.stringify(rejects)}`);
        if (approvers.size >= need.count) problems.push(`${where}: REJECTED after it was already approved`);
        break;
      case "APPROVAL":
        if (d.body.resolution !== null || d.body.resolved_by !== null) problems.push(`${where}: pending with a resolution`);
        if (approvers.size >= need.count) problems.push(`${where}: pending with all ${approvers.size} approvals`);
        if (rejects.length > 0) problems.push(`${where}: pending despite a reject`);
        break;
      default:
        problems.push(`${where}: unexpected state ${job.job.state}`);
    }
    if (req[0] && req[0].approvals !== approvers.size) problems.push(`${where}: counts ${req[0].approvals} approvals, log has ${approvers.size}`);
  });
  expect(problems, "half-written or lost work").toEqual([]);

  // ---- (4) The audit chain: sealed asynchronously, so poll until every event is in it and it holds.
  const total = (await sql<{ total: number }[]>`select count(*)::int as total from audit_events where tenant_id = ${w.tenant}`)[0]!.total;
  let verify: any;
  await expect
    .poll(
      async () => {
        verify = (await must("GET", "/api/v1/audit/verify", readers[0]!)).body;
        return verify.ok && verify.pending === 0 && verify.checked === total;
      },
      { timeout: 30_000, message: "the audit chain verifies and covers every event" },
    )
    .toBe(true);
  expect(verify).toMatchObject({ ok: true, first_broken: null, pending: 0, checked: total });

  // The audit through the API: exactly one job.submitted per job, and none for a job that does not exist.
  const events: any[] = [];
  for (let cursor: string | null = null, i = 0; ; i++) {
    const page = await must("GET", `/api/v1/audit?limit=1000${cursor ? `&cursor=${cursor}` : ""}`, readers[i % READERS]!);
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    events.push(...page.body.items);
    cursor = page.body.next_cursor;
    if (!cursor) break;
  }
  expect(events.length).toBe(total);
  expect(events.filter((e) => e.hash === null || e.seq === null).length, "unsealed events").toBe(0);
  const count = (type: string, jobId: string) => events.filter((e) => e.type === type && e.job_id === jobId).length;
  const submittedPerJob = new Map<string, number>();
  for (const e of events.filter((e) => e.type === "job.submitted")) submittedPerJob.set(e.job_id, (submittedPerJob.get(e.job_id) ?? 0) + 1);
  const jobIds = new Set(load.subs.map((s) => s.jobId!));
  const auditProblems: string[] = [];
  for (const id of jobIds) if (submittedPerJob.get(id) !== 1) auditProblems.push(`${id}: ${submittedPerJob.get(id) ?? 0} job.submitted events`);
  for (const id of submittedPerJob.keys()) if (!jobIds.has(id)) auditProblems.push(`job.submitted for unknown job ${id}`);
  for (const [id, d] of finalByJob) {
    const votes = d.votes as { voter: string; vote: string }[];
    for (const v of votes) {
      const n = events.filter((e) => e.type === "vote.cast" && e.job_id === id && e.actor === `user:${v.voter}` && e.data.vote === v.vote).length;
      if (n !== 1) auditProblems.push(`${id}: ${n} vote.cast events for the ${v.vote} by ${v.voter}`);
    }
    if (count("vote.cast", id) !== votes.length) auditProblems.push(`${id}: ${count("vote.cast", id)} vote.cast events, ${votes.length} votes`);
    const state = d.job.job.state;
    if (count("job.approved", id) !== (state === "APPROVED" ? 1 : 0)) auditProblems.push(`${id}: ${state} with ${count("job.approved", id)} job.approved events`);
    if (count("job.rejected", id) !== (state === "REJECTED" ? 1 : 0)) auditProblems.push(`${id}: ${state} with ${count("job.rejected", id)} job.rejected events`);
  }
  expect(auditProblems, "the audit log disagrees with the jobs").toEqual([]);

  // ---- The database itself: no orphans anywhere, no duplicate payloads, nothing left unsealed.
  const orphans = await sql<{ what: string; n: number }[]>`
    select 'vote without job' as what, count(*)::int as n from votes v where not exists (select 1 from jobs j where j.id = v.job_id)
    union all
    select 'decision without job', count(*)::int from decisions d where not exists (select 1 from jobs j where j.id = d.job_id)
    union all
    select 'job without submit decision', count(*)::int from jobs j
      where (select count(*) from decisions d where d.job_id = j.id and d.cause = 'submit') <> 1
    union all
    select 'job without one job.submitted event', count(*)::int from jobs j
      where (select count(*) from audit_events a where a.tenant_id = j.tenant_id and a.job_id = j.id and a.type = 'job.submitted') <> 1
    union all
    select 'audit event of a missing job', count(*)::int from audit_events a
      where a.job_id is not null and not exists (select 1 from jobs j where j.id = a.job_id)
    union all
    select 'vote without its vote.cast event', count(*)::int from votes v
      where (select count(*) from audit_events a where a.tenant_id = v.tenant_id and a.job_id = v.job_id
             and a.type = 'vote.cast' and a.actor = 'user:' || v.user_email) <> 1
    union all
    select 'vote.cast event without its vote', count(*)::int from audit_events a
      where a.type = 'vote.cast' and not exists (select 1 from votes v where v.job_id = a.job_id and 'user:' || v.user_email = a.actor)
    union all
    select 'resolved job without resolution fields', count(*)::int from jobs j
      where j.state in ('APPROVED', 'REJECTED') and j.gated and (j.resolution is null or j.resolved_by is null or j.resolved_at is null)
    union all
    select 'pending job with resolution fields', count(*)::int from jobs j
      where j.state = 'APPROVAL' and (j.resolution is not null or j.resolved_at is not null)
    union all
    select 'unsealed audit event', count(*)::int from audit_events a where a.hash is null
    union all
    select 'duplicate payload marker', count(*)::int from (
      select payload->>'marker' from jobs where tenant_id = ${w.tenant} group by 1 having count(*) > 1) dup`;
  expect(orphans.filter((o) => o.n > 0), "orphans and half-written rows in the database").toEqual([]);
  const jobsInDb = (await sql<{ n: number }[]>`select count(*)::int as n from jobs where tenant_id = ${w.tenant}`)[0]!.n;
  expect(jobsInDb).toBe(load.subs.length);
});
