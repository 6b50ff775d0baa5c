import { z } from "zod";
import { runPolicyTests } from "@/lib/policy/policy-tests";
import { Invalid } from "@/lib/services/errors";

export const PolicyTestBody = z
  .object({
    policy: z.string().min(1).max(256 * 1024).describe("the policy, as YAML"),
    tests: z.string().min(1).max(1024 * 1024).describe("the tests file: a YAML list of {name, job, expect}"),
  })
  .strict();
export type PolicyTestBody = z.infer<typeof PolicyTestBody>;

/** Runs policy tests with the pure engine: nothing is read from or written to the database. */
export function testPolicy({ input }: { input: PolicyTestBody }) {
  const result = runPolicyTests(input.policy, input.tests);
  if (!result.ok) {
    const first = result.errors[0];
    const where = first ? ` (line ${first.line}, column ${first.column}: ${first.message})` : "";
    if (result.file === "policy") throw new Invalid(`The policy did not validate${where}.`, result.errors, "invalid_policy");
    throw new Invalid(`The tests file did not validate${where}.`, result.errors, "invalid_tests");
  }
  return result.report;
}
