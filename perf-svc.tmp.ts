import { getDatabase } from "@/lib/db/client";
import { submitJob } from "@/lib/services/jobs/submit";
import { resolveVote } from "@/lib/services/approvals/resolve";
import { SubmitJobBody } from "@/lib/services/jobs/schemas";
import { ResolveBody } from "@/lib/services/approvals/schemas";
import { takeRateLimit } from "@/lib/services/limits";
async function main() {
  const { db, query } = await getDatabase();
  const [u] = await query<any>(`select id, email, roles from users where email = 'reviewer1@bench.example'`, []);
  const [tok] = await query<any>(`select id from tokens where name = 'perfagent'`, []);
  const reviewer = { kind: "user" as const, tenantId: "bench", scopes: new Set(["approvals:read", "approvals:resolve"] as any), tokenId: null, userId: u.id, email: u.email, roles: u.roles };
  const agent = { kind: "agent" as const, tenantId: "bench", scopes: new Set(["jobs:submit"] as any), tokenId: tok.id, name: "perfagent", ownerEmail: null, limits: { submitPerMinute: 1000000, resolvePerMinute: null } };
  const ids = (await query<any>(`select id from jobs where tenant_id='bench' and state='APPROVAL' and policy_rule_id <> 'payment-gate' and requirements->0->>'count' = '1' and on_behalf_of is null order by created_at limit 2000`, [])).map((r) => r.id);
  async function time(name: string, n: number, fn: (i: number) => Promise<unknown>) {
    for (let i = 0; i < 20; i++) await fn(i);
    const t = process.hrtime.bigint(); const c = process.cpuUsage();
    for (let i = 20; i < n + 20; i++) await fn(i);
    const cu = process.cpuUsage(c);
    console.log(name.padEnd(20), "wall", (Number(process.hrtime.bigint() - t) / 1e6 / n).toFixed(3), "cpu", ((cu.user + cu.system) / 1000 / n).toFixed(3));
  }
  const mode = process.argv[2] ?? "all";
  if (mode === "all" || mode === "submit") await time("submit", 500, (i) => submitJob({ ctx: { db, query, principal: agent, now: new Date() } as any, input: SubmitJobBody.parse({ topic: ["job.config.update", "job.ticket.update", "job.misc.read"][i % 3], risk_tags: i % 3 === 0 ? ["prod", "write"] : [], payload: { n: i, service: "svc" } }), idempotencyKey: null }));
  if (mode === "all" || mode === "limit") await time("rate limit", 500, () => takeRateLimit({ db, query, principal: agent, now: new Date() } as any, "submit"));
  if (mode === "all" || mode === "approve") await time("approve", 500, (i) => resolveVote({ ctx: { db, query, principal: reviewer, now: new Date() } as any, id: ids[i]!, vote: "approve", input: ResolveBody.parse({ reason: "ok" }) }));
  process.exit(0);
}
void main();
