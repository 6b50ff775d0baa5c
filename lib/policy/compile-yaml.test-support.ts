import { compilePolicy, type CompiledPolicy } from "./evaluate";
import { formatIssues, parsePolicy } from "./parse";

/** Tests' shorthand: parse and compile a policy, failing loudly with its validation errors. */
export function compileYaml(yaml: string): CompiledPolicy {
  const result = parsePolicy(yaml);
  if (!result.ok) throw new Error(formatIssues(result.errors));
  return compilePolicy(result.policy);
}
