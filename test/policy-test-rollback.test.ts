import { readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { DEFAULT_POLICY_YAML, GUIDE_POLICY_YAML } from "@/lib/policy/default-policy";
import { call } from "./http";
import { makeWorld, type World } from "./fixtures";

const example = (name: string) => readFileSync(`examples/${name}`, "utf8");
const put = (w: World, yaml: string) =>
  call("PUT", "/api/v1/policy", { token: w.admin, rawBody: yaml, headers: { "content-type": "application/yaml" } });
const activate = (token: string, id: string) => call("POST", `/api/v1/policy/snapshots/${encodeURIComponent(id)}/activate`, { token });

async function counts(tenant: string) {
  const db = await getDb();
  const rows = await db.execute(sql`
    select (select count(*)::int from jobs where tenant_id = ${tenant}) as jobs,
           (select count(*)::int from policy_snapshots where tenant_id = ${tenant}) as snapshots,
           (select count(*)::int from audit_events where tenant_id = ${tenant}) as events`);
  return [...(rows as unknown as Record<string, number>[])][0];
}

describe("POST /policy/test", () => {
  let w: World;
  beforeAll(async () => {
    w = await makeWorld("ptest");
  });

  it("runs the cases and answers {passed, failed, results}, touching nothing", async () => {
    const before = await counts(w.tenant);
    const tests = `${example("refunds-policy.tests.yaml")}
- name: a deliberately wrong expectation
  job: { topic: job.payments.refund, payload: { amount: 10, currency: EUR } }
  expect: { decision: DENY }
`;
    const res = await call("POST", "/api/v1/policy/test", { token: w.admin, body: { policy: example("refunds-policy.yaml"), tests } });
    expect(res.status).toBe(200);
    expect(res.body.passed).toBe(7);
    expect(res.body.failed).toBe(1);
    expect(res.body.results).toHaveLength(8);
    expect(res.body.results[0]).toEqual({
      name: "a small euro refund goes through",
      ok: true,
      expected: { decision: "ALLOW", rule_id: "small-refund" },
      actual: { decision: "ALLOW", rule_id: "small-refund", requirements: [], constraints: null },
    });
    expect(res.body.results[7]).toMatchObject({ ok: false, expected: { decision: "DENY" }, actual: { decision: "ALLOW" } });
    expect(await counts(w.tenant)).toEqual(before);
  });

  it.each([
    ["an invalid policy", { policy: "version: v1\nrules:\n  - id: x\n    decision: perhaps\n", tests: "[]" }, "invalid_policy", { path: "rules[0].decision", line: 4, column: 15 }],
    ["a policy with a broken condition", { policy: "version: v1\nrules:\n  - id: x\n    match: { when: \"payload.a >\" }\n    decision: allow\n", tests: "[]" }, "invalid_policy", { path: "rules[0].match.when", line: 4 }],
    ["invalid tests", { policy: GUIDE_POLICY_YAML, tests: "- name: x\n  job: { topic: a.b }\n  expect: { decision: MAYBE }\n" }, "invalid_tests", { path: "[0].expect.decision", line: 3, column: 23 }],
    ["a missing tests field", { policy: GUIDE_POLICY_YAML }, "validation_failed", {}],
  ])("refuses %s with 400", async (_name, body, code, issue) => {
    const res = await call("POST", "/api/v1/policy/test", { token: w.admin, body });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(code);
    if (Object.keys(issue).length) expect(res.body.errors[0]).toMatchObject(issue);
  });

  it("needs policy:read", async () => {
    const res = await call("POST", "/api/v1/policy/test", { token: w.agent, body: { policy: GUIDE_POLICY_YAML, tests: "[]" } });
    expect(res.status).toBe(403);
  });
});

describe("POST /policy/snapshots/{id}/activate (rollback)", () => {
  let w: World;
  let other: World;
  beforeAll(async () => {
    [w, other] = await Promise.all([makeWorld("rollback"), makeWorld("rollback-other")]);
  });

  it("re-activates an earlier snapshot as a new, audited activation that re-decides open jobs", async () => {
    const shipped = await call("GET", "/api/v1/policy", { token: w.admin });
    const guide = await put(w, GUIDE_POLICY_YAML);
    expect(guide.body.changed).toBe(true);
    // Under the guide's policy a prod config write needs one reviewer; the shipped one asks service owners.
    const job = await w.submit({ topic: "job.config.update", risk_tags: ["prod", "write"] });
    expect(job.requirements).toEqual([{ rule_id: "prod-write-gate", roles: ["reviewer"], count: 1, approvals: 0 }]);

    const res = await activate(w.admin, shipped.body.snapshot_id);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ snapshot_id: shipped.body.snapshot_id, changed: true, redecided: 1 });

    const now = await call("GET", "/api/v1/policy", { token: w.admin });
    expect(now.body).toMatchObject({ snapshot_id: shipped.body.snapshot_id, yaml: DEFAULT_POLICY_YAML });
    const history = await call("GET", "/api/v1/policy/snapshots", { token: w.admin });
    const entry = history.body.items.find((i: { snapshot_id: string }) => i.snapshot_id === shipped.body.snapshot_id);
    expect(entry).toMatchObject({ active: true, activations: 2 });

    const redecided = await call("GET", `/api/v1/jobs/${job.job.id}`, { token: w.agent });
    expect(redecided.body.requirements.map((r: { rule_id: string; roles: string[] }) => r.roles)).toContainEqual(["service-owner", "oncall"]);

    const audit = await call("GET", "/api/v1/audit?type=policy.activated", { token: w.admin });
    const last = audit.body.items.at(-1);
    expect(last).toMatchObject({ type: "policy.activated", data: { snapshot_id: shipped.body.snapshot_id, previous: guide.body.snapshot_id, redecided: 1 } });

    // Activating the active snapshot again changes nothing.
    expect((await activate(w.admin, shipped.body.snapshot_id)).body).toEqual({ snapshot_id: shipped.body.snapshot_id, changed: false, redecided: 0 });
  });

  it.each([
    ["an unknown id", (w: World) => `cfg:${w.tenant}:policy#sha256:${"0".repeat(64)}`],
    ["another tenant's snapshot", async () => (await call("GET", "/api/v1/policy", { token: other.admin })).body.snapshot_id as string],
    ["an id that is no snapshot id", () => "not a snapshot"],
  ])("404 for %s, and nothing changes", async (_name, idOf) => {
    const before = await call("GET", "/api/v1/policy", { token: w.admin });
    const res = await activate(w.admin, await idOf(w));
    expect(res.status).toBe(404);
    expect(res.body.code).toBe("not_found");
    expect((await call("GET", "/api/v1/policy", { token: w.admin })).body.snapshot_id).toBe(before.body.snapshot_id);
  });

  it("needs policy:write", async () => {
    const shipped = await call("GET", "/api/v1/policy", { token: w.admin });
    const res = await activate(w.agent, shipped.body.snapshot_id);
    expect(res.status).toBe(403);
  });
});
