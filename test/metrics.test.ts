import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { call } from "./http";
import { makeWorld, type World } from "./fixtures";

let w: World;
let manager: string;

/** Percentile as PostgreSQL's percentile_cont computes it (linear interpolation). */
function percentile(sorted: number[], p: number): number {
  const pos = (sorted.length - 1) * p;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

beforeAll(async () => {
  w = await makeWorld("metrics");
  const m = await w.person(["manager"]);
  manager = m.token;
});

describe("GET /metrics/decisions", () => {
  it("computes percentiles, outcomes, breaches and reasons from seeded history", async () => {
    const oncall = await w.person(["oncall"]);
    const db = await getDb();
    // Noon UTC two days ago: inside 7d, outside 24h, and every decision falls on the same UTC day.
    const base = Date.parse(`${new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10)}T12:00:00Z`);
    // Decision times in seconds; the last two are rejected with reasons, one breaches the 30m SLA.
    const plan = [
      { secs: 60, vote: "approve" },
      { secs: 120, vote: "approve" },
      { secs: 300, vote: "approve" },
      { secs: 900, vote: "reject", reason: "missing rollback plan" },
      { secs: 2400, vote: "reject", reason: "missing rollback plan" },
    ] as const;
    for (const [i, step] of plan.entries()) {
      const item = await w.submit({ topic: "job.config.update", risk_tags: ["prod", "write"], payload: { i } });
      const res = await call("POST", `/api/v1/approvals/${item.job.id}/${step.vote}`, {
        token: oncall.token,
        body: { reason: "reason" in step ? step.reason : "ok" },
      });
      expect(res.status).toBe(200);
      const created = new Date(base + i * 1000);
      const resolved = new Date(created.getTime() + step.secs * 1000);
      const due = new Date(created.getTime() + 30 * 60 * 1000);
      await db.execute(
        sql`update jobs set created_at = ${created.toISOString()}::timestamptz, resolved_at = ${resolved.toISOString()}::timestamptz, due_at = ${due.toISOString()}::timestamptz where id = ${item.job.id}`,
      );
    }
    // One still pending, to show in queue depth.
    await w.submit({ topic: "job.config.update", risk_tags: ["prod", "write"], payload: { pending: true } });

    const res = await call("GET", "/api/v1/metrics/decisions?window=7d&group_by=rule", { token: manager });
    expect(res.status).toBe(200);
    const group = res.body.groups.find((g: { key: string }) => g.key === "prod-write-gate");
    const secs = plan.map((p) => p.secs).sort((a, b) => a - b);
    expect(group).toMatchObject({ decided: 5, approved: 3, rejected: 2, expired: 0, sla_breaches: 1, sla_breach_rate: 0.2 });
    expect(group.time_to_decision_sec.p50).toBeCloseTo(percentile(secs, 0.5), 3);
    expect(group.time_to_decision_sec.p90).toBeCloseTo(percentile(secs, 0.9), 3);
    expect(group.time_to_decision_sec.p99).toBeCloseTo(percentile(secs, 0.99), 3);
    expect(group.rejection_reasons).toEqual([{ reason: "missing rollback plan", count: 2 }]);
    expect(res.body.queue.depth).toBe(1);

    const day = await call("GET", "/api/v1/metrics/decisions?window=24h", { token: manager });
    expect(day.body.groups).toEqual([]);

    // Per day, for the chart: the same percentiles on that UTC day, and every other day of the window empty.
    const daily = await call("GET", "/api/v1/metrics/daily?window=7d", { token: manager });
    expect(daily.status).toBe(200);
    const dayKey = new Date(base).toISOString().slice(0, 10);
    const that = daily.body.days.find((d: { day: string }) => d.day === dayKey);
    expect(that.decided).toBe(5);
    expect(that.time_to_decision_sec.p50).toBeCloseTo(percentile(secs, 0.5), 3);
    expect(that.time_to_decision_sec.p99).toBeCloseTo(percentile(secs, 0.99), 3);
    expect(daily.body.days.filter((d: { decided: number }) => d.decided > 0)).toHaveLength(1);
    expect(daily.body.days.length).toBeGreaterThanOrEqual(7);
  });

  it("refuses bad parameters and callers without metrics:read", async () => {
    const bad = await call("GET", "/api/v1/metrics/decisions?window=1y", { token: manager });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe("validation_failed");
    const agent = await call("GET", "/api/v1/metrics/decisions", { token: w.agent });
    expect(agent.status).toBe(403);
    expect(agent.body.code).toBe("insufficient_scope");
  });
});
