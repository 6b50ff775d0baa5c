import { POST as submit } from "@/app/api/v1/jobs/route";
import { GET as getJob } from "@/app/api/v1/jobs/[id]/route";
import { GET as list } from "@/app/api/v1/approvals/route";
import { POST as approve } from "@/app/api/v1/approvals/[job_id]/approve/route";
import { POST as createToken } from "@/app/api/v1/admin/tokens/route";
import { POST as createUser } from "@/app/api/v1/admin/users/route";
const admin = process.env.COUNTERSIGN_ADMIN_TOKEN!;
const mk = (url: string, token: string, body?: unknown) =>
  new Request(`http://x${url}`, { method: body ? "POST" : "GET", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: body ? JSON.stringify(body) : undefined });
const tok = await (await createToken(mk("/api/v1/admin/tokens", admin, { kind: "agent", name: "m", scopes: ["jobs:submit", "jobs:read"] }), {} as never)).json();
const user = await (await createUser(mk("/api/v1/admin/users", admin, { email: "o@x.io", roles: ["oncall"] }), {} as never)).json();
const rev = await (await createToken(mk("/api/v1/admin/tokens", admin, { kind: "user", name: "r", user_id: user.id, scopes: ["approvals:read", "approvals:resolve"] }), {} as never)).json();
const body = { topic: "job.config.update", risk_tags: ["prod", "write"], payload: { a: 1 } };
async function time(name: string, n: number, fn: () => Promise<unknown>) {
  for (let i = 0; i < 30; i++) await fn();
  const t = performance.now();
  for (let i = 0; i < n; i++) await fn();
  console.log(name.padEnd(12), ((performance.now() - t) / n).toFixed(3), "ms");
}
const ids: string[] = [];
await time("submit", 300, async () => { const r = await submit(mk("/api/v1/jobs", tok.token, body), {} as never); ids.push((await r.json()).job.id); });

await time("queue", 500, async () => { await (await list(mk(`/api/v1/approvals`, rev.token), {} as never)).text(); });
let k = 0;

process.exit(0);
