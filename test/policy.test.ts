import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { DEFAULT_POLICY_YAML, GUIDE_POLICY_YAML } from "@/lib/policy/default-policy";
import { call } from "./http";
import { makeWorld, type World } from "./fixtures";

const put = (w: World, yaml: string, contentType = "application/yaml") =>
  call("PUT", "/api/v1/policy", { token: w.admin, rawBody: yaml, headers: { "content-type": contentType } });

const PROD_WRITE = { topic: "job.config.update", risk_tags: ["prod", "write"], payload: { v: 1 } };

describe("policy upload", () => {
  let w: World;
  beforeAll(async () => {
    w = await makeWorld("policy");
  });

  it("serves the shipped default policy for a new tenant", async () => {
    const res = await call("GET", "/api/v1/policy", { token: w.admin });
    expect(res.status).toBe(200);
    expect(res.body.yaml).toBe(DEFAULT_POLICY_YAML);
    expect(res.body.snapshot_id).toMatch(new RegExp(`^cfg:${w.tenant}:policy#sha256:[0-9a-f]{64}$`));
    expect(res.body.activated_by).toBe("admin:installation");
  });

  it("refuses an invalid policy whole, with line and column, and keeps the active one", async () => {
    const before = await call("GET", "/api/v1/policy", { token: w.admin });
    const res = await put(w, "version: v1\nrules:\n  - id: x\n    decision: perhaps\n");
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("invalid_policy");
    expect(res.body.errors[0]).toMatchObject({ path: "rules[0].decision", line: 4, column: 15 });
    const after = await call("GET", "/api/v1/policy", { token: w.admin });
    expect(after.body.snapshot_id).toBe(before.body.snapshot_id);
  });

  it.each([
    ["text/html", 415, "unsupported_media_type"],
    ["application/json", 415, "unsupported_media_type"],
  ])("refuses content type %s", async (type, status, code) => {
    const res = await put(w, GUIDE_POLICY_YAML, type);
    expect(res.status).toBe(status);
    expect(res.body.code).toBe(code);
  });

  it("loads the guide's own policy unchanged; the same policy twice is the same snapshot", async () => {
    const first = await put(w, GUIDE_POLICY_YAML);
    expect(first.status).toBe(200);
    expect(first.body.changed).toBe(true);
    const reformatted = GUIDE_POLICY_YAML.replace(/\n\n/g, "\n") + "\n# a comment changes nothing\n";
    const second = await put(w, reformatted);
    expect(second.body).toEqual({ snapshot_id: first.body.snapshot_id, changed: false, redecided: 0 });

    const history = await call("GET", "/api/v1/policy/snapshots", { token: w.admin });
    expect(history.body.active).toBe(first.body.snapshot_id);
    expect(history.body.items.map((i: { snapshot_id: string }) => i.snapshot_id)).toContain(first.body.snapshot_id);
    expect(history.body.items.length).toBeGreaterThanOrEqual(2);

    // The guide's table, under the guide's own policy (no defaults: fail closed to require_approval).
    const read = await w.submit({ topic: "job.repo.read" });
    expect(read.decision).toBe("ALLOW");
    const prod = await w.submit(PROD_WRITE);
    expect(prod.decision).toBe("REQUIRE_APPROVAL");
    expect(prod.requirements).toEqual([{ rule_id: "prod-write-gate", roles: ["reviewer"], count: 1, approvals: 0 }]);
    const egress = await w.submit({ topic: "job.http.fetch", risk_tags: ["egress"] });
    expect(egress.decision).toBe("ALLOW_WITH_CONSTRAINTS");
    expect(egress.constraints).toEqual({ max_runtime_sec: 60, network_allowlist: ["api.github.com", "api.slack.com"] });
    await put(w, DEFAULT_POLICY_YAML);
  });

  it("needs policy:write to upload and policy:read to read", async () => {
    const agent = await put({ ...w, admin: w.agent }, GUIDE_POLICY_YAML);
    expect(agent.status).toBe(403);
    expect(agent.body.code).toBe("insufficient_scope");
    const read = await call("GET", "/api/v1/policy", { token: w.agent });
    expect(read.status).toBe(403);
  });
});

describe("a new policy re-decides pending jobs; a gate once raised is never lowered", () => {
  let w: World;
  beforeAll(async () => {
    w = await makeWorld("redecide");
  });

  it("deny beats the old gate, allow keeps it, approval rules add requirements", async () => {
    const toDeny = await w.submit({ topic: "job.config.drop", risk_tags: ["prod", "write"], payload: {} });
    const toKeep = await w.submit({ ...PROD_WRITE, payload: { keep: true } });
    const toGrow = await w.submit({ topic: "job.config.rotate", risk_tags: ["prod", "write"], payload: {} });

    const yaml = `${DEFAULT_POLICY_YAML}
  - id: deny-config-drop
    match:
      topics: ["job.config.drop"]
    decision: deny
    reason: "No drops"
  - id: allow-config-update
    match:
      topics: ["job.config.update"]
    decision: allow
  - id: rotate-needs-security
    match:
      topics: ["job.config.rotate"]
    decision: require_approval
    reason: "Rotations need security"
    approvers: { roles: [security], count: 1 }
`;
    const res = await put(w, yaml);
    expect(res.status).toBe(200);
    expect(res.body.redecided).toBeGreaterThanOrEqual(3);

    const denied = await call("GET", `/api/v1/jobs/${toDeny.job.id}`, { token: w.agent });
    expect(denied.body.job.state).toBe("DENIED");
    expect(denied.body.policy_rule_id).toBe("deny-config-drop");
    expect(denied.body.policy_snapshot).toBe(res.body.snapshot_id);

    const kept = await call("GET", `/api/v1/jobs/${toKeep.job.id}`, { token: w.agent });
    expect(kept.body.job.state).toBe("APPROVAL");
    expect(kept.body.requirements.map((r: { rule_id: string }) => r.rule_id)).toEqual(["prod-write-gate"]);
    expect(kept.body.policy_snapshot).toBe(res.body.snapshot_id);

    const grown = await call("GET", `/api/v1/jobs/${toGrow.job.id}/decisions`, { token: w.agent });
    expect(grown.body.job.requirements.map((r: { rule_id: string }) => r.rule_id).sort()).toEqual(["prod-write-gate", "rotate-needs-security"]);
    expect(grown.body.decisions.map((d: { cause: string }) => d.cause)).toEqual(["submit", "policy_change"]);

    const audit = await call("GET", `/api/v1/audit?job_id=${toGrow.job.id}&type=job.redecided`, { token: w.admin });
    expect(audit.body.items).toHaveLength(1);
    expect((await call("GET", "/api/v1/audit/verify", { token: w.admin })).body.ok).toBe(true);
  });

  it("a job already past its deadline (not yet swept) stays expired: the new policy neither denies nor re-opens it", async () => {
    const lapsed = await w.submit({ topic: "job.config.purge", risk_tags: ["prod", "write"], payload: { lapsed: true } });
    expect(lapsed.job.state).toBe("APPROVAL");
    const db = await getDb();
    await db.execute(sql`update jobs set due_at = now() - interval '2 hours', expires_at = now() - interval '1 hour' where id = ${lapsed.job.id}`);
    const res = await put(w, `${DEFAULT_POLICY_YAML}
  - id: deny-config-purge
    match:
      topics: ["job.config.purge"]
    decision: deny
    reason: "No purges"
`);
    expect(res.status).toBe(200);
    const job = await call("GET", `/api/v1/jobs/${lapsed.job.id}/decisions`, { token: w.agent });
    expect(job.body.job.job.state).toBe("EXPIRED");
    expect(job.body.job.resolved_by).toBe("system:sla");
    expect(job.body.decisions.map((d: { cause: string }) => d.cause)).toEqual(["submit"]);
    const events = await call("GET", `/api/v1/audit?job_id=${lapsed.job.id}`, { token: w.admin });
    expect(events.body.items.map((e: { type: string }) => e.type)).toEqual(["job.submitted", "job.expired"]);
  });
});

describe("POST /policy/simulate", () => {
  let w: World;
  beforeAll(async () => {
    w = await makeWorld("simulate");
  });

  it("says what a candidate would decide for one job, and for the last days' jobs", async () => {
    await w.submit({ topic: "job.repo.read" });
    await w.submit({ topic: "job.repo.read", payload: { n: 2 } });
    await w.submit(PROD_WRITE);
    const strict = `version: v1
defaults:
  decision: deny
rules:
  - id: gate-everything
    match:
      topics: ["**"]
    decision: require_approval
`;
    const one = await call("POST", "/api/v1/policy/simulate", { token: w.admin, body: { yaml: strict, job: { topic: "job.repo.read", payload: {} } } });
    expect(one.status).toBe(200);
    expect(one.body.job.before.decision).toBe("allow");
    expect(one.body.job.after.decision).toBe("require_approval");
    expect(one.body.job.changed).toBe(true);

    const week = await call("POST", "/api/v1/policy/simulate", { token: w.admin, body: { yaml: strict, days: 7 } });
    expect(week.body.jobs).toBe(3);
    // The two reads now need people; the prod write keeps its gate but with other requirements and deadlines.
    expect(week.body.changed).toBe(3);
    const t = week.body.transitions.find((x: { from: string; to: string }) => x.from === "allow" && x.to === "require_approval");
    expect(t.count).toBe(2);
    expect(t.examples).toHaveLength(2);

    const bad = await call("POST", "/api/v1/policy/simulate", { token: w.admin, body: { yaml: "version: v2\n" } });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe("invalid_policy");
  });
});

describe("a policy cannot break submissions, and a broken submission does not break the next", () => {
  let w: World;
  beforeAll(async () => {
    w = await makeWorld("durations");
  });

  const activeId = async () => (await call("GET", "/api/v1/policy", { token: w.admin })).body.snapshot_id as string;

  /** A snapshot as a row, made active without an upload (as one stored before today's checks would be). */
  async function activateStored(id: string, policy: unknown) {
    const db = await getDb();
    await db.execute(sql`insert into policy_snapshots (id, tenant_id, yaml, policy, created_by, created_at)
      values (${id}, ${w.tenant}, ${"# stored before the checks"}, ${JSON.stringify(policy)}::jsonb, ${"admin:installation"}, now())`);
    await db.execute(sql`update tenants set active_snapshot_id = ${id} where id = ${w.tenant}`);
  }

  it.each([
    ["defaults.cutoff", "version: v1\ndefaults:\n  cutoff: 3000000d\n", 3, 11],
    ["rules[0].cutoff", "version: v1\nrules:\n  - id: slow\n    decision: require_approval\n    cutoff: 999999999d\n", 5, 13],
    ["rules[0].sla", "version: v1\nrules:\n  - id: slow\n    decision: require_approval\n    sla: 366d\n", 5, 10],
  ])("a duration beyond 365d (%s) is refused at upload with line and column; the active policy stays", async (path, yaml, line, column) => {
    const before = await activeId();
    const res = await put(w, yaml);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("invalid_policy");
    expect(res.body.errors).toEqual([expect.objectContaining({ path, line, column, message: expect.stringContaining("at most 365d") })]);
    expect(await activeId()).toBe(before);
    expect((await call("POST", "/api/v1/jobs", { token: w.agent, body: { topic: "job.dur.ok", risk_tags: [], payload: {} } })).status).toBe(201);
  });

  it("a stored snapshot with longer durations is read capped: submissions and activations never answer 500", async () => {
    const pending = await w.submit({ topic: "job.dur.pending", payload: { n: 1 } });
    expect(pending.job.state).toBe("APPROVAL");
    await activateStored(`cfg:${w.tenant}:policy#sha256:${"1".repeat(64)}`, {
      version: "v1",
      defaults: { decision: "require_approval", approvers: { roles: ["reviewer"], count: 1 }, cutoff: "3000000d", on_timeout: "escalate" },
      rules: [{ id: "slow", match: { topics: ["job.dur.slow"], risk_tags: [] }, decision: "require_approval", approvers: { roles: ["reviewer"], count: 1 }, cutoff: "999999999d", sla: "999999999d", on_timeout: "escalate" }],
    });
    for (const topic of ["job.dur.any", "job.dur.slow"]) {
      const res = await call("POST", "/api/v1/jobs", { token: w.agent, body: { topic, risk_tags: [], payload: {} } });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      const created = Date.parse(res.body.job.created_at);
      expect(Date.parse(res.body.sla.expires_at) - created).toBe(365 * 86_400_000);
    }
    // An upload over the jobs decided under it re-decides them without a timestamp out of range.
    const back = await put(w, DEFAULT_POLICY_YAML);
    expect(back.status, JSON.stringify(back.body)).toBe(200);
  });

  it("after a submission failed, the instance reads the active policy again: a sane policy put back works at once", async () => {
    expect((await put(w, DEFAULT_POLICY_YAML)).status).toBe(200);
    expect((await w.submit({ topic: "job.poison.before" })).job.id).toBeTruthy(); // this instance's guess: a good snapshot
    // A snapshot this instance cannot use (its stored policy is not one), made active behind its back.
    await activateStored(`cfg:${w.tenant}:policy#sha256:${"2".repeat(64)}`, { version: "v1" });
    const broken = await call("POST", "/api/v1/jobs", { token: w.agent, body: { topic: "job.poison.during", risk_tags: [], payload: {} } });
    expect(broken.status).toBe(500);
    expect(broken.body.code).toBe("internal_error");

    const fixed = await put(w, `${DEFAULT_POLICY_YAML}\n  - id: poison-fixed\n    match: { topics: ["job.poison.none"] }\n    decision: deny\n`);
    expect(fixed.status).toBe(200);
    // No restart: the failed submission dropped the instance's guess, so this one reads the fixed policy.
    const after = await call("POST", "/api/v1/jobs", { token: w.agent, body: { topic: "job.poison.after", risk_tags: [], payload: {} } });
    expect(after.status, JSON.stringify(after.body)).toBe(201);
    expect(after.body.policy_snapshot).toBe(fixed.body.snapshot_id);
  });
});
