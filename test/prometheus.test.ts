import { sql } from "drizzle-orm";
import { ulid } from "ulid";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { deliveries, deliveryAttempts } from "@/lib/db/schema";
import { call } from "./http";
import { ADMIN, makeWorld, type Person, type World } from "./fixtures";

// The handler itself, called directly (with no params object, as Next calls a static route).
async function scrape(token?: string): Promise<Response> {
  const { GET } = await import("@/app/api/metrics/route");
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  return GET(new Request("http://localhost/api/metrics", { headers }), {} as never);
}

/** The exposition's samples, keyed `name{k="v",…}` with labels sorted, so lookups ignore label order. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const labels = [...(m[2] ?? "").matchAll(/([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"/g)].map(([, k, v]) => `${k}="${v}"`).sort();
    out.set(`${m[1]}{${labels.join(",")}}`, Number(m[3]));
  }
  return out;
}

const key = (name: string, labels: Record<string, string>) =>
  `${name}{${Object.entries(labels).map(([k, v]) => `${k}="${v}"`).sort().join(",")}}`;

let w: World;
let oncall: Person;

const HOUR = 3_600_000;
const prodWrite = (i: number) => ({ topic: "job.config.update", risk_tags: ["prod", "write"], payload: { i } });

beforeAll(async () => {
  w = await makeWorld("prom");
  oncall = await w.person(["oncall"]);
  const db = await getDb();
  const now = Date.now();

  // Decided by people: one approved after 45s, one rejected after 600s.
  const approved = (await w.submit(prodWrite(1))).job.id;
  const rejected = (await w.submit(prodWrite(2))).job.id;
  expect((await call("POST", `/api/v1/approvals/${approved}/approve`, { token: oncall.token, body: { reason: "ok" } })).status).toBe(200);
  expect((await call("POST", `/api/v1/approvals/${rejected}/reject`, { token: oncall.token, body: { reason: "no" } })).status).toBe(200);
  for (const [id, secs] of [[approved, 45], [rejected, 600]] as const) {
    const created = new Date(now - HOUR);
    await db.execute(sql`update jobs set created_at = ${created.toISOString()}::timestamptz,
      resolved_at = ${new Date(created.getTime() + secs * 1000).toISOString()}::timestamptz where id = ${id}`);
  }

  // Waiting: one within its SLA, one past due_at (escalated for every reader, not yet marked).
  await w.submit(prodWrite(3));
  const overdue = (await w.submit(prodWrite(4))).job.id;
  await db.execute(sql`update jobs set due_at = ${new Date(now - 60_000).toISOString()}::timestamptz where id = ${overdue}`);

  // Past its cutoff but never swept: expired (and, being past due_at with on_timeout escalate, escalated).
  const lapsed = (await w.submit(prodWrite(5))).job.id;
  await db.execute(sql`update jobs set due_at = ${new Date(now - 2 * HOUR).toISOString()}::timestamptz,
    expires_at = ${new Date(now - HOUR).toISOString()}::timestamptz where id = ${lapsed}`);

  // Decided by the policy alone.
  await w.submit({ topic: "job.repo.read", payload: { n: 1 } });
  await w.submit({ topic: "job.repo.read", payload: { n: 2 } });
  await w.submit({ topic: "job.db.drop", risk_tags: ["prod"], payload: {} });

  // Webhooks: one callback that gave up after two failed attempts, one notification that got through.
  const failed = `dlv-${ulid()}`;
  const delivered = `dlv-${ulid()}`;
  const at = new Date(now - HOUR);
  await db.insert(deliveries).values([
    { id: failed, tenantId: w.tenant, jobId: approved, kind: "callback", eventType: "job.approved", url: "https://agent.example/cb", body: "{}", state: "failed", attempts: 2, nextAttemptAt: at, createdAt: at },
    { id: delivered, tenantId: w.tenant, jobId: approved, kind: "notification", eventType: "job.pending", url: "https://chat.example/hook", body: "{}", state: "delivered", attempts: 1, nextAttemptAt: at, createdAt: at, deliveredAt: at },
  ]);
  await db.insert(deliveryAttempts).values([
    { tenantId: w.tenant, deliveryId: failed, attemptedAt: at, statusCode: 500, latencyMs: 12, error: "HTTP 500" },
    { tenantId: w.tenant, deliveryId: failed, attemptedAt: at, statusCode: null, latencyMs: 10_000, error: "timeout" },
    { tenantId: w.tenant, deliveryId: delivered, attemptedAt: at, statusCode: 200, latencyMs: 8, error: null },
  ]);
});

describe("GET /api/metrics", () => {
  it("exposes the tenant's numbers, read from the database, in the Prometheus text format", async () => {
    const res = await scrape(oncall.token);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const text = await res.text();
    const s = samples(text);
    const tenant = w.tenant;
    const expected: [string, Record<string, string>, number][] = [
      ["countersign_queue_depth", { tenant, rule: "prod-write-gate" }, 2],
      ["countersign_decisions_total", { tenant, outcome: "approved" }, 1],
      ["countersign_decisions_total", { tenant, outcome: "rejected" }, 1],
      ["countersign_decisions_total", { tenant, outcome: "expired" }, 1],
      ["countersign_decisions_total", { tenant, outcome: "cancelled" }, 0],
      ["countersign_decisions_total", { tenant, outcome: "allow" }, 2],
      ["countersign_decisions_total", { tenant, outcome: "allow_with_constraints" }, 0],
      ["countersign_decisions_total", { tenant, outcome: "deny" }, 1],
      ["countersign_votes_total", { tenant, vote: "approve" }, 1],
      ["countersign_votes_total", { tenant, vote: "reject" }, 1],
      ["countersign_expiries_total", { tenant }, 1],
      ["countersign_escalations_total", { tenant }, 2],
      ["countersign_callback_failures", { tenant, kind: "callback" }, 1],
      ["countersign_callback_failures", { tenant, kind: "notification" }, 0],
      ["countersign_callback_attempt_errors_total", { tenant, kind: "callback" }, 2],
      ["countersign_callback_attempt_errors_total", { tenant, kind: "notification" }, 0],
      // Cumulative buckets over 45s and 600s.
      ...(
        [["30", 0], ["60", 1], ["300", 1], ["900", 2], ["1800", 2], ["3600", 2], ["14400", 2], ["28800", 2], ["86400", 2], ["+Inf", 2]] as const
      ).map(([le, n]): [string, Record<string, string>, number] => ["countersign_time_to_decision_seconds_bucket", { tenant, le }, n]),
      ["countersign_time_to_decision_seconds_sum", { tenant }, 645],
      ["countersign_time_to_decision_seconds_count", { tenant }, 2],
    ];
    for (const [name, labels, value] of expected) expect(s.get(key(name, labels)), key(name, labels)).toBe(value);
    // Nothing else: no other rule, no other tenant.
    expect(s.size).toBe(expected.length);
    expect(text).toContain("# TYPE countersign_time_to_decision_seconds histogram");
    expect(text).toContain("# TYPE countersign_decisions_total counter");
    expect(text).toContain("# TYPE countersign_queue_depth gauge");
  });

  it("answers the installation admin for tenant system only", async () => {
    const res = await scrape(ADMIN());
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('countersign_expiries_total{tenant="system"} 0');
    expect(text).not.toContain(w.tenant);
  });

  it("needs a token with metrics:read", async () => {
    const none = await scrape();
    expect(none.status).toBe(401);
    const agent = await scrape(w.agent);
    expect(agent.status).toBe(403);
    expect(agent.headers.get("content-type")).toBe("application/problem+json");
  });

  it("answers only GET", async () => {
    const { POST } = await import("@/app/api/metrics/route");
    const res = POST();
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET");
  });
});
