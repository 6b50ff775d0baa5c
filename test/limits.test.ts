import http from "node:http";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientAddress, stampPeerAddress } from "@/lib/auth/client-address";
import { verifySignIn } from "@/lib/auth/sign-in";
import { takeToken } from "@/lib/services/limits";
import { ADMIN, makeWorld, ownToken, type World } from "./fixtures";
import { Browser } from "./auth-flow";
import { call } from "./http";

// Rate limits are token buckets in PostgreSQL (rate_limits), so every instance spends the same budget.
const PROD_WRITE = { topic: "job.config.update", risk_tags: ["prod", "write"] };

let w: World;
let sql: postgres.Sql;

beforeAll(async () => {
  w = await makeWorld("limits");
  sql = postgres(process.env.DATABASE_URL!, { max: 2, onnotice: () => {} });
});
afterAll(async () => {
  await sql.end();
});

async function mint(body: Record<string, unknown>): Promise<string> {
  const res = await call("POST", "/api/v1/admin/tokens", { token: ADMIN(), body: { tenant: w.tenant, ...body } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.token;
}

const jobCount = async () => Number((await sql`select count(*)::int as n from jobs where tenant_id = ${w.tenant}`)[0]!.n);
const voteCount = async () => Number((await sql`select count(*)::int as n from votes where tenant_id = ${w.tenant}`)[0]!.n);

const submit = (token: string, n: number) =>
  call("POST", "/api/v1/jobs", { token, body: { ...PROD_WRITE, risk_tags: PROD_WRITE.risk_tags, payload: { n } } });

describe("submission limit per token", () => {
  it("answers 429 rate_limited with Retry-After once the token's budget is spent, and stores nothing", async () => {
    const token = await mint({ kind: "agent", name: "tight-bot", scopes: ["jobs:submit", "jobs:read"], rate_limits: { submit_per_minute: 3 } });
    for (let i = 0; i < 3; i++) expect((await submit(token, i)).status).toBe(201);
    const before = await jobCount();

    const res = await submit(token, 99);
    expect(res.status).toBe(429);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.body).toMatchObject({ code: "rate_limited", status: 429 });
    // 3 a minute: the next token is ~20 s away.
    const retry = Number(res.headers.get("retry-after"));
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(20);
    expect(await jobCount()).toBe(before);
  });

  it("counts each token on its own", async () => {
    const a = await mint({ kind: "agent", name: "bot-a", scopes: ["jobs:submit"], rate_limits: { submit_per_minute: 1 } });
    const b = await mint({ kind: "agent", name: "bot-b", scopes: ["jobs:submit"], rate_limits: { submit_per_minute: 1 } });
    expect((await submit(a, 1)).status).toBe(201);
    expect((await submit(a, 2)).status).toBe(429);
    expect((await submit(b, 1)).status).toBe(201);
  });

  it("refills with time: a spent bucket allows one more after 1/rate minutes", async () => {
    const token = await mint({ kind: "agent", name: "refill-bot", scopes: ["jobs:submit"], rate_limits: { submit_per_minute: 2 } });
    expect((await submit(token, 1)).status).toBe(201);
    expect((await submit(token, 2)).status).toBe(201);
    expect((await submit(token, 3)).status).toBe(429);
    // Age the bucket by 31 s (2 a minute: one token every 30 s) instead of sleeping.
    await sql`update rate_limits set updated_at = updated_at - interval '31 seconds' where tenant_id = ${w.tenant} and action = 'submit'
              and subject = (select 'tok:' || id from tokens where name = 'refill-bot' and tenant_id = ${w.tenant})`;
    expect((await submit(token, 4)).status).toBe(201);
    expect((await submit(token, 5)).status).toBe(429);
  });

  it("a burst of 40 concurrent submissions on a budget of 10 lets exactly 10 through (5×)", async () => {
    for (let round = 0; round < 5; round++) {
      const token = await mint({ kind: "agent", name: `burst-${round}`, scopes: ["jobs:submit"], rate_limits: { submit_per_minute: 10 } });
      const before = await jobCount();
      const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => submit(token, 1000 * round + i)));
      const statuses = answers.map((r) => r.status);
      expect(statuses.filter((s) => s === 201)).toHaveLength(10);
      expect(statuses.filter((s) => s === 429)).toHaveLength(30);
      expect(await jobCount()).toBe(before + 10);
    }
  });
});

describe("leases: a busy caller takes a second's worth per round trip", () => {
  it("600 a minute: 25 submissions take 3 leases of 10 from the shared bucket", async () => {
    const token = await mint({ kind: "agent", name: "busy-bot", scopes: ["jobs:submit"], rate_limits: { submit_per_minute: 600 } });
    for (let i = 0; i < 25; i++) expect((await submit(token, i)).status).toBe(201);
    const [row] = await sql`select tokens, granted from rate_limits where tenant_id = ${w.tenant} and action = 'submit'
      and subject = (select 'tok:' || id from tokens where name = 'busy-bot' and tenant_id = ${w.tenant})`;
    expect(row!.granted).toBe(10);
    // 30 taken, plus whatever refilled meanwhile (10 a second).
    expect(Number(row!.tokens)).toBeGreaterThanOrEqual(570);
    expect(Number(row!.tokens)).toBeLessThan(600);
  });

  it("requests in flight together share one lease: 30 at once take one second's worth, not 30", async () => {
    const token = await mint({ kind: "agent", name: "herd-bot", scopes: ["jobs:submit"], rate_limits: { submit_per_minute: 6000 } });
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => submit(token, 7000 + i)));
    expect(answers.map((r) => r.status)).toEqual(Array(30).fill(201));
    const [row] = await sql`select tokens, granted from rate_limits where tenant_id = ${w.tenant} and action = 'submit'
      and subject = (select 'tok:' || id from tokens where name = 'herd-bot' and tenant_id = ${w.tenant})`;
    expect(row!.granted).toBe(100);
    // One take of 100, plus whatever refilled meanwhile (100 a second). Each request taking its own
    // lease would have left ~3,000.
    expect(Number(row!.tokens)).toBeGreaterThanOrEqual(5900);
    expect(Number(row!.tokens)).toBeLessThanOrEqual(6000);
  });

  it("never lets more through than the budget, however requests race for leases", async () => {
    const token = await mint({ kind: "agent", name: "racing-bot", scopes: ["jobs:submit"], rate_limits: { submit_per_minute: 120 } });
    const started = Date.now();
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => submit(token, 5000 + i)));
    const seconds = (Date.now() - started) / 1000;
    const ok = answers.filter((r) => r.status === 201).length;
    expect(answers.every((r) => r.status === 201 || r.status === 429)).toBe(true);
    // The bucket holds 120 and refills at 2 a second while the burst runs.
    expect(ok).toBeGreaterThanOrEqual(100);
    expect(ok).toBeLessThanOrEqual(120 + Math.ceil(seconds * 2));
  });
});

describe("resolution limit per reviewer", () => {
  it("answers 429 on the vote past the budget; the job stays pending and no vote is stored", async () => {
    const reviewer = await w.person(["oncall"], "busy");
    // Their own token (only they may mint one that approves), its limit lifted to 2 as an admin would set it.
    const { token } = await ownToken({ id: reviewer.id, tenant: w.tenant }, { name: "busy-limited", scopes: ["approvals:read", "approvals:resolve", "jobs:read"] }, { resolve_per_minute: 2 });
    const jobs = await Promise.all([1, 2, 3].map((i) => w.submit({ ...PROD_WRITE, payload: { vote: i } })));
    const approve = (id: string) => call("POST", `/api/v1/approvals/${id}/approve`, { token, body: { reason: "ok" } });
    expect((await approve(jobs[0].job.id)).status).toBe(200);
    expect((await approve(jobs[1].job.id)).status).toBe(200);
    const votes = await voteCount();
    const refused = await approve(jobs[2].job.id);
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe("rate_limited");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await voteCount()).toBe(votes);
    const job = await call("GET", `/api/v1/jobs/${jobs[2].job.id}`, { token: w.agent });
    expect(job.body.job.state).toBe("APPROVAL");
  });
});

describe("the installation's defaults", () => {
  it("a token minted without rate_limits gets COUNTERSIGN_RATE_RESOLVE_PER_MINUTE (60): refused votes count too", async () => {
    const reviewer = await w.person(["oncall"], "default");
    const { token } = await ownToken({ id: reviewer.id, tenant: w.tenant }, { name: "default-limited", scopes: ["approvals:resolve"] });
    const job = await w.submit({ ...PROD_WRITE, payload: { defaults: true } });
    const bad = () => call("POST", `/api/v1/approvals/${job.job.id}/approve`, { token, body: { reason: "" } });
    for (let i = 0; i < 60; i++) expect((await bad()).status).toBe(400);
    const refused = await bad();
    expect(refused.status).toBe(429);
    expect(refused.body.detail).toContain("60 resolutions a minute");
  });
});

describe("one budget across instances", () => {
  it("two separate connection pools (two app instances) racing on one bucket take exactly its size", async () => {
    // Each pool stands for an instance: nothing is shared between them but the database.
    const pools = [postgres(process.env.DATABASE_URL!, { max: 5, onnotice: () => {} }), postgres(process.env.DATABASE_URL!, { max: 5, onnotice: () => {} })];
    try {
      for (let round = 0; round < 5; round++) {
        const bucket = { tenant: w.tenant, subject: `race-${round}`, action: "submit" };
        const waits = await Promise.all(
          Array.from({ length: 60 }, (_, i) => {
            const pool = pools[i % 2]!;
            return takeToken((text, params) => pool.unsafe(text, params as never[]) as never, bucket, 25);
          }),
        );
        expect(waits.filter((s) => s === 0)).toHaveLength(25);
        expect(waits.filter((s) => s > 0).every((s) => s >= 1 && s <= 3)).toBe(true);
      }
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });
});

describe("token minting", () => {
  it.each([
    [{ submit_per_minute: 0 }],
    [{ submit_per_minute: 1.5 }],
    [{ resolve_per_minute: -1 }],
    [{ submit_per_minute: "10" }],
    [{ per_hour: 10 }],
  ])("refuses rate_limits %j with validation_failed and stores no token", async (limits) => {
    const tokenCount = async () => Number((await sql`select count(*)::int as n from tokens where tenant_id = ${w.tenant}`)[0]!.n);
    const before = await tokenCount();
    const res = await call("POST", "/api/v1/admin/tokens", { token: ADMIN(), body: { tenant: w.tenant, kind: "agent", name: "x", scopes: ["jobs:submit"], rate_limits: limits } });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("validation_failed");
    expect(await tokenCount()).toBe(before);
  });

  it("echoes the token's limits, null meaning the installation default", async () => {
    const res = await call("POST", "/api/v1/admin/tokens", { token: ADMIN(), body: { tenant: w.tenant, kind: "agent", name: "echo", scopes: ["jobs:submit"], rate_limits: { submit_per_minute: 42 } } });
    expect(res.body.rate_limits).toEqual({ submit_per_minute: 42, resolve_per_minute: null });
  });
});

describe("password sign-in", () => {
  it("is throttled per email after 10 tries a minute, even with the right password, however the email is cased", async () => {
    const person = await w.person(["oncall"], "guessed");
    const set = await call("PATCH", `/api/v1/admin/users/${person.id}`, { token: ADMIN(), body: { password: "correct-horse-battery-1" } });
    expect(set.status).toBe(200);
    for (let i = 0; i < 10; i++) expect(await verifySignIn({ email: person.email, password: `guess-${i}-wrong` }, `198.51.100.${i}`)).toBeNull();
    expect(await verifySignIn({ email: person.email, password: "correct-horse-battery-1" }, "198.51.100.10")).toBe("throttled");
    // The same email written differently is the same bucket.
    expect(await verifySignIn({ email: person.email.toUpperCase(), password: "correct-horse-battery-1" }, "198.51.100.11")).toBe("throttled");
  });

  it("is throttled per source too: spraying 30 emails from one address stops after 20 (COUNTERSIGN_SIGNIN_PER_SOURCE_PER_MINUTE), other addresses go on", async () => {
    const person = await w.person(["oncall"], "sprayed");
    expect((await call("PATCH", `/api/v1/admin/users/${person.id}`, { token: ADMIN(), body: { password: "correct-horse-battery-1" } })).status).toBe(200);
    // Through next-auth's own sign-in route, so the source is what the request carries.
    const sprayer = new Browser("192.0.2.66");
    const answers: (string | null)[] = [];
    const started = Date.now();
    for (let i = 0; i < 30; i++) answers.push(await sprayer.signIn(`victim-${i}-${Date.now()}@${w.tenant}.example`, "Spring2025!"));
    const seconds = (Date.now() - started) / 1000;
    expect(answers.every((a) => a === "wrong_credentials" || a === "too_many_attempts_source")).toBe(true);
    expect(answers.slice(0, 20).every((a) => a === "wrong_credentials")).toBe(true);
    // The bucket holds 20 and refills one every 3 s while the spray runs (each try costs a decoy scrypt).
    const checked = answers.filter((a) => a === "wrong_credentials").length;
    expect(checked).toBeLessThanOrEqual(20 + Math.ceil(seconds / 3));
    expect(answers.at(-1)).toBe("too_many_attempts_source");
    // Even a right password is not checked from that address for now, and no session is made.
    expect(await sprayer.signIn(person.email, "correct-horse-battery-1")).toBe("too_many_attempts_source");
    // Another address is its own bucket; the person's own email bucket was not spent by the spray.
    expect(await new Browser("192.0.2.67").signIn(person.email, "correct-horse-battery-1")).toBeNull();
  });

  it("the source is the socket's address: with no trusted proxy, a client's own X-Forwarded-For is replaced as the request arrives", async () => {
    stampPeerAddress();
    const seen: (string | undefined)[] = [];
    const server = http.createServer((req, res) => {
      seen.push(clientAddress(new Headers(req.headers as Record<string, string>)));
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const { port } = server.address() as { port: number };
      for (const spoofed of [undefined, "198.51.100.1", "198.51.100.2, 198.51.100.3"]) {
        await fetch(`http://127.0.0.1:${port}/`, { headers: spoofed ? { "x-forwarded-for": spoofed } : {} });
      }
    } finally {
      await new Promise((r) => server.close(r));
    }
    expect(seen).toEqual(["127.0.0.1", "127.0.0.1", "127.0.0.1"]);
  });
});
