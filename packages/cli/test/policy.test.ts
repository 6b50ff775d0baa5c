// `countersign policy test` runs the pure engine bundled into dist: no server, no token.
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const repo = path.resolve(import.meta.dirname, "../../..");
const bin = path.join(repo, "packages/cli/bin/countersign.js");
const example = (name: string) => path.join(repo, "examples", name);

async function cli(...args: string[]) {
  // No server anywhere: a URL that nothing answers proves the command never calls one.
  const env = { ...process.env, COUNTERSIGN_URL: "http://127.0.0.1:9", COUNTERSIGN_TOKEN: "" };
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("countersign policy test", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "cs-policy-test-"));

  it("prints one line a case and exits 0 when all pass", async () => {
    const r = await cli("policy", "test", example("refunds-policy.yaml"), example("refunds-policy.tests.yaml"));
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(8);
    expect(lines[0]).toBe("ok   a small euro refund goes through");
    expect(lines.at(-1)).toBe("7 passed, 0 failed");
  });

  it("exits 1 on a failing case, saying what it got", async () => {
    const tests = path.join(dir, "failing.yaml");
    writeFileSync(tests, "- name: wrong\n  job: { topic: job.payments.refund, payload: { amount: 5, currency: EUR } }\n  expect: { decision: DENY }\n");
    const r = await cli("policy", "test", example("refunds-policy.yaml"), tests);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('FAIL wrong: expected {"decision":"DENY"}, got {"decision":"ALLOW","rule_id":"small-refund"');
    expect(r.stdout.trim().split("\n").at(-1)).toBe("0 passed, 1 failed");
  });

  it("exits 1 on an invalid policy, naming file, line and column", async () => {
    const policy = path.join(dir, "bad-policy.yaml");
    writeFileSync(policy, "version: v1\nrules:\n  - id: x\n    match: { when: \"payload.a >\" }\n    decision: allow\n");
    const r = await cli("policy", "test", policy, example("refunds-policy.tests.yaml"));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^${policy.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:4:\\d+: rules\\[0\\]\\.match\\.when: CEL syntax error`));
  });

  it("exits 2 on bad usage or a missing file", async () => {
    expect((await cli("policy", "test", example("refunds-policy.yaml"))).code).toBe(2);
    expect((await cli("policy", "test", example("refunds-policy.yaml"), path.join(dir, "nope.yaml"))).code).toBe(2);
  });
});
