import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_POLICY_YAML } from "@/lib/policy/default-policy";
import { call, type CallResult } from "./http";
import { ADMIN, makeWorld, type Person, type World } from "./fixtures";
import { expectProblem } from "./problem";
import { activatePolicy } from "./policies";

// ---------------------------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------------------------

const PROD_WRITE = { topic: "job.config.update", risk_tags: ["prod", "write"] };
const PAYMENT = { topic: "job.payments.send", risk_tags: ["payment"] };
const DEFAULT_GATED = { topic: "job.misc.thing", risk_tags: [] as string[] };
// Matches prod-write-gate (job.deploy.* + prod + write) and payment-gate (payment) at once.
const PROD_WRITE_PAYMENT = { topic: "job.deploy.payments", risk_tags: ["payment", "prod", "write"] };

const vote = (kind: "approve" | "reject", jobId: string, token: string, body: unknown) =>
  call("POST", `/api/v1/approvals/${encodeURIComponent(jobId)}/${kind}`, { token, body });
const approve = (jobId: string, token: string, body: unknown = { reason: "looks right" }) => vote("approve", jobId, token, body);
const reject = (jobId: string, token: string, body: unknown = { reason: "not now" }) => vote("reject", jobId, token, body);

function queue(token: string, query: Record<string, string | number | boolean> = {}): Promise<CallResult> {
  const qs = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString();
  return call("GET", `/api/v1/approvals${qs ? `?${qs}` : ""}`, { token });
}

async function queueIds(token: string, query: Record<string, string | number | boolean> = {}): Promise<string[]> {
  const res = await queue(token, { limit: 200, ...query });
  expect(res.status).toBe(200);
  expect(res.body.next_cursor).toBeNull();
  return res.body.items.map((i: any) => i.job.id);
}

/** Walk every page; assert page sizes and the final null cursor. */
async function walk(token: string, limit: number, query: Record<string, string | number | boolean> = {}) {
  const ids: string[] = [];
  const pages: number[] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 100; guard++) {
    const res: CallResult = await queue(token, { ...query, limit, ...(cursor ? { cursor } : {}) });
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeLessThanOrEqual(limit);
    pages.push(res.body.items.length);
    ids.push(...res.body.items.map((i: any) => i.job.id));
    cursor = res.body.next_cursor;
    if (cursor === null) return { ids, pages };
    expect(typeof cursor).toBe("string");
    expect(res.body.items.length).toBe(limit);
  }
  throw new Error("pagination did not terminate");
}


/** Everything a failed vote must leave untouched: state, resolution, votes, requirements, snapshot, audit. */
async function observe(adminToken: string, jobId: string) {
  const d = await call("GET", `/api/v1/jobs/${jobId}/decisions`, { token: adminToken });
  expect(d.status).toBe(200);
  const audit = await call("GET", `/api/v1/audit?job_id=${jobId}&limit=1000`, { token: adminToken });
  expect(audit.status).toBe(200);
  return {
    state: d.body.job.job.state,
    policy_snapshot: d.body.job.policy_snapshot,
    requirements: d.body.job.requirements,
    votes: d.body.votes,
    decisions: d.body.decisions.length,
    resolution: d.body.resolution,
    resolved_by: d.body.resolved_by,
    audit: audit.body.items.map((e: any) => `${e.seq}:${e.type}`),
  };
}

async function auditOf(adminToken: string, jobId: string, type?: string) {
  const res = await call("GET", `/api/v1/audit?job_id=${jobId}${type ? `&type=${type}` : ""}&limit=1000`, { token: adminToken });
  expect(res.status).toBe(200);
  return res.body.items as any[];
}

/** An agent token of the world's tenant answerable to `owner`. */
async function agentOwnedBy(w: World, owner: Person, scopes = ["jobs:submit", "jobs:read"], name = "owned-bot") {
  const tok = await call("POST", "/api/v1/admin/tokens", {
    token: ADMIN(),
    body: { tenant: w.tenant, kind: "agent", name, scopes, owner_email: owner.email },
  });
  expect(tok.status, JSON.stringify(tok.body)).toBe(201);
  return tok.body.token as string;
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

// ---------------------------------------------------------------------------------------------
// The queue
// ---------------------------------------------------------------------------------------------

describe("queue: what it shows and in which order", () => {
  let w: World;
  let other: World;
  let pay: any, pw: any, dflt: any, approved: any, rejected: any, allowed: any, denied: any;
  let oncall: Person;

  beforeAll(async () => {
    w = await makeWorld("queue");
    other = await makeWorld("qother");
    oncall = await w.person(["oncall"], "oncall");
    // Submitted first, but due later (payment-gate sla 60m) ...
    pay = await w.submit({ ...PAYMENT, title: "Pay the invoice", payload: { amount: 10 } });
    await new Promise((r) => setTimeout(r, 5));
    // ... than this one, submitted later but due sooner (prod-write-gate sla 30m).
    pw = await w.submit({ ...PROD_WRITE, payload: { key: "a" } });
    dflt = await w.submit({ ...DEFAULT_GATED, payload: {} });
    approved = await w.submit({ ...PROD_WRITE, payload: { key: "approved" } });
    rejected = await w.submit({ ...PROD_WRITE, payload: { key: "rejected" } });
    allowed = await w.submit({ topic: "job.repo.read", risk_tags: [], payload: {} });
    denied = await w.submit({ topic: "job.db.drop", risk_tags: ["prod"], payload: {} });
    expect((await approve(approved.job.id, oncall.token, { reason: "ship it", note: "CHG-1" })).status).toBe(200);
    expect((await reject(rejected.job.id, oncall.token, { reason: "wrong window" })).status).toBe(200);
    // Another tenant's pending jobs, which must never leak into w's queue.
    await other.submit({ ...PAYMENT, payload: { amount: 1 } });
    await other.submit({ ...PROD_WRITE, payload: { key: "other" } });
  });

  it("defaults to pending only, most urgent first (due_at, then created_at)", async () => {
    const res = await queue(w.admin);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.body.next_cursor).toBeNull();
    const ids = res.body.items.map((i: any) => i.job.id);
    expect(ids).toEqual([pw.job.id, pay.job.id, dflt.job.id]);
    expect(res.body.items.every((i: any) => i.job.state === "APPROVAL" && i.resolution === null)).toBe(true);
    // include_resolved=false spelled out is the same thing
    expect(await queueIds(w.admin, { include_resolved: false })).toEqual(ids);
    // the order really is due_at, then created_at
    const keys = res.body.items.map((i: any) => [i.sla.due_at, i.job.created_at]);
    expect([...keys].sort((a, b) => (a[0] === b[0] ? a[1].localeCompare(b[1]) : a[0].localeCompare(b[0])))).toEqual(keys);
    expect(Date.parse(pay.job.created_at)).toBeLessThan(Date.parse(pw.job.created_at));
  });

  it("renders every field of the queue item, plus constraints and matched_rules", async () => {
    const res = await queue(oncall.token, { rule_id: "prod-write-gate" });
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(1);
    const item = res.body.items[0];
    expect(item).toEqual({
      job: {
        id: pw.job.id,
        state: "APPROVAL",
        topic: "job.config.update",
        risk_tags: ["prod", "write"],
        title: null,
        description: null,
        labels: {},
        payload: { key: "a" },
        created_at: expect.stringMatching(ISO),
        updated_at: expect.stringMatching(ISO),
        requested_by: "agent:deploy-bot",
        on_behalf_of: null,
        callback_url: null,
      },
      decision: "REQUIRE_APPROVAL",
      policy_snapshot: pw.policy_snapshot,
      policy_rule_id: "prod-write-gate",
      policy_reason: "Production writes require human approval",
      job_hash: pw.job_hash,
      approval_required: true,
      decision_summary: {
        title: "Review production change: job.config.update",
        why: "Production writes require human approval",
        next_effect: "Approve to continue deployment workflow",
      },
      requirements: [{ rule_id: "prod-write-gate", roles: ["service-owner", "oncall"], count: 1, approvals: 0 }],
      sla: { due_at: expect.stringMatching(ISO), expires_at: expect.stringMatching(ISO), escalated: false },
      can_act: true,
      resolution: null,
      resolved_by: null,
      resolved_comment: null,
      resolved_at: null,
      constraints: null,
      matched_rules: [{ id: "prod-write-gate", decision: "require_approval", reason: "Production writes require human approval" }],
    });
    const created = Date.parse(item.job.created_at);
    expect(Date.parse(item.sla.due_at) - created).toBe(30 * 60_000);
    expect(Date.parse(item.sla.expires_at) - created).toBe(4 * 3600_000);
    // the same rendering as GET /jobs/{id}
    const one = await call("GET", `/api/v1/jobs/${pw.job.id}`, { token: oncall.token });
    expect(one.status).toBe(200);
    expect(one.body).toEqual(item);
    // a caller without approvals:resolve never can_act
    const asAdmin = await queue(w.admin, { rule_id: "prod-write-gate" });
    expect(asAdmin.body.items[0].can_act).toBe(false);
  });

  it.each([
    ["topic", { topic: "job.payments.send" }, () => [pay.job.id]],
    ["topic, none", { topic: "job.nothing.here" }, () => []],
    ["risk_tag payment", { risk_tag: "payment" }, () => [pay.job.id]],
    ["risk_tag prod", { risk_tag: "prod" }, () => [pw.job.id]],
    ["rule_id prod-write-gate", { rule_id: "prod-write-gate" }, () => [pw.job.id]],
    ["rule_id default", { rule_id: "default" }, () => [dflt.job.id]],
    ["rule_id unknown", { rule_id: "no-such-rule" }, () => []],
    ["topic and risk_tag together", { topic: "job.config.update", risk_tag: "write" }, () => [pw.job.id]],
    ["topic and a tag it lacks", { topic: "job.config.update", risk_tag: "payment" }, () => []],
  ])("filter %s", async (_name, query, expected) => {
    expect(await queueIds(w.admin, query)).toEqual(expected());
  });

  it("include_resolved=true adds resolved jobs with their resolution (never policy-decided ones)", async () => {
    const res = await queue(w.admin, { include_resolved: true, limit: 200 });
    expect(res.status).toBe(200);
    const byId = new Map(res.body.items.map((i: any) => [i.job.id, i]));
    expect(new Set(byId.keys())).toEqual(new Set([pay.job.id, pw.job.id, dflt.job.id, approved.job.id, rejected.job.id]));
    expect(byId.has(allowed.job.id)).toBe(false);
    expect(byId.has(denied.job.id)).toBe(false);

    const a: any = byId.get(approved.job.id);
    expect(a.job.state).toBe("APPROVED");
    expect(a.resolution).toBe("approved");
    expect(a.resolved_by).toBe(oncall.email);
    expect(a.resolved_comment).toBe("ship it\nCHG-1");
    expect(a.resolved_at).toMatch(ISO);
    expect(a.can_act).toBe(false);
    expect(a.requirements[0].approvals).toBe(1);

    const r: any = byId.get(rejected.job.id);
    expect(r.job.state).toBe("REJECTED");
    expect(r.resolution).toBe("rejected");
    expect(r.resolved_by).toBe(oncall.email);
    expect(r.resolved_comment).toBe("wrong window");
    expect(r.resolved_at).toMatch(ISO);

    // filters still apply with history
    const hist = await queueIds(w.admin, { include_resolved: true, rule_id: "prod-write-gate" });
    expect(new Set(hist)).toEqual(new Set([pw.job.id, approved.job.id, rejected.job.id]));
  });

  it("never shows another tenant's jobs, and the other tenant never sees these", async () => {
    const mine = new Set(await queueIds(w.admin, { include_resolved: true }));
    const theirs = await queueIds(other.admin, { include_resolved: true });
    expect(theirs).toHaveLength(2);
    for (const id of theirs) expect(mine.has(id)).toBe(false);
    const theirsPending = await queueIds(other.admin);
    expect(theirsPending).toHaveLength(2);
    for (const id of theirsPending) expect(mine.has(id)).toBe(false);
    // the installation admin lives in the system tenant and sees none of them either
    const sys = new Set(await queueIds(ADMIN(), { include_resolved: true }));
    for (const id of [...mine, ...theirs]) expect(sys.has(id)).toBe(false);
  });
});

describe("queue: actionable=true", () => {
  let w: World;
  let fin1: Person, fin2: Person, finSelf: Person, finOwner: Person, oncall: Person, reviewer: Person, nobody: Person;
  let pay: any, payForSelf: any, payFromOwnedAgent: any, pw: any, dflt: any, resolved: any;

  beforeAll(async () => {
    w = await makeWorld("act");
    [fin1, fin2, finSelf, finOwner, oncall, reviewer, nobody] = await Promise.all([
      w.person(["finance"], "fin1"),
      w.person(["finance"], "fin2"),
      w.person(["finance"], "finself"),
      w.person(["finance"], "finowner"),
      w.person(["oncall"], "oncall"),
      w.person(["reviewer"], "reviewer"),
      w.person(["developer"], "nobody"),
    ]);
    const owned = await agentOwnedBy(w, finOwner);
    pay = await w.submit({ ...PAYMENT, payload: { n: 1 } });
    payForSelf = await w.submit({ ...PAYMENT, payload: { n: 2 }, on_behalf_of: finSelf.email });
    payFromOwnedAgent = await w.submit({ ...PAYMENT, payload: { n: 3 } }, { token: owned });
    pw = await w.submit({ ...PROD_WRITE, payload: { n: 4 } });
    dflt = await w.submit({ ...DEFAULT_GATED, payload: { n: 5 } });
    resolved = await w.submit({ ...PROD_WRITE, payload: { n: 6 } });
    expect((await approve(resolved.job.id, oncall.token)).status).toBe(200);
  });

  const set = (ids: string[]) => new Set(ids);

  it("shows only what each caller may still vote on", async () => {
    const cases: [string, () => Person | string, () => string[]][] = [
      ["finance", () => fin2, () => [pay.job.id, payForSelf.job.id, payFromOwnedAgent.job.id]],
      ["finance, on_behalf_of excluded", () => finSelf, () => [pay.job.id, payFromOwnedAgent.job.id]],
      ["finance, owner of submitting token excluded", () => finOwner, () => [pay.job.id, payForSelf.job.id]],
      ["oncall (resolved job excluded)", () => oncall, () => [pw.job.id]],
      ["reviewer", () => reviewer, () => [dflt.job.id]],
      ["no qualifying role", () => nobody, () => []],
      ["no approvals:resolve scope", () => w.admin, () => []],
    ];
    for (const [name, who, expected] of cases) {
      const p = who();
      const token = typeof p === "string" ? p : p.token;
      const res = await queue(token, { actionable: true, limit: 200 });
      expect(res.status, name).toBe(200);
      expect(set(res.body.items.map((i: any) => i.job.id)), name).toEqual(set(expected()));
      expect(res.body.items.every((i: any) => i.can_act === true), name).toBe(true);
      // can_act in the full list agrees with actionable
      const all = await queue(token, { limit: 200 });
      const acting = all.body.items.filter((i: any) => i.can_act).map((i: any) => i.job.id);
      expect(set(acting), name).toEqual(set(expected()));
    }
  });

  it("drops a job once the caller has voted on it, but not for other approvers", async () => {
    const r = await approve(pay.job.id, fin1.token);
    expect(r.status).toBe(200);
    expect(r.body.job.state).toBe("APPROVAL");
    const mine = await queueIds(fin1.token, { actionable: true });
    expect(mine).not.toContain(pay.job.id);
    expect(set(mine)).toEqual(set([payForSelf.job.id, payFromOwnedAgent.job.id]));
    expect(await queueIds(fin2.token, { actionable: true })).toContain(pay.job.id);
    // still pending for everyone else in the plain listing
    expect(await queueIds(fin1.token)).toContain(pay.job.id);
  });

  it("actionable also narrows include_resolved=true to what the caller may vote on", async () => {
    const ids = await queueIds(oncall.token, { actionable: true, include_resolved: true });
    expect(ids).toEqual([pw.job.id]);
  });
});

describe("queue: cursor pagination and query validation", () => {
  let w: World;
  let pendingIds: string[];
  let allGated: string[];

  beforeAll(async () => {
    w = await makeWorld("page");
    const oncall = await w.person(["oncall"], "oncall");
    const kinds = [PAYMENT, PROD_WRITE, DEFAULT_GATED, PROD_WRITE, PAYMENT, DEFAULT_GATED, PROD_WRITE, PAYMENT, DEFAULT_GATED, PROD_WRITE, PAYMENT, PROD_WRITE];
    const jobs: any[] = [];
    for (const [i, k] of kinds.entries()) jobs.push(await w.submit({ ...k, payload: { i } }));
    // two resolved, one policy-allowed: not pending
    expect((await approve(jobs[1].job.id, oncall.token)).status).toBe(200);
    expect((await reject(jobs[3].job.id, oncall.token)).status).toBe(200);
    await w.submit({ topic: "job.repo.read", risk_tags: [], payload: {} });
    pendingIds = jobs.map((j) => j.job.id).filter((_, i) => i !== 1 && i !== 3);
    allGated = jobs.map((j) => j.job.id);
  });

  it.each([1, 2, 3, 4, 5, 10, 11])("walks all pending pages with limit %i: no duplicates, no gaps, same order", async (limit) => {
    const full = await queueIds(w.admin);
    expect(new Set(full)).toEqual(new Set(pendingIds));
    const { ids, pages } = await walk(w.admin, limit);
    expect(ids).toEqual(full);
    expect(new Set(ids).size).toBe(ids.length);
    expect(pages.reduce((a, b) => a + b, 0)).toBe(pendingIds.length);
  });

  it.each([1, 3, 5, 12])("walks include_resolved=true pages with limit %i, newest first", async (limit) => {
    const full = await queueIds(w.admin, { include_resolved: true });
    expect(new Set(full)).toEqual(new Set(allGated));
    const created = (await queue(w.admin, { include_resolved: true, limit: 200 })).body.items.map((i: any) => i.job.created_at);
    expect([...created].sort().reverse()).toEqual(created);
    const { ids } = await walk(w.admin, limit, { include_resolved: true });
    expect(ids).toEqual(full);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("walks a filtered listing with the filter kept on every page", async () => {
    const full = await queueIds(w.admin, { risk_tag: "payment" });
    expect(full).toHaveLength(4);
    const { ids } = await walk(w.admin, 3, { risk_tag: "payment" });
    expect(ids).toEqual(full);
  });

  it("the last page answers next_cursor null, also when it is exactly full", async () => {
    const res = await queue(w.admin, { limit: pendingIds.length });
    expect(res.body.items).toHaveLength(pendingIds.length);
    expect(res.body.next_cursor).toBeNull();
  });

  it.each([
    ["garbage", () => "not-a-cursor"],
    ["base64 of junk", () => Buffer.from("{\"k\":\"p\"}").toString("base64url")],
    ["bad date inside", () => Buffer.from(JSON.stringify({ k: "p", d: "nope", c: "nope", i: "job-x" })).toString("base64url")],
    ["empty json", () => Buffer.from("{}").toString("base64url")],
  ])("bad cursor (%s) → 400 invalid_cursor", async (_n, cursor) => {
    expectProblem(await queue(w.admin, { cursor: cursor() }), 400, "invalid_cursor");
    expectProblem(await queue(w.admin, { cursor: cursor(), include_resolved: true }), 400, "invalid_cursor");
  });

  it("a cursor from one listing is refused by the other", async () => {
    const pending = await queue(w.admin, { limit: 2 });
    const history = await queue(w.admin, { limit: 2, include_resolved: true });
    expect(pending.body.next_cursor).toBeTruthy();
    expect(history.body.next_cursor).toBeTruthy();
    expectProblem(await queue(w.admin, { cursor: pending.body.next_cursor, include_resolved: true }), 400, "invalid_cursor");
    expectProblem(await queue(w.admin, { cursor: history.body.next_cursor }), 400, "invalid_cursor");
  });

  it.each([
    ["limit 0", { limit: 0 }],
    ["limit 201", { limit: 201 }],
    ["limit -1", { limit: -1 }],
    ["limit 1.5", { limit: 1.5 }],
    ["limit abc", { limit: "abc" }],
    ["unknown param", { state: "APPROVED" }],
    ["include_resolved yes", { include_resolved: "yes" }],
    ["actionable 1", { actionable: 1 }],
    ["topic uppercase", { topic: "Job.Payments" }],
    ["risk_tag with dot", { risk_tag: "a.b" }],
  ])("%s → 400 validation_failed", async (_n, query) => {
    expectProblem(await queue(w.admin, query as any), 400, "validation_failed");
  });

  it.each([1, 200])("limit %i is accepted", async (limit) => {
    const res = await queue(w.admin, { limit });
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBe(Math.min(limit, pendingIds.length));
  });

  it("the queue needs approvals:read", async () => {
    const agentRes = await queue(w.agent);
    expectProblem(agentRes, 403, "insufficient_scope");
    const anon = await call("GET", "/api/v1/approvals");
    expectProblem(anon, 401, "unauthenticated");
  });
});

// ---------------------------------------------------------------------------------------------
// Resolving: one test per error code, and nothing changes when it fails
// ---------------------------------------------------------------------------------------------

describe("resolving: errors leave the job exactly as it was", () => {
  let w: World;
  let other: World;
  let fin1: Person, oncall: Person, dev: Person, otherOncall: Person;

  beforeAll(async () => {
    w = await makeWorld("resolve");
    other = await makeWorld("rother");
    [fin1, , oncall, dev] = await Promise.all([
      w.person(["finance"], "fin1"),
      w.person(["finance"], "fin2"),
      w.person(["oncall"], "oncall"),
      w.person(["developer"], "dev"),
    ]);
    otherOncall = await other.person(["oncall", "finance", "reviewer"], "otheroncall");
  });

  /** Run `attempt` (both approve and reject), assert the problem, and that nothing at all changed. */
  async function refused(jobId: string, status: number, code: string, attempt: (kind: "approve" | "reject") => Promise<CallResult>, admin = w.admin) {
    const before = await observe(admin, jobId);
    for (const kind of ["approve", "reject"] as const) {
      expectProblem(await attempt(kind), status, code);
    }
    expect(await observe(admin, jobId)).toEqual(before);
    return before;
  }

  it("404 not_found: unknown id", async () => {
    for (const id of ["job-01JZZZZZZZZZZZZZZZZZZZZZZZ", "nope", "' or 1=1 --"]) {
      for (const kind of ["approve", "reject"] as const) expectProblem(await vote(kind, id, oncall.token, { reason: "x" }), 404, "not_found");
    }
  });

  it("404 not_found: another tenant's job, exactly as an unknown id", async () => {
    const foreign = await other.submit({ ...PROD_WRITE, payload: { foreign: true } });
    const mine = await w.submit({ ...PROD_WRITE, payload: { mine: true } });
    // w's person on other's job
    await refused(foreign.job.id, 404, "not_found", (k) => vote(k, foreign.job.id, oncall.token, { reason: "x", job_hash: foreign.job_hash }), other.admin);
    // other's person on w's job
    await refused(mine.job.id, 404, "not_found", (k) => vote(k, mine.job.id, otherOncall.token, { reason: "x" }));
    const unknown = await approve("job-01JZZZZZZZZZZZZZZZZZZZZZZZ", oncall.token);
    const foreignRes = await approve(foreign.job.id, oncall.token);
    expect(foreignRes.body.detail).toBe(unknown.body.detail);
    expect(foreignRes.body.title).toBe(unknown.body.title);
  });

  it("403 self_approval: the voter is the job's on_behalf_of", async () => {
    const job = await w.submit({ ...PAYMENT, payload: { obo: 1 }, on_behalf_of: fin1.email.toUpperCase() });
    await refused(job.job.id, 403, "self_approval", (k) => vote(k, job.job.id, fin1.token, { reason: "mine" }));
    // The refusal says which of the three cases applies.
    expect((await vote("approve", job.job.id, fin1.token, { reason: "mine" })).body.detail).toMatch(/made on your behalf/);
  });

  it("403 self_approval: the voter owns the submitting agent token", async () => {
    // the fixture's owner has no qualifying role: still self_approval, not role_required
    const job = await w.submit({ ...PROD_WRITE, payload: { own: 1 } });
    await refused(job.job.id, 403, "self_approval", (k) => vote(k, job.job.id, w.agentOwner.token, { reason: "mine" }));
    // an owner who does hold the role
    const owner = await w.person(["finance"], "owner-fin");
    const owned = await agentOwnedBy(w, owner, ["jobs:submit", "jobs:read"], "fin-bot");
    const pay = await w.submit({ ...PAYMENT, payload: { own: 2 } }, { token: owned });
    await refused(pay.job.id, 403, "self_approval", (k) => vote(k, pay.job.id, owner.token, { reason: "mine" }));
    expect((await vote("approve", pay.job.id, owner.token, { reason: "mine" })).body.detail).toMatch(/made by fin-bot, an agent you answer for/);
  });

  it("403 role_required: the voter holds none of the roles", async () => {
    const job = await w.submit({ ...PAYMENT, payload: { role: 1 } });
    await refused(job.job.id, 403, "role_required", (k) => vote(k, job.job.id, dev.token, { reason: "x" }));
    await refused(job.job.id, 403, "role_required", (k) => vote(k, job.job.id, oncall.token, { reason: "x" }));
  });

  it("403 agent_cannot_resolve: an agent token (even with approvals:read) and the installation admin token", async () => {
    const job = await w.submit({ ...PROD_WRITE, payload: { agent: 1 } });
    const reader = await agentOwnedBy(w, dev, ["jobs:read", "approvals:read"], "reader-bot");
    // an agent can read the queue ...
    expect((await queue(reader)).status).toBe(200);
    // ... but can never resolve, whichever agent token it is
    await refused(job.job.id, 403, "agent_cannot_resolve", (k) => vote(k, job.job.id, reader, { reason: "x", job_hash: job.job_hash }));
    await refused(job.job.id, 403, "agent_cannot_resolve", (k) => vote(k, job.job.id, w.agent, { reason: "x" }));
    // an agent token can never even be given approvals:resolve
    const tok = await call("POST", "/api/v1/admin/tokens", {
      token: ADMIN(),
      body: { tenant: w.tenant, kind: "agent", name: "greedy-bot", scopes: ["approvals:resolve"], owner_email: dev.email },
    });
    expectProblem(tok, 400, "validation_failed");
    // the installation admin token is not a person either
    await refused(job.job.id, 403, "agent_cannot_resolve", (k) => vote(k, job.job.id, ADMIN(), { reason: "x" }));
  });

  it("403 insufficient_scope: a person whose token lacks approvals:resolve", async () => {
    const job = await w.submit({ ...PROD_WRITE, payload: { scope: 1 } });
    await refused(job.job.id, 403, "insufficient_scope", (k) => vote(k, job.job.id, w.admin, { reason: "x" }));
  });

  it("401 unauthenticated: no token, or an unknown one", async () => {
    const job = await w.submit({ ...PROD_WRITE, payload: { anon: 1 } });
    await refused(job.job.id, 401, "unauthenticated", (k) =>
      call("POST", `/api/v1/approvals/${job.job.id}/${k}`, { body: { reason: "x" } }),
    );
    await refused(job.job.id, 401, "unauthenticated", (k) => vote(k, job.job.id, "cs_not_a_real_token", { reason: "x" }));
  });

  it.each([
    ["approved by a person", "approved"],
    ["rejected by a person", "rejected"],
    ["cancelled by the agent", "cancelled"],
    ["approved by the policy", "allowed"],
    ["denied by the policy", "denied"],
  ])("409 already_resolved: %s", async (_n, how) => {
    let job: any;
    if (how === "allowed") job = await w.submit({ topic: "job.repo.read", risk_tags: [], payload: { how } });
    else if (how === "denied") job = await w.submit({ topic: "job.db.drop", risk_tags: ["prod"], payload: { how } });
    else {
      job = await w.submit({ ...PROD_WRITE, payload: { how } });
      const other2 = await w.person(["oncall"], "first");
      if (how === "approved") expect((await approve(job.job.id, other2.token)).status).toBe(200);
      if (how === "rejected") expect((await reject(job.job.id, other2.token)).status).toBe(200);
      if (how === "cancelled") expect((await call("POST", `/api/v1/jobs/${job.job.id}/cancel`, { token: w.agent, body: {} })).status).toBe(200);
    }
    await refused(job.job.id, 409, "already_resolved", (k) => vote(k, job.job.id, oncall.token, { reason: "late" }));
  });

  it("409 already_voted: the same person twice on a dual-approval job", async () => {
    const job = await w.submit({ ...PAYMENT, payload: { twice: 1 } });
    const first = await approve(job.job.id, fin1.token, { reason: "first" });
    expect(first.status).toBe(200);
    expect(first.body.job.state).toBe("APPROVAL");
    const after = await refused(job.job.id, 409, "already_voted", (k) => vote(k, job.job.id, fin1.token, { reason: "again" }));
    expect(after.votes).toHaveLength(1);
    expect(after.requirements[0].approvals).toBe(1);
  });

  it("409 stale_request: job_hash differs", async () => {
    const job = await w.submit({ ...PROD_WRITE, payload: { stale: 1 } });
    const twin = await w.submit({ ...PROD_WRITE, payload: { stale: 2 } });
    for (const hash of ["0".repeat(64), twin.job_hash, job.job_hash.toUpperCase(), ""]) {
      await refused(job.job.id, 409, "stale_request", (k) => vote(k, job.job.id, oncall.token, { reason: "x", job_hash: hash }));
    }
    // the right hash and snapshot pass
    const ok = await approve(job.job.id, oncall.token, { reason: "x", job_hash: job.job_hash, policy_snapshot: job.policy_snapshot });
    expect(ok.status).toBe(200);
    expect(ok.body.job.state).toBe("APPROVED");
  });

  it("409 stale_snapshot: policy_snapshot differs", async () => {
    const job = await w.submit({ ...PROD_WRITE, payload: { snap: 1 } });
    const wrong = `cfg:${w.tenant}:policy#sha256:${"a".repeat(64)}`;
    for (const snap of [wrong, `cfg:${other.tenant}:policy#sha256:${"a".repeat(64)}`, ""]) {
      await refused(job.job.id, 409, "stale_snapshot", (k) =>
        vote(k, job.job.id, oncall.token, { reason: "x", job_hash: job.job_hash, policy_snapshot: snap }),
      );
    }
  });

  describe("400 validation_failed", () => {
    let job: any;
    beforeAll(async () => {
      job = await w.submit({ ...PROD_WRITE, payload: { validation: 1 } });
    });
    it.each([
      ["missing reason", {}],
      ["empty reason", { reason: "" }],
      ["reason of only spaces", { reason: "     " }],
      ["reason of only whitespace", { reason: " \t\n " }],
      ["reason over 1000 chars", { reason: "x".repeat(1001) }],
      ["reason with NUL", { reason: "ok\u0000" }],
      ["reason with BEL", { reason: "ok\u0007" }],
      ["reason with ESC", { reason: "\u001b[31mred" }],
      ["reason with DEL", { reason: "ok\u007f" }],
      ["reason with a C1 control", { reason: "ok\u0085" }],
      ["reason over two lines", { reason: "first\nsecond" }],
      ["reason with a tab", { reason: "a\tb" }],
      ["reason not a string", { reason: 42 }],
      ["note over 4000 chars", { reason: "ok", note: "n".repeat(4001) }],
      ["note with control char", { reason: "ok", note: "a\u0001b" }],
      ["unknown field", { reason: "ok", approve: true }],
      ["job_hash not a string", { reason: "ok", job_hash: 1 }],
      ["array body", [{ reason: "ok" }]],
    ])("%s", async (_n, body) => {
      await refused(job.job.id, 400, "validation_failed", (k) => vote(k, job.job.id, oncall.token, body));
    });
  });

  it.each([
    ["reason is trimmed", { reason: "  fine  " }, "fine"],
    ["reason of exactly 1000 chars", { reason: "r".repeat(1000) }, "r".repeat(1000)],
    ["reason of 1000 chars after trimming", { reason: `  ${"t".repeat(1000)}  ` }, "t".repeat(1000)],
    ["tab and newline in the note are kept", { reason: "ok", note: "line one\n\tline two" }, "ok\nline one\n\tline two"],
    ["note of 4000 chars", { reason: "ok", note: "n".repeat(4000) }, `ok\n${"n".repeat(4000)}`],
  ])("accepted: %s", async (_n, body, comment) => {
    const job = await w.submit({ ...PROD_WRITE, payload: { accepted: _n } });
    const res = await approve(job.job.id, oncall.token, body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.resolved_comment).toBe(comment);
  });
});

describe("resolving after a policy change: stale_snapshot", () => {
  let w: World;
  let oncall: Person;
  beforeAll(async () => {
    w = await makeWorld("snap");
    oncall = await w.person(["oncall"], "oncall");
  });

  it("the old snapshot answers stale_snapshot once a PUT /policy re-decided the job; the new one is accepted", async () => {
    const job = await w.submit({ ...PROD_WRITE, payload: { v: 1 } });
    const oldSnap = job.policy_snapshot;
    const changed = DEFAULT_POLICY_YAML.replace('reason: "Production writes require human approval"', 'reason: "Production writes need a human"');
    expect(changed).not.toBe(DEFAULT_POLICY_YAML);
    await activatePolicy(w, changed);

    const now = await call("GET", `/api/v1/jobs/${job.job.id}`, { token: w.admin });
    expect(now.body.job.state).toBe("APPROVAL");
    const newSnap = now.body.policy_snapshot;
    expect(newSnap).not.toBe(oldSnap);
    expect(newSnap).toMatch(new RegExp(`^cfg:${w.tenant}:policy#sha256:[0-9a-f]{64}$`));
    expect(now.body.policy_reason).toBe("Production writes need a human");

    const before = await observe(w.admin, job.job.id);
    expect(before.decisions).toBe(2);
    for (const kind of ["approve", "reject"] as const) {
      const res = await vote(kind, job.job.id, oncall.token, { reason: "x", job_hash: job.job_hash, policy_snapshot: oldSnap });
      expectProblem(res, 409, "stale_snapshot");
    }
    expect(await observe(w.admin, job.job.id)).toEqual(before);

    const ok = await approve(job.job.id, oncall.token, { reason: "seen the new policy", job_hash: job.job_hash, policy_snapshot: newSnap });
    expect(ok.status).toBe(200);
    expect(ok.body.job.state).toBe("APPROVED");
    expect(ok.body.policy_snapshot).toBe(newSnap);
    // and the approved job can be claimed under that snapshot
    const claim = await call("POST", `/api/v1/jobs/${job.job.id}/claim`, { token: w.agent, body: { job_hash: job.job_hash } });
    expect(claim.status).toBe(200);
    expect(claim.body.policy_snapshot).toBe(newSnap);
  });
});

describe("resolving after the cutoff: expired", () => {
  let w: World;
  let reviewer: Person;
  beforeAll(async () => {
    w = await makeWorld("exp");
    reviewer = await w.person(["reviewer"], "reviewer");
    await activatePolicy(
      w,
      `version: v1
defaults:
  decision: require_approval
rules:
  - id: quick
    match:
      topics: ["job.quick.*"]
    decision: require_approval
    reason: "Quick decisions only"
    approvers: { roles: [reviewer], count: 1 }
    cutoff: 1s
`,
    );
  });

  it("a vote after expires_at answers 409 expired, and the job reads EXPIRED by system:sla", async () => {
    const job = await w.submit({ topic: "job.quick.thing", risk_tags: [], payload: { q: 1 } });
    const slow = await w.submit({ topic: "job.slow.thing", risk_tags: [], payload: { q: 2 } });
    expect(job.job.state).toBe("APPROVAL");
    expect(Date.parse(job.sla.expires_at) - Date.parse(job.job.created_at)).toBe(1000);
    expect(await queueIds(w.admin)).toContain(job.job.id);

    await new Promise((r) => setTimeout(r, 1200));

    // no longer in the pending queue, even before anyone touched it
    const pending = await queueIds(w.admin);
    expect(pending).not.toContain(job.job.id);
    expect(pending).toContain(slow.job.id);

    for (const kind of ["approve", "reject"] as const) {
      const res = await vote(kind, job.job.id, reviewer.token, { reason: "too late", job_hash: job.job_hash, policy_snapshot: job.policy_snapshot });
      expectProblem(res, 409, "expired");
    }

    const got = await call("GET", `/api/v1/jobs/${job.job.id}`, { token: w.admin });
    expect(got.status).toBe(200);
    expect(got.body.job.state).toBe("EXPIRED");
    expect(got.body.resolution).toBe("expired");
    expect(got.body.resolved_by).toBe("system:sla");
    expect(got.body.resolved_at).toBe(job.sla.expires_at);

    const log = await observe(w.admin, job.job.id);
    expect(log.votes).toEqual([]);
    expect(log.audit.filter((e: string) => e.endsWith(":job.expired"))).toHaveLength(1);
    expect(log.audit.some((e: string) => e.endsWith(":vote.cast"))).toBe(false);

    // history shows it as expired
    const hist = (await queue(w.admin, { include_resolved: true, limit: 200 })).body.items.find((i: any) => i.job.id === job.job.id);
    expect(hist).toMatchObject({ resolution: "expired", resolved_by: "system:sla" });

    // and the other job is still approvable
    const ok = await approve(slow.job.id, reviewer.token);
    expect(ok.status).toBe(200);
  });
});

// ---------------------------------------------------------------------------------------------
// Semantics
// ---------------------------------------------------------------------------------------------

describe("resolving: semantics", () => {
  let w: World;
  let fin1: Person, fin2: Person, fin3: Person, oncall: Person, finOncall: Person, dev: Person;

  beforeAll(async () => {
    w = await makeWorld("sem");
    [fin1, fin2, fin3, oncall, finOncall, dev] = await Promise.all([
      w.person(["finance"], "fin1"),
      w.person(["finance"], "fin2"),
      w.person(["finance"], "fin3"),
      w.person(["oncall"], "oncall"),
      w.person(["finance", "oncall"], "finoncall"),
      w.person(["developer"], "dev"),
    ]);
  });

  it("a payment needs two distinct finance approvers", async () => {
    const job = await w.submit({ ...PAYMENT, payload: { amount: 100 } });
    const first = await approve(job.job.id, fin1.token, { reason: "invoice matches", job_hash: job.job_hash, policy_snapshot: job.policy_snapshot });
    expect(first.status).toBe(200);
    expect(first.body.job.state).toBe("APPROVAL");
    expect(first.body.resolution).toBeNull();
    expect(first.body.resolved_by).toBeNull();
    expect(first.body.requirements).toEqual([{ rule_id: "payment-gate", roles: ["finance"], count: 2, approvals: 1 }]);
    expect(first.body.missing).toEqual([{ rule_id: "payment-gate", roles: ["finance"], needed: 1 }]);
    expect(first.body.vote).toEqual({ vote: "approve", reason: "invoice matches", note: null });
    expect(first.body.can_act).toBe(false);

    const second = await approve(job.job.id, fin2.token, { reason: "second pair of eyes", note: "PO-7" });
    expect(second.status).toBe(200);
    expect(second.body.job.state).toBe("APPROVED");
    expect(second.body.resolution).toBe("approved");
    expect(second.body.resolved_by).toBe(fin2.email);
    expect(second.body.resolved_comment).toBe("second pair of eyes\nPO-7");
    expect(second.body.resolved_at).toMatch(ISO);
    expect(second.body.requirements[0].approvals).toBe(2);
    expect(second.body.missing).toEqual([]);

    const log = await observe(w.admin, job.job.id);
    expect(log.votes.map((v: any) => [v.voter, v.vote])).toEqual([[fin1.email, "approve"], [fin2.email, "approve"]]);
    expect(log).toMatchObject({ resolution: "approved", resolved_by: fin2.email });
    expect(log.audit.filter((e: string) => e.endsWith(":vote.cast"))).toHaveLength(2);
    expect(log.audit.filter((e: string) => e.endsWith(":job.approved"))).toHaveLength(1);

    // a third vote is too late
    expectProblem(await approve(job.job.id, fin3.token), 409, "already_resolved");
  });

  it("a job matching two approval rules needs every requirement met", async () => {
    const job = await w.submit({ ...PROD_WRITE_PAYMENT, payload: { both: 1 } });
    expect(job.job.state).toBe("APPROVAL");
    expect(job.matched_rules).toEqual([
      { id: "prod-write-gate", decision: "require_approval", reason: "Production writes require human approval" },
      { id: "payment-gate", decision: "require_approval", reason: "Financial operations require dual approval" },
    ]);
    expect(job.requirements).toEqual([
      { rule_id: "prod-write-gate", roles: ["service-owner", "oncall"], count: 1, approvals: 0 },
      { rule_id: "payment-gate", roles: ["finance"], count: 2, approvals: 0 },
    ]);
    // the shortest SLA of the matching approval rules (30m), the shortest cutoff (4h)
    expect(Date.parse(job.sla.due_at) - Date.parse(job.job.created_at)).toBe(30 * 60_000);
    expect(Date.parse(job.sla.expires_at) - Date.parse(job.job.created_at)).toBe(4 * 3600_000);

    const a = await approve(job.job.id, fin1.token);
    expect(a.status).toBe(200);
    expect(a.body.job.state).toBe("APPROVAL");
    expect(a.body.requirements.map((r: any) => r.approvals)).toEqual([0, 1]);
    expect(a.body.missing).toEqual([
      { rule_id: "prod-write-gate", roles: ["service-owner", "oncall"], needed: 1 },
      { rule_id: "payment-gate", roles: ["finance"], needed: 1 },
    ]);

    const b = await approve(job.job.id, fin2.token);
    expect(b.status).toBe(200);
    expect(b.body.job.state).toBe("APPROVAL"); // payment met, prod-write not
    expect(b.body.requirements.map((r: any) => r.approvals)).toEqual([0, 2]);
    expect(b.body.missing).toEqual([{ rule_id: "prod-write-gate", roles: ["service-owner", "oncall"], needed: 1 }]);

    const c = await approve(job.job.id, oncall.token);
    expect(c.status).toBe(200);
    expect(c.body.job.state).toBe("APPROVED");
    expect(c.body.resolved_by).toBe(oncall.email);
    expect(c.body.requirements.map((r: any) => r.approvals)).toEqual([1, 2]);
  });

  it("one vote from someone holding both roles counts toward both requirements", async () => {
    const job = await w.submit({ ...PROD_WRITE_PAYMENT, payload: { both: 2 } });
    const a = await approve(job.job.id, finOncall.token);
    expect(a.body.job.state).toBe("APPROVAL");
    expect(a.body.requirements.map((r: any) => r.approvals)).toEqual([1, 1]);
    expect(a.body.missing).toEqual([{ rule_id: "payment-gate", roles: ["finance"], needed: 1 }]);
    const b = await approve(job.job.id, fin1.token);
    expect(b.body.job.state).toBe("APPROVED");
    expect(b.body.resolved_by).toBe(fin1.email);
  });

  it("one qualified reject ends a dual-approval job as REJECTED", async () => {
    const job = await w.submit({ ...PAYMENT, payload: { reject: 1 } });
    expect((await approve(job.job.id, fin1.token)).status).toBe(200);
    const r = await reject(job.job.id, fin2.token, { reason: "wrong account", note: "IBAN mismatch" });
    expect(r.status).toBe(200);
    expect(r.body.job.state).toBe("REJECTED");
    expect(r.body.resolution).toBe("rejected");
    expect(r.body.resolved_by).toBe(fin2.email);
    expect(r.body.resolved_comment).toBe("wrong account\nIBAN mismatch");
    expect(r.body.missing).toEqual([]);
    const log = await observe(w.admin, job.job.id);
    expect(log.votes.map((v: any) => v.vote)).toEqual(["approve", "reject"]);
    expect(log.audit.filter((e: string) => e.endsWith(":job.rejected"))).toHaveLength(1);
    expect(log.audit.filter((e: string) => e.endsWith(":job.approved"))).toHaveLength(0);
    expectProblem(await approve(job.job.id, fin3.token), 409, "already_resolved");
  });

  it("a first-vote reject ends a two-rule job too", async () => {
    const job = await w.submit({ ...PROD_WRITE_PAYMENT, payload: { reject: 2 } });
    const r = await reject(job.job.id, oncall.token, { reason: "not during freeze" });
    expect(r.status).toBe(200);
    expect(r.body.job.state).toBe("REJECTED");
  });

  it("an unqualified person's reject is 403 role_required and changes nothing", async () => {
    const job = await w.submit({ ...PAYMENT, payload: { reject: 3 } });
    const before = await observe(w.admin, job.job.id);
    expectProblem(await reject(job.job.id, dev.token, { reason: "I object" }), 403, "role_required");
    expectProblem(await reject(job.job.id, oncall.token, { reason: "I object" }), 403, "role_required");
    expect(await observe(w.admin, job.job.id)).toEqual(before);
    expect(before.state).toBe("APPROVAL");
  });
});

// ---------------------------------------------------------------------------------------------
// Races
// ---------------------------------------------------------------------------------------------

describe("races", () => {
  const ITERATIONS = 5;
  let w: World;
  let finance: Person[];
  let oncalls: Person[];

  beforeAll(async () => {
    w = await makeWorld("race");
    finance = [];
    for (let i = 0; i < 30; i += 10) {
      finance.push(...(await Promise.all(Array.from({ length: 10 }, (_, j) => w.person(["finance"], `fin${i + j}`)))));
    }
    oncalls = await Promise.all([w.person(["oncall"], "oc-a"), w.person(["oncall"], "oc-b")]);
  });

  it(`30 finance reviewers approve one payment at once: exactly 2 votes count (${ITERATIONS}×)`, async () => {
    for (let it = 0; it < ITERATIONS; it++) {
      const job = await w.submit({ ...PAYMENT, payload: { race: it } });
      const results = await Promise.all(finance.map((p) => approve(job.job.id, p.token, { reason: `go ${it}` })));
      const ok = results.filter((r) => r.status === 200);
      const refused = results.filter((r) => r.status !== 200);
      expect(ok, JSON.stringify(refused.filter((r) => r.status !== 409).map((r) => r.body))).toHaveLength(2);
      for (const r of refused) expectProblem(r, 409, "already_resolved");
      expect(ok.map((r) => r.body.job.state).sort()).toEqual(["APPROVAL", "APPROVED"]);
      const winner = ok.find((r) => r.body.job.state === "APPROVED")!;

      const log = await observe(w.admin, job.job.id);
      expect(log.state).toBe("APPROVED");
      expect(log.votes).toHaveLength(2);
      expect(new Set(log.votes.map((v: any) => v.voter)).size).toBe(2);
      expect(log.requirements[0].approvals).toBe(2);
      expect(log.resolved_by).toBe(winner.body.resolved_by);
      expect(log.resolved_by).toBe(log.votes[1].voter);

      expect(await auditOf(w.admin, job.job.id, "job.approved")).toHaveLength(1);
      expect(await auditOf(w.admin, job.job.id, "vote.cast")).toHaveLength(2);
    }
  });

  it(`approve and reject race on a single-approver job: exactly one terminal state (${ITERATIONS}×)`, async () => {
    for (let it = 0; it < ITERATIONS; it++) {
      const job = await w.submit({ ...PROD_WRITE, payload: { race: it } });
      const [a, r] = await Promise.all([
        approve(job.job.id, oncalls[it % 2]!.token, { reason: "yes" }),
        reject(job.job.id, oncalls[(it + 1) % 2]!.token, { reason: "no" }),
      ]);
      const ok = [a, r].filter((x) => x.status === 200);
      expect(ok).toHaveLength(1);
      const loser = [a, r].find((x) => x.status !== 200)!;
      expectProblem(loser, 409, "already_resolved");
      const expected = ok[0] === a ? "APPROVED" : "REJECTED";

      const log = await observe(w.admin, job.job.id);
      expect(log.state).toBe(expected);
      expect(log.votes).toHaveLength(1);
      const approvedEv = await auditOf(w.admin, job.job.id, "job.approved");
      const rejectedEv = await auditOf(w.admin, job.job.id, "job.rejected");
      expect(approvedEv.length + rejectedEv.length).toBe(1);
      expect(expected === "APPROVED" ? approvedEv.length : rejectedEv.length).toBe(1);
    }
  });

  it(`the same person racing themselves votes once (${ITERATIONS}×)`, async () => {
    for (let it = 0; it < ITERATIONS; it++) {
      const job = await w.submit({ ...PAYMENT, payload: { self: it } });
      const results = await Promise.all(Array.from({ length: 8 }, () => approve(job.job.id, finance[0]!.token, { reason: "dup" })));
      expect(results.filter((r) => r.status === 200)).toHaveLength(1);
      for (const r of results.filter((x) => x.status !== 200)) expectProblem(r, 409, "already_voted");
      const log = await observe(w.admin, job.job.id);
      expect(log.state).toBe("APPROVAL");
      expect(log.votes).toHaveLength(1);
    }
  });

  it("the audit chain verifies after the races", async () => {
    const v = await call("GET", "/api/v1/audit/verify", { token: w.admin });
    expect(v.status).toBe(200);
    expect(v.body.ok).toBe(true);
  });
});
