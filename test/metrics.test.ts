import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { decisionMetrics } from "@/lib/services/metrics/decisions";
import { call } from "./http";
import { contextFor, makeWorld, type World } from "./fixtures";

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

  it("the 24 h window lists every UTC hour, decisions in the hour they were made; other windows no hours", async () => {
    const t = await makeWorld("hourly");
    const oncall = await t.person(["oncall"]);
    const db = await getDb();
    // Two decisions three hours ago (60 s and 180 s) and one an hour ago (600 s).
    const hourAgo = (h: number) => Math.floor((Date.now() - h * 3_600_000) / 3_600_000) * 3_600_000 + 5 * 60_000;
    for (const [i, [hours, secs]] of ([[3, 60], [3, 180], [1, 600]] as const).entries()) {
      const item = await t.submit({ topic: "job.config.update", risk_tags: ["prod", "write"], payload: { hourly: i } });
      expect((await call("POST", `/api/v1/approvals/${item.job.id}/approve`, { token: oncall.token, body: { reason: "ok" } })).status).toBe(200);
      const created = new Date(hourAgo(hours));
      const resolved = new Date(created.getTime() + secs * 1000);
      await db.execute(sql`update jobs set created_at = ${created.toISOString()}::timestamptz, resolved_at = ${resolved.toISOString()}::timestamptz where id = ${item.job.id}`);
    }
    const m = await t.person(["manager"]);
    const res = await call("GET", "/api/v1/metrics/daily?window=24h", { token: m.token });
    expect(res.status).toBe(200);
    const hours = res.body.hours as { hour: string; decided: number; time_to_decision_sec: { p50: number | null } }[];
    expect(hours.length).toBeGreaterThanOrEqual(24);
    expect(hours.length).toBeLessThanOrEqual(25);
    expect(hours.every((h, i) => i === 0 || Date.parse(h.hour) - Date.parse(hours[i - 1]!.hour) === 3_600_000)).toBe(true);
    const at = (h: number) => hours.find((x) => x.hour === new Date(Math.floor(hourAgo(h) / 3_600_000) * 3_600_000).toISOString().replace(".000", ""))!;
    expect(at(3)).toMatchObject({ decided: 2, time_to_decision_sec: { p50: 120 } });
    expect(at(1)).toMatchObject({ decided: 1, time_to_decision_sec: { p50: 600 } });
    expect(hours.filter((h) => h.decided > 0)).toHaveLength(2);
    expect(res.body.days.reduce((n: number, d: { decided: number }) => n + d.decided, 0)).toBe(3);
    const week = await call("GET", "/api/v1/metrics/daily?window=7d", { token: m.token });
    expect(week.body.hours).toBeUndefined();
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

describe("metrics over many days: closed days summed once, percentiles from their histograms", () => {
  it("agrees with the exact computation: counts and reasons equal, percentiles within 1%", async () => {
    const t = await makeWorld("rollup");
    const template = await t.submit({ topic: "job.config.update", risk_tags: ["prod", "write"], payload: { template: true } });
    const db = await getDb();
    // 3,000 decided jobs over the last 20 days: decision times from 1 s to ~3 h, one in five rejected
    // for one of three reasons, every tenth past its 30-minute due time, every 25th expired untouched.
    await db.execute(sql`
      insert into jobs
      select (jsonb_populate_record(null::jobs, to_jsonb(j) || jsonb_build_object(
        'id', j.id || '-' || g,
        'state', case when g % 25 = 0 then 'EXPIRED' when g % 5 = 0 then 'REJECTED' else 'APPROVED' end,
        'resolution', case when g % 25 = 0 then 'expired' when g % 5 = 0 then 'rejected' else 'approved' end,
        'resolved_by', case when g % 25 = 0 then 'system:sla' when g % 2 = 0 then 'ann@example.com' else 'bob@example.com' end,
        'resolved_reason', case when g % 25 = 0 then null when g % 5 = 0 then (array['no rollback plan', 'wrong window', 'too risky'])[1 + g % 3] else 'ok' end,
        'resolved_at', case when g % 25 = 0 then c.created + interval '4 hours'
             else c.created + make_interval(secs => case when g % 10 = 0 then 2000 + g else 1 + (g * 7919) % 1700 end) end,
        'created_at', c.created, 'updated_at', c.created,
        'due_at', c.created + interval '30 minutes', 'expires_at', c.created + interval '4 hours',
        'job_hash', j.job_hash || g, 'idempotency_key', null))).*
      from jobs j, generate_series(1, 3000) g,
        lateral (select now() - interval '20 days' + g * interval '560 seconds' as created) c
      where j.id = ${template.job.id}`);
    const ctx = await contextFor({ kind: "user", tenantId: t.tenant, scopes: new Set(["metrics:read" as const]), tokenId: null, userId: "usr-x", email: "m@x.example", roles: ["manager"] });
    for (const group_by of ["overall", "rule", "approver", "tier"] as const) {
      const input = { window: "30d" as const, group_by };
      const exact = await decisionMetrics({ ctx, input, exactLimit: Number.POSITIVE_INFINITY });
      const sketched = await decisionMetrics({ ctx, input, exactLimit: 0 });
      expect(sketched.groups.map((g) => g.key)).toEqual(exact.groups.map((g) => g.key));
      for (const [i, e] of exact.groups.entries()) {
        const s = sketched.groups[i]!;
        const { time_to_decision_sec: ep, ...eRest } = e;
        const { time_to_decision_sec: sp, ...sRest } = s;
        expect(sRest).toEqual(eRest);
        for (const q of ["p50", "p90", "p99"] as const) {
          if (ep[q] === null) expect(sp[q]).toBeNull();
          else expect(Math.abs(sp[q]! - ep[q]!) / ep[q]!, `${group_by}/${e.key} ${q}: ${sp[q]} vs ${ep[q]}`).toBeLessThanOrEqual(0.01);
        }
      }
      if (group_by === "overall") expect(exact.groups[0]!.decided).toBe(3001 - 1); // the template is still pending
    }

    // The closed days are stored once per grouping, and read back from there (not recomputed).
    const stored = await db.execute(sql`select count(*)::int as n from metric_days where tenant_id = ${t.tenant} and group_by = 'overall'`);
    expect(Number((stored as unknown as { n: number }[])[0]?.n ?? (stored as { rows?: { n: number }[] }).rows?.[0]?.n)).toBeGreaterThanOrEqual(28);
    await db.execute(sql`update metric_days set groups = jsonb_set(groups, '{overall,decided}', to_jsonb((groups->'overall'->>'decided')::int + 1000))
      where tenant_id = ${t.tenant} and group_by = 'overall' and groups ? 'overall' and day = (select min(day) from metric_days where tenant_id = ${t.tenant} and groups ? 'overall')`);
    const again = await decisionMetrics({ ctx, input: { window: "30d", group_by: "overall" }, exactLimit: 0 });
    expect(again.groups[0]!.decided).toBe(3000 + 1000);
  });
});
