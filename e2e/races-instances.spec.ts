import { expect, test } from "@playwright/test";
import { E2E_ADMIN_TOKEN } from "../playwright.config";
import { ownToken } from "./support/own-token";

const PASSWORD = "e2e-password-123";

// Races across the two production instances on one database (scripts/e2e-server.mjs: ports PORT and
// PORT+1): requests for the same job alternate between them. Nothing may depend on in-process state,
// so each round must end with exactly one outcome, the right counted votes, one audit event per
// transition, and a chain that verifies from either instance.

const ROUNDS = 12;
const REVIEWERS = 20;

interface Answer {
  status: number;
  body: any;
}

async function api(base: string, method: string, path: string, token: string, body?: unknown): Promise<Answer> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // keep the text
  }
  return { status: res.status, body: parsed };
}

const limited = (a: Answer) => a.status === 429 && a.body?.code === "rate_limited";

/** For setup and read-backs only: a per-token rate limit is waited out. */
async function must(base: string, method: string, path: string, token: string, body?: unknown): Promise<Answer> {
  for (let attempt = 0; ; attempt++) {
    const a = await api(base, method, path, token, body);
    if (!limited(a) || attempt >= 20) return a;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

async function instances(baseURL: string): Promise<[string, string]> {
  const url = new URL(baseURL);
  const first = url.origin;
  url.port = String(Number(url.port) + 1);
  const second = url.origin;
  await expect.poll(async () => (await fetch(`${second}/api/health`).catch(() => null))?.status ?? 0, { timeout: 60_000 }).toBe(200);
  return [first, second];
}

interface Reviewer {
  email: string;
  token: string;
}

/** A tenant of its own, provisioned half through each instance. */
async function provision(bases: [string, string]) {
  const tenant = `races-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
  expect((await must(bases[0], "POST", "/api/v1/admin/tenants", E2E_ADMIN_TOKEN, { id: tenant })).status).toBe(201);
  const reviewers: Reviewer[] = [];
  for (let start = 0; start < REVIEWERS; start += 5) {
    reviewers.push(
      ...(await Promise.all(
        Array.from({ length: 5 }, async (_, k) => {
          const i = start + k;
          const base = bases[i % 2]!;
          const email = `rev-${i}@${tenant}.example`;
          // Security too, so that their own token may read the audit trail.
          const user = await must(base, "POST", "/api/v1/admin/users", E2E_ADMIN_TOKEN, { tenant, email, roles: ["oncall", "finance", "security"], password: PASSWORD });
          expect(user.status, JSON.stringify(user.body)).toBe(201);
          // Their own token, minted with their own session: nobody else may mint one that approves.
          const token = await ownToken(base, { id: user.body.id, email, password: PASSWORD }, { name: email, scopes: ["approvals:read", "approvals:resolve", "jobs:read", "audit:read"] });
          return { email, token };
        }),
      )),
    );
  }
  const agents: string[] = [];
  for (const [i, base] of bases.entries()) {
    const tok = await must(base, "POST", "/api/v1/admin/tokens", E2E_ADMIN_TOKEN, {
      tenant,
      kind: "agent",
      name: `bot-${i}`,
      scopes: ["jobs:submit", "jobs:read", "jobs:execute"],
    });
    expect(tok.status, JSON.stringify(tok.body)).toBe(201);
    agents.push(tok.body.token as string);
  }
  let n = 0;
  const reader = () => reviewers[n++ % reviewers.length]!.token;
  return { tenant, reviewers, agents, reader };
}

async function auditTypes(base: string, token: string, jobId: string): Promise<string[]> {
  const res = await must(base, "GET", `/api/v1/audit?job_id=${jobId}&limit=1000`, token);
  expect(res.status).toBe(200);
  return res.body.items.map((e: { type: string }) => e.type);
}

async function verifyBoth(bases: [string, string], token: string) {
  for (const base of bases) {
    const v = await must(base, "GET", "/api/v1/audit/verify", token);
    expect(v.status).toBe(200);
    expect(v.body, JSON.stringify(v.body)).toMatchObject({ ok: true, first_broken: null });
  }
}

function refusedWith(answers: Answer[], code: string) {
  for (const a of answers) {
    expect(a.status, JSON.stringify(a.body)).toBe(409);
    expect(a.body.code).toBe(code);
  }
}

test.describe.configure({ timeout: 120_000 });

test(`one job voted on through both instances at once: one outcome, the counted votes the rule needs (${ROUNDS} rounds)`, async ({ baseURL }) => {
  const bases = await instances(baseURL!);
  const { reviewers, agents, reader } = await provision(bases);

  for (let round = 0; round < ROUNDS; round++) {
    // Single approver (prod-write-gate: 1 of service-owner/oncall) and dual (payment-gate: 2 finance), side by side.
    const [single, dual] = await Promise.all([
      must(bases[round % 2]!, "POST", "/api/v1/jobs", agents[0]!, { topic: "job.config.update", risk_tags: ["prod", "write"], payload: { round } }),
      must(bases[(round + 1) % 2]!, "POST", "/api/v1/jobs", agents[1]!, { topic: "job.payments.send", risk_tags: ["payment"], payload: { round } }),
    ]);
    expect(single.status).toBe(201);
    expect(dual.status).toBe(201);

    const castAll = (jobId: string, offset: number) =>
      Promise.all(reviewers.map((r, i) => api(bases[(i + offset) % 2]!, "POST", `/api/v1/approvals/${jobId}/approve`, r.token, { reason: `round ${round}` })));
    const [singleAnswers, dualAnswers] = await Promise.all([castAll(single.body.job.id, round), castAll(dual.body.job.id, round + 1)]);

    for (const [job, answers, needed] of [
      [single.body, singleAnswers, 1],
      [dual.body, dualAnswers, 2],
    ] as const) {
      for (const a of answers) expect(a.status, JSON.stringify(a.body)).toBeLessThan(500);
      const ok = answers.filter((a) => a.status === 200);
      expect(ok, `round ${round}, ${job.job.topic}`).toHaveLength(needed);
      expect(ok.filter((a) => a.body.job.state === "APPROVED")).toHaveLength(1);
      refusedWith(
        answers.filter((a) => a.status !== 200 && !limited(a)),
        "already_resolved",
      );
      const winners = ok.map((a) => reviewers[answers.indexOf(a)]!.email).sort();

      // Read back through the other instance than the job was submitted to.
      const base = bases[(round + 1) % 2]!;
      const d = await must(base, "GET", `/api/v1/jobs/${job.job.id}/decisions`, reader());
      expect(d.status).toBe(200);
      expect(d.body.job.job.state).toBe("APPROVED");
      expect(d.body.votes.map((v: { voter: string }) => v.voter).sort()).toEqual(winners);
      expect(d.body.job.requirements[0].approvals).toBe(needed);
      expect(await auditTypes(base, reader(), job.job.id)).toEqual(["job.submitted", ...Array(needed).fill("vote.cast"), "job.approved"]);
    }
    await verifyBoth(bases, reader());
  }
});

test(`approve and reject racing through both instances: the first counted vote decides (${ROUNDS} rounds)`, async ({ baseURL }) => {
  const bases = await instances(baseURL!);
  const { reviewers, agents, reader } = await provision(bases);
  for (let round = 0; round < ROUNDS; round++) {
    const job = await must(bases[round % 2]!, "POST", "/api/v1/jobs", agents[round % 2]!, { topic: "job.deploy.api", risk_tags: ["prod", "write"], payload: { round } });
    expect(job.status).toBe(201);
    const kinds = reviewers.map((_, i) => ((i + round) % 2 ? "reject" : "approve"));
    // Approvers and rejecters each use both instances.
    const answers = await Promise.all(
      reviewers.map((r, i) => api(bases[Math.floor(i / 2) % 2]!, "POST", `/api/v1/approvals/${job.body.job.id}/${kinds[i]}`, r.token, { reason: "race" })),
    );
    for (const a of answers) expect(a.status, JSON.stringify(a.body)).toBeLessThan(500);
    const ok = answers.filter((a) => a.status === 200);
    expect(ok, `round ${round}`).toHaveLength(1);
    refusedWith(
      answers.filter((a) => a.status !== 200 && !limited(a)),
      "already_resolved",
    );
    const kind = kinds[answers.indexOf(ok[0]!)]!;
    const state = kind === "approve" ? "APPROVED" : "REJECTED";
    expect(ok[0]!.body.job.state).toBe(state);
    const seen = await must(bases[(round + 1) % 2]!, "GET", `/api/v1/jobs/${job.body.job.id}`, agents[0]!);
    expect(seen.body.job.state).toBe(state);
    expect(await auditTypes(bases[(round + 1) % 2]!, reader(), job.body.job.id)).toEqual(["job.submitted", "vote.cast", kind === "approve" ? "job.approved" : "job.rejected"]);
  }
  await verifyBoth(bases, reader());
});

test(`concurrent claims through both instances: one grant, one completion (${ROUNDS} rounds)`, async ({ baseURL }) => {
  const bases = await instances(baseURL!);
  const { reviewers, agents, reader } = await provision(bases);
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate rounds: allowed by policy, or approved by a person on the other instance.
    const gated = round % 2 === 1;
    const submitted = await must(bases[round % 2]!, "POST", "/api/v1/jobs", agents[0]!, {
      topic: gated ? "job.config.update" : "job.repo.read",
      risk_tags: gated ? ["prod", "write"] : [],
      payload: { round },
    });
    expect(submitted.status).toBe(201);
    let job = submitted.body;
    if (gated) {
      const approved = await must(bases[(round + 1) % 2]!, "POST", `/api/v1/approvals/${job.job.id}/approve`, reviewers[round]!.token, { reason: "go" });
      expect(approved.status).toBe(200);
      job = approved.body;
    }
    expect(job.job.state).toBe("APPROVED");

    const body = { job_hash: job.job_hash, policy_snapshot: job.policy_snapshot };
    const claims = await Promise.all(
      Array.from({ length: 6 }, (_, i) => api(bases[(i + round) % 2]!, "POST", `/api/v1/jobs/${job.job.id}/claim`, agents[Math.floor(i / 2) % 2]!, body)),
    );
    for (const a of claims) expect(a.status, JSON.stringify(a.body)).toBeLessThan(500);
    const grants = claims.filter((a) => a.status === 200);
    expect(grants, `round ${round}`).toHaveLength(1);
    expect(grants[0]!.body).toEqual({ job_id: job.job.id, job_hash: job.job_hash, policy_snapshot: job.policy_snapshot, constraints: null });
    refusedWith(
      claims.filter((a) => a.status !== 200 && !limited(a)),
      "already_claimed",
    );

    const completes = await Promise.all(
      Array.from({ length: 4 }, (_, i) => api(bases[i % 2]!, "POST", `/api/v1/jobs/${job.job.id}/complete`, agents[i % 2]!, { outcome: "succeeded" })),
    );
    expect(completes.filter((a) => a.status === 200)).toHaveLength(1);
    refusedWith(
      completes.filter((a) => a.status !== 200 && !limited(a)),
      "not_running",
    );
    const types = await auditTypes(bases[(round + 1) % 2]!, reader(), job.job.id);
    expect(types.filter((t) => t === "job.claimed")).toHaveLength(1);
    expect(types.filter((t) => t === "job.completed")).toHaveLength(1);
    expect(types.at(-2)).toBe("job.claimed");
    expect(types.at(-1)).toBe("job.completed");
  }
  await verifyBoth(bases, reader());
});
