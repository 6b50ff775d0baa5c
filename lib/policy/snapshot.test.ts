import { describe, expect, it } from "vitest";
import { DEFAULT_POLICY_YAML } from "./default-policy";
import { formatIssues, parsePolicy } from "./parse";
import { sha256Hex } from "@/lib/sha256";
import { canonicalJson, jobHash, policySnapshotId } from "./snapshot";

function snapshot(yaml: string, tenant = "system"): string {
  const result = parsePolicy(yaml);
  if (!result.ok) throw new Error(formatIssues(result.errors));
  return policySnapshotId(tenant, result.policy);
}

const base = `version: v1
rules:
  - id: gate
    match: { topics: ["job.deploy.*"], risk_tags: [prod] }
    decision: require_approval
    reason: "Production"
`;

describe("policySnapshotId", () => {
  it("has the documented shape", () => {
    expect(snapshot(base)).toMatch(/^cfg:system:policy#sha256:[0-9a-f]{64}$/);
    expect(snapshot(DEFAULT_POLICY_YAML, "acme")).toMatch(/^cfg:acme:policy#sha256:[0-9a-f]{64}$/);
  });

  it.each([
    ["reformatted, with comments", `# ours\nversion: "v1"\nrules:\n- decision: require_approval\n  reason: Production   # why\n  match:\n    risk_tags:\n      - prod\n    topics:\n      - job.deploy.*\n  id: gate\n`],
    ["with the defaults written out", `version: v1\ndefaults:\n  decision: require_approval\n  approvers: { roles: [reviewer], count: 1 }\n  cutoff: 24h\n  on_timeout: escalate\n${base.slice("version: v1\n".length)}`],
    ["with the rule's filled fields written out", `${base}    approvers: { count: 1, roles: [reviewer] }\n    on_timeout: escalate\n`],
    ["as JSON (YAML's subset)", JSON.stringify({ rules: [{ reason: "Production", decision: "require_approval", match: { risk_tags: ["prod"], topics: ["job.deploy.*"] }, id: "gate" }], version: "v1" })],
  ])("is the same when %s", (_name, yaml) => {
    expect(snapshot(yaml)).toBe(snapshot(base));
  });

  it.each([
    ["another reason", base.replace('"Production"', '"Prod"')],
    ["another topic", base.replace("job.deploy.*", "job.deploy.**")],
    ["another default", `${base}defaults: { sla: 30m }\n`],
    ["rules reordered", `${base}  - { id: open, decision: allow }\n`],
  ])("changes with %s", (_name, yaml) => {
    expect(snapshot(yaml)).not.toBe(snapshot(base));
  });

  it("names the tenant", () => {
    expect(snapshot(base, "acme").slice("cfg:acme:".length)).toBe(snapshot(base).slice("cfg:system:".length));
  });
});

describe("jobHash", () => {
  const job = { topic: "job.deploy.web", risk_tags: ["write", "prod"], payload: { b: 1, a: { y: [1, 2], x: "z" } } };
  it.each([
    ["tags reordered", { ...job, risk_tags: ["prod", "write"] }],
    ["tags repeated", { ...job, risk_tags: ["prod", "write", "prod"] }],
    ["payload keys reordered", { ...job, payload: { a: { x: "z", y: [1, 2] }, b: 1 } }],
  ])("is the same with %s", (_name, other) => {
    expect(jobHash(other)).toBe(jobHash(job));
  });

  it.each([
    ["another topic", { ...job, topic: "job.deploy.api" }],
    ["another tag", { ...job, risk_tags: ["prod"] }],
    ["another payload value", { ...job, payload: { b: 2, a: { y: [1, 2], x: "z" } } }],
    ["array order in the payload", { ...job, payload: { b: 1, a: { y: [2, 1], x: "z" } } }],
  ])("changes with %s", (_name, other) => {
    expect(jobHash(other)).not.toBe(jobHash(job));
  });

  it("is the SHA-256 of the canonical body", () => {
    expect(jobHash(job)).toBe(sha256Hex('{"payload":{"a":{"x":"z","y":[1,2]},"b":1},"risk_tags":["prod","write"],"topic":"job.deploy.web"}'));
  });
});

describe("canonicalJson", () => {
  it.each([
    [{ b: 1, a: [true, null, "x"] }, '{"a":[true,null,"x"],"b":1}'],
    [{ n: 1.0, e: 1e21, f: 0.1 }, '{"e":1e+21,"f":0.1,"n":1}'],
    [{ u: undefined, s: "é\u2028" }, '{"s":"é\u2028"}'],
  ])("%j", (value, text) => {
    expect(canonicalJson(value)).toBe(text);
  });

  it("refuses what JSON cannot say", () => {
    expect(() => canonicalJson(undefined)).toThrow();
    expect(() => canonicalJson({ n: Number.NaN })).toThrow();
  });
});

describe("sha256Hex", () => {
  it("hashes UTF-8", () => {
    expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
});
