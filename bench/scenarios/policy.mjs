// (f) Policy evaluation in-process: bench/eval.ts run with tsx before any server starts.
import { spawnSync } from "node:child_process";
import { CFG, TARGETS, root } from "../config.mjs";
import { addRow, note, verdict } from "../report.mjs";
import { fmt } from "../util.mjs";

export function policyEvaluation() {
  const r = spawnSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", "bench/eval.ts", String(CFG.evalIterations), String(CFG.evalRules)], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) throw new Error(`bench/eval.ts failed: ${r.stderr.slice(-1500)}`);
  const res = JSON.parse(r.stdout.trim().split("\n").pop());
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
}
