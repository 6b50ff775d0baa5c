import { spawnSync } from "node:child_process";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { makeWorld } from "./fixtures";
import { call, dispatch } from "./http";

async function jsonl(path: string, token: string) {
  const res = await dispatch(new Request(`http://localhost:3000${path}`, { headers: { authorization: `Bearer ${token}` } }));
  const text = await res.text();
  return { res, lines: text.trim().split("\n").filter(Boolean).map((l) => JSON.parse(l) as { seq: number; job_id: string | null }) };
}

/** `npm run audit:verify` as an operator runs it, against this run's database. */
function verifyCli(tenant: string) {
  const r = spawnSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", "scripts/audit-verify.ts", "--tenant", tenant], {
    env: { ...process.env },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe("npm run audit:verify", () => {
  it("passes a clean chain, then names the first broken link after an edit behind the app's back", async () => {
    const w = await makeWorld("cli");
    await w.submit({ topic: "job.config.update", risk_tags: ["prod", "write"], payload: { a: 1 } });
    await w.submit({ topic: "job.repo.read", payload: { b: 2 } });
    expect((await call("GET", "/api/v1/audit/verify", { token: w.admin })).body.ok).toBe(true);

    const clean = verifyCli(w.tenant);
    expect(clean.out).toContain(`ok      ${w.tenant}`);
    expect(clean.status).toBe(0);

    const db = await getDb();
    await db.transaction(async (tx) => {
      await tx.execute(sql`alter table audit_events disable trigger audit_events_append_only`);
      await tx.execute(sql`update audit_events set actor = 'agent:someone-else' where tenant_id = ${w.tenant} and seq = 2`);
      await tx.execute(sql`alter table audit_events enable trigger audit_events_append_only`);
    });
    const broken = verifyCli(w.tenant);
    expect(broken.out).toContain(`BROKEN  ${w.tenant}: first broken link at event #2`);
    expect(broken.status).toBe(1);
  });

  it("exports the trail as JSON Lines, in chain order, with the listing's filters", async () => {
    const w = await makeWorld("jsonl");
    const job = await w.submit({ topic: "job.config.update", risk_tags: ["prod", "write"], payload: { a: 1 } });
    await w.submit({ topic: "job.repo.read", payload: { b: 2 } });
    const { res, lines } = await jsonl("/api/v1/audit/export", w.admin);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/x-ndjson");
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(lines.map((l) => l.seq)).toEqual([...lines.map((l) => l.seq)].sort((a, b) => a - b));
    const mine = (await jsonl(`/api/v1/audit/export?job_id=${job.job.id}`, w.admin)).lines;
    expect(mine.length).toBeGreaterThanOrEqual(1);
    expect(mine.every((e) => e.job_id === job.job.id)).toBe(true);
    expect((await call("GET", "/api/v1/audit/export", { token: w.agent })).status).toBe(403);
  });
});
