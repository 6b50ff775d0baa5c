import { and, count, eq } from "drizzle-orm";
import { ulid } from "ulid";
import { beforeAll, describe, expect, it } from "vitest";
import { getDatabase, type Database } from "@/lib/db/client";
import { jobs, tokens, users } from "@/lib/db/schema";
import { verifyChain } from "@/lib/services/audit/verify";
import { contextOf } from "@/lib/services/context";
import { DECISION_NAMES } from "@/lib/services/jobs/render";
import { DEMO_PASSWORD, describeDemoSeed, seedDemo, type DemoSeed } from "./seed";
import { startDemoTicker, tickOnce } from "./ticker";

// The test database is shared with the other test files: this file seeds a tenant of its own.
const tenant = `demo-${ulid().toLowerCase().slice(-10)}`;

async function jobCount(database: Database): Promise<number> {
  const [row] = await database.db.select({ n: count() }).from(jobs).where(eq(jobs.tenantId, tenant));
  return row?.n ?? 0;
}

describe("the demo seeder", () => {
  let database: Database;
  let first: DemoSeed;
  beforeAll(async () => {
    database = await getDatabase();
    first = await seedDemo(database, new Date(), { tenant });
  });

  it("creates a person for every role, two for finance and security, and an agent token once", async () => {
    expect(first.created).toBe(true);
    expect(first.password).toBe(DEMO_PASSWORD);
    expect(first.agentToken).toMatch(/^cs_/);
    const rows = await database.db.select().from(users).where(eq(users.tenantId, tenant));
    expect(rows).toHaveLength(10);
    const holders = (role: string) => rows.filter((u) => u.roles.includes(role)).map((u) => u.email).sort();
    expect(holders("finance")).toEqual(["fay@demo.example", "finn@demo.example"]);
    expect(holders("security")).toEqual(["sam@demo.example", "sara@demo.example"]);
    for (const role of ["service-owner", "oncall", "eng-manager", "manager", "admin", "requester"]) {
      expect(holders(role).length, role).toBeGreaterThan(0);
    }
    expect(rows.every((u) => u.passwordHash?.startsWith("scrypt$"))).toBe(true);

    const [agent] = await database.db.select().from(tokens).where(eq(tokens.tenantId, tenant));
    expect(agent).toMatchObject({ kind: "agent", name: "demo-agent", ownerEmail: "paul@demo.example" });
    expect([...agent!.scopes].sort()).toEqual(["jobs:execute", "jobs:read", "jobs:submit"]);
    expect(describeDemoSeed(first).join("\n")).toContain(first.agentToken!);
  });

  it("seeds jobs covering every decision, with approved, rejected and pending history", async () => {
    const rows = await database.db.select().from(jobs).where(eq(jobs.tenantId, tenant));
    expect(rows.length).toBeGreaterThanOrEqual(20);
    expect(new Set(rows.map((j) => DECISION_NAMES[j.decision]))).toEqual(
      new Set(["ALLOW", "ALLOW_WITH_CONSTRAINTS", "REQUIRE_APPROVAL", "DENY"]),
    );
    const states = new Set(rows.map((j) => j.state));
    for (const s of ["APPROVED", "REJECTED", "APPROVAL", "DENIED", "SUCCEEDED"]) expect(states, s).toContain(s);
    // A payment with two distinct finance approvals, and the rejection a reviewer would recognise.
    // (the scripted 1,490 EUR refund; the month of history has other payments)
    const dual = rows.find((j) => (j.payload as { invoice?: string }).invoice === "INV-48213");
    expect(dual?.resolvedBy).toBe("finn@demo.example");
    expect(rows.some((j) => j.resolution === "rejected" && j.resolvedReason === "missing rollback plan")).toBe(true);
    // One pending job was made on ada's behalf: she may not approve it herself.
    expect(rows.some((j) => j.state === "APPROVAL" && j.onBehalfOf === "ada@demo.example")).toBe(true);
  });

  it("a month of decided work shows trends: weekday rhythm, a slow approver, a breach spell, reasons", async () => {
    const rows = await database.db.select().from(jobs).where(and(eq(jobs.tenantId, tenant), eq(jobs.gated, true)));
    const decided = rows.filter((j) => j.resolvedAt && j.resolution !== null);
    const days = new Map<string, number>();
    for (const j of decided) days.set(j.resolvedAt!.toISOString().slice(0, 10), (days.get(j.resolvedAt!.toISOString().slice(0, 10)) ?? 0) + 1);
    expect(days.size).toBeGreaterThanOrEqual(25);
    const weekend = (d: string) => [0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay());
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
    const perDay = [...days];
    expect(mean(perDay.filter(([d]) => !weekend(d)).map(([, n]) => n))).toBeGreaterThan(3 * mean(perDay.filter(([d]) => weekend(d)).map(([, n]) => n)));
    // Finn decides payments far slower than Fay votes on them.
    const minutes = (j: (typeof rows)[number]) => (j.resolvedAt!.getTime() - j.createdAt.getTime()) / 60_000;
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    const byFinn = decided.filter((j) => j.resolvedBy === "finn@demo.example").map(minutes);
    expect(byFinn.length).toBeGreaterThan(10);
    expect(median(byFinn)).toBeGreaterThan(20);
    // The breach spell: escalated production changes, decided by the engineering manager.
    expect(decided.filter((j) => j.escalated && j.resolvedBy === "erin@demo.example").length).toBeGreaterThan(3);
    expect(decided.some((j) => j.resolution === "expired")).toBe(true);
    expect(new Set(decided.filter((j) => j.resolution === "rejected").map((j) => j.resolvedReason)).size).toBeGreaterThanOrEqual(5);
  });

  it("the back-dated history leaves an intact audit chain", async () => {
    const principal = { kind: "admin" as const, tenantId: tenant, scopes: new Set<never>(), tokenId: null };
    const result = await verifyChain({ ctx: contextOf(database, principal, new Date()) });
    expect(result).toMatchObject({ ok: true, first_broken: null });
    expect(result.checked).toBeGreaterThan(50);
  });

  it("is idempotent: a second run adds no people, tokens or jobs and shows no secret", async () => {
    const before = await jobCount(database);
    const again = await seedDemo(database, new Date(), { tenant });
    expect(again.created).toBe(false);
    expect(again.agentToken).toBeNull();
    expect(again.users).toEqual(first.users);
    expect(await jobCount(database)).toBe(before);
    const [people] = await database.db.select({ n: count() }).from(users).where(eq(users.tenantId, tenant));
    expect(people?.n).toBe(10);
    const [toks] = await database.db.select({ n: count() }).from(tokens).where(eq(tokens.tenantId, tenant));
    expect(toks?.n).toBe(1);
  });

  it("a tick submits exactly one job as the demo agent, and none when the queue is full", async () => {
    const before = await jobCount(database);
    const item = await tickOnce(database, new Date(), { tenant });
    expect(item?.job.requested_by).toBe("agent:demo-agent");
    expect(await jobCount(database)).toBe(before + 1);

    expect(await tickOnce(database, new Date(), { tenant, maxPending: 1 })).toBeNull();
    expect(await jobCount(database)).toBe(before + 1);
  });

  it("the ticker keeps submitting until stopped", async () => {
    const before = await jobCount(database);
    const stop = startDemoTicker(database, { tenant, everyMs: 20 });
    const deadline = Date.now() + 10_000;
    while ((await jobCount(database)) < before + 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await stop();
    const stopped = await jobCount(database);
    expect(stopped).toBeGreaterThanOrEqual(before + 2);
    await new Promise((r) => setTimeout(r, 100));
    expect(await jobCount(database)).toBe(stopped);
  });

  it("random jobs are about half gated and differ from each other", async () => {
    const [gated] = await database.db
      .select({ n: count() })
      .from(jobs)
      .where(and(eq(jobs.tenantId, tenant), eq(jobs.gated, true)));
    expect(gated?.n).toBeGreaterThan(0);
    const { randomJob } = await import("./jobs");
    const bodies = Array.from({ length: 400 }, () => randomJob());
    const share = bodies.filter((b) => b.risk_tags.some((t) => ["prod", "payment", "access", "destructive"].includes(t)) && b.topic !== "job.db.drop").length / bodies.length;
    expect(share).toBeGreaterThan(0.35);
    expect(share).toBeLessThan(0.65);
    expect(new Set(bodies.map((b) => JSON.stringify(b.payload))).size).toBeGreaterThan(300);
  });
});
