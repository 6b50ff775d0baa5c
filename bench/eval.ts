// (f) In-process policy evaluation: the default policy plus generated rules (1,000 in all), compiled
// once, then `evaluate` over ~1e6 varied jobs. Prints one JSON line on stdout for run.mjs.
// Run: node node_modules/tsx/dist/cli.mjs bench/eval.ts [iterations] [totalRules] [whenRules]
// With whenRules > 0, that many of the rules carry a `match.when` condition over every job's topic:
// the worst case, where each job evaluates every condition.
import { DEFAULT_POLICY_YAML } from "../lib/policy/default-policy";
import { compilePolicy, evaluate, type EvaluationJob } from "../lib/policy/evaluate";
import { parsePolicy } from "../lib/policy/parse";
// @ts-expect-error plain ESM helper shared with run.mjs
import { jobTemplates, policyYaml } from "./policy-gen.mjs";

const iterations = Number(process.argv[2] ?? 1_000_000);
const totalRules = Number(process.argv[3] ?? 1000);
const defaultRules = (DEFAULT_POLICY_YAML.match(/^\s{2}- id:/gm) ?? []).length;
const whenRules = Number(process.argv[4] ?? 0);
const generated = totalRules - defaultRules - whenRules;

function whenRulesYaml(count: number): string {
  let out = "";
  for (let k = 0; k < count; k++) {
    out += `  - id: when-${k}\n    match:\n      topics: ["job.**"]\n`;
    out += `      when: "payload.amount > ${1000 + k} && payload.currency == 'EUR'"\n    decision: require_approval\n`;
  }
  return out;
}

const yaml: string = policyYaml(DEFAULT_POLICY_YAML, generated) + whenRulesYaml(whenRules);
const parsed = parsePolicy(yaml);
if (!parsed.ok) {
  console.error(JSON.stringify(parsed.errors.slice(0, 5)));
  throw new Error("the generated 1,000-rule policy did not parse");
}
const t0 = process.hrtime.bigint();
const compiled = compilePolicy(parsed.policy);
const compileMs = Number(process.hrtime.bigint() - t0) / 1e6;

// 1,000 distinct jobs: the HTTP mix spread over all generated rules, plus titles.
const templates: { topic: string; risk_tags: string[] }[] = jobTemplates(generated);
const jobs: EvaluationJob[] = [];
for (let k = 0; k < 1000; k++) {
  const base = templates[k % templates.length]!;
  const topic = base.topic.replace(/svc(\d+)/, (_m, n) => `svc${(Number(n) + 4 * Math.floor(k / templates.length)) % generated}`);
  jobs.push({
    topic,
    risk_tags: base.risk_tags,
    title: k % 3 === 0 ? `Job ${k}` : null,
    payload: { amount: k * 7, currency: k % 2 === 0 ? "EUR" : "USD" },
    labels: null,
    requested_by: `agent:bench-${k % 10}`,
    on_behalf_of: null,
  });
}

const mix: Record<string, number> = {};
for (const j of jobs) {
  const d = evaluate(compiled, j).decision;
  mix[d] = (mix[d] ?? 0) + 1;
}

// Warm-up, then the timed loop; the sink keeps the JIT from dropping the work.
let sink = 0;
for (let i = 0; i < Math.min(200_000, iterations); i++) sink += evaluate(compiled, jobs[i % jobs.length]!).matched_rules.length;
const start = process.hrtime.bigint();
for (let i = 0; i < iterations; i++) sink += evaluate(compiled, jobs[i % jobs.length]!).matched_rules.length;
const ns = Number(process.hrtime.bigint() - start);

console.log(
  JSON.stringify({
    rules: parsed.policy.rules.length,
    when_rules: whenRules,
    iterations,
    ns_per_job: ns / iterations,
    compile_ms: compileMs,
    mix,
    sink,
  }),
);
