import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { OPERATIONS } from "@/lib/api/openapi";
import * as R from "@/lib/api/responses";
import { ExecutionGrant, JobItem } from "@/lib/services/jobs/schemas";
import { makeWorld, type World } from "./fixtures";
import { call } from "./http";

/** Every route file under app/api/v1, as an OpenAPI path with the methods it serves. */
function routeFiles(): { path: string; methods: string[] }[] {
  const root = path.join(process.cwd(), "app/api/v1");
  const out: { path: string; methods: string[] }[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === "route.ts" && !p.includes("[...rest]") && !p.includes("openapi.json")) {
        const src = fs.readFileSync(p, "utf8");
        const methods = ["GET", "POST", "PUT", "PATCH", "DELETE"].filter((m) => new RegExp(`export (const|async function|function) ${m}\\b`).test(src));
        const route = "/" + path.relative(root, path.dirname(p)).replace(/\[(\w+)\]/g, "{$1}");
        out.push({ path: route, methods: methods.map((m) => m.toLowerCase()) });
      }
    }
  };
  walk(root);
  return out;
}

describe("the OpenAPI document", () => {
  it("lists every route file and every method it serves, and nothing else", () => {
    const documented = new Set(OPERATIONS.map((o) => `${o.method} ${o.path}`));
    const served = new Set(routeFiles().flatMap((r) => r.methods.map((m) => `${m} ${r.path}`)));
    expect([...documented].sort()).toEqual([...served].sort());
  });

  it("is served as OpenAPI 3.1 without auth", async () => {
    const res = await call("GET", "/api/v1/openapi.json");
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe("3.1.0");
    expect(res.body.paths["/jobs"].post.parameters.map((p: { name: string }) => p.name)).toContain("Idempotency-Key");
  });
});

describe("real answers match the documented shapes", () => {
  let w: World;
  beforeAll(async () => {
    w = await makeWorld("shapes");
  });
  const strictParse = (schema: z.ZodObject, body: unknown) => {
    const parsed = schema.strict().safeParse(body);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
  };

  it("jobs, queue, resolution, decisions, claim, policy, audit, metrics, admin", async () => {
    const oncall = await w.person(["oncall"]);
    const manager = await w.person(["manager"]);
    const submitted = await call("POST", "/api/v1/jobs", { token: w.agent, body: { topic: "job.config.update", risk_tags: ["prod", "write"], payload: { a: 1 } } });
    strictParse(JobItem, submitted.body);
    const id = submitted.body.job.id;
    strictParse(R.QueuePage, (await call("GET", "/api/v1/approvals", { token: oncall.token })).body);
    strictParse(R.ResolveResult, (await call("POST", `/api/v1/approvals/${id}/approve`, { token: oncall.token, body: { reason: "ok" } })).body);
    strictParse(R.JobDecisions, (await call("GET", `/api/v1/jobs/${id}/decisions`, { token: w.agent })).body);
    strictParse(ExecutionGrant, (await call("POST", `/api/v1/jobs/${id}/claim`, { token: w.agent, body: { job_hash: submitted.body.job_hash } })).body);
    strictParse(R.ActivePolicy, (await call("GET", "/api/v1/policy", { token: w.admin })).body);
    strictParse(R.SnapshotList, (await call("GET", "/api/v1/policy/snapshots", { token: w.admin })).body);
    strictParse(R.AuditPage, (await call("GET", "/api/v1/audit", { token: w.admin })).body);
    strictParse(R.VerifyResult, (await call("GET", "/api/v1/audit/verify", { token: w.admin })).body);
    strictParse(R.DecisionMetrics, (await call("GET", "/api/v1/metrics/decisions", { token: manager.token })).body);
    const user = await call("POST", "/api/v1/admin/users", { token: w.admin, body: { email: "shape@example.com", roles: ["oncall"] } });
    strictParse(R.User, user.body);
    const token = await call("POST", "/api/v1/admin/tokens", { token: w.admin, body: { kind: "user", name: "shape", user_id: user.body.id, scopes: ["jobs:read"] } });
    strictParse(R.MintedToken, token.body);
    strictParse(R.RevokedToken, (await call("DELETE", `/api/v1/admin/tokens/${token.body.id}`, { token: w.admin })).body);
  });

  it("methods a route does not serve answer 405 problem+json with Allow", async () => {
    const res = await call("DELETE", "/api/v1/jobs", { token: w.agent });
    expect(res.status).toBe(405);
    expect(res.body.code).toBe("method_not_allowed");
    expect(res.headers.get("allow")).toBe("GET, POST");
  });
});
