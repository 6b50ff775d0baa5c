// (f) Policy evaluation in-process: bench/eval.ts run with tsx before any server starts.
import { spawnSync } from "node:child_process";
import { CFG, TARGETS, root } from "../config.mjs";
import { addRow, note, verdict } from "../report.mjs";
import { fmt } from "../util.mjs";

function runEval(iterations, whenRules) {
  const args = ["node_modules/tsx/dist/cli.mjs", "bench/eval.ts", String(iterations), String(CFG.evalRules), String(whenRules)];
  const r = spawnSync(process.execPath, args, { cwd: root, encoding: "utf8", maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`bench/eval.ts failed: ${r.stderr.slice(-1500)}`);
  return JSON.parse(r.stdout.trim().split("\n").pop());
}

export function policyEvaluation() {
  const res = runEval(CFG.evalIterations, 0);
  const us = res.ns_per_job / 1000;
  addRow({
    name: `(f) policy evaluation, ${res.rules} rules (in-process)`,
    rps: `${fmt(1e9 / res.ns_per_job)}/s`,
    p50: `${us.toFixed(2)} µs`,
    target: `< ${TARGETS.evalUs} µs/job (mean)`,
    result: verdict(us < TARGETS.evalUs),
    raw: res,
  });
  note(
    `(f) ${fmt(res.iterations)} evaluations over 1,000 varied jobs: ${us.toFixed(2)} µs/job mean (compile ${res.compile_ms.toFixed(1)} ms); ` +
      `outcomes of the 1,000 jobs: ${Object.entries(res.mix).map(([k, v]) => `${k} ${v}`).join(", ")}.`,
  );

  // The same 1,000 rules of which 100 carry a `match.when` over every topic: each job evaluates all
  // 100 CEL conditions (the worst case). A figure, not a target.
  const w = runEval(Math.max(1000, Math.floor(CFG.evalIterations / 20)), 100);
  addRow({
    name: `(f) policy evaluation, ${w.rules} rules, ${w.when_rules} with match.when (in-process)`,
    rps: `${fmt(1e9 / w.ns_per_job)}/s`,
    p50: `${(w.ns_per_job / 1000).toFixed(2)} µs`,
    target: "figure only",
    result: "n/a",
    raw: w,
  });
}
