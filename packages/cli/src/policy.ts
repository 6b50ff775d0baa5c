// `countersign policy test POLICY_FILE TESTS_FILE` (DESIGN §2.1): runs a tests file against a policy with
// the server's own pure engine (dist/policy-engine.js, bundled from lib/policy at build time), so a
// policy is tested in CI before upload, with no server and no token.
import { readFile } from "node:fs/promises";

interface Issue {
  path: string;
  message: string;
  line: number;
  column: number;
}
interface Result {
  name: string;
  ok: boolean;
}
interface Engine {
  runPolicyTests(
    policy: string,
    tests: string,
  ): { ok: true; report: { passed: number; failed: number; results: Result[] } } | { ok: false; file: "policy" | "tests"; errors: Issue[] };
  formatPolicyTestResult(r: Result): string;
}

const USAGE = "usage: countersign policy test POLICY_FILE TESTS_FILE";

export async function runPolicy(argv: string[]): Promise<number> {
  const [verb, policyFile, testsFile, ...extra] = argv;
  if (verb !== "test" || !policyFile || !testsFile || extra.length > 0) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  let policy: string;
  let tests: string;
  try {
    [policy, tests] = await Promise.all([readFile(policyFile, "utf8"), readFile(testsFile, "utf8")]);
  } catch (err) {
    process.stderr.write(`countersign policy test: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  const engine = (await import(new URL("./policy-engine.js", import.meta.url).href)) as Engine;
  const result = engine.runPolicyTests(policy, tests);
  if (!result.ok) {
    const file = result.file === "policy" ? policyFile : testsFile;
    for (const e of result.errors) process.stderr.write(`${file}:${e.line}:${e.column}: ${e.path === "" ? "" : `${e.path}: `}${e.message}\n`);
    return 1;
  }
  for (const r of result.report.results) process.stdout.write(`${engine.formatPolicyTestResult(r)}\n`);
  process.stdout.write(`${result.report.passed} passed, ${result.report.failed} failed\n`);
  return result.report.failed > 0 ? 1 : 0;
}
