#!/usr/bin/env node
// `npm run bench`: the production build on a fresh PostgreSQL database (and then on embedded PGlite),
// seeded with SQL, measured from loopback. Prints a table as it goes and writes docs/benchmarks.md.
//
// Flags (after `npm run bench --`):
//   --quick        small data (ladder 1k/10k/100k pending, 100k resolved) and 3 s runs; writes
//                  bench/.logs/benchmarks-quick.md
//   --no-build     use the existing .next build as it is
//   --keep-db      leave the seeded PostgreSQL database behind (its name is logged), for EXPLAIN ANALYZE
//   --only=postgres|pglite   one phase, for profiling; prints its figures, leaves the doc alone
//   --port=N       the servers listen on N (PostgreSQL), N+1 (PGlite), N+2 (bare Next.js app); default 3300
//                  or BENCH_PORT
//   --no-bare      skip the bare Next.js reference app (its build takes a minute)
//   --no-1m        leave the growth ladder's last rung out (1M pending; ~900k more jobs to seed, ~2 minutes)
//   --scale        also the metrics over 10M resolved (seeds 9M more jobs: a quarter of an hour or more)
//   --profile      only this: the open-loop submit at 50 % of its saturated rate on the reference data set,
//                  with the server under --cpu-prof and --trace-gc; writes bench/.logs/profile.md saying
//                  what the server did while the slowest requests waited (GC, sealer, sweeper, database)
// Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres), BENCH_PORT,
// BENCH_SERVER_NODE_ARGS (extra node flags for every server started).
//
// Layout: config.mjs (flags, sizes, targets), server.mjs (build, servers, database, provisioning),
// load.mjs (closed loop, open loop, sequential clients), sampling.mjs (CPU and memory), report.mjs and
// doc.mjs (table, notes, docs/benchmarks.md), seed.mjs, and one file per scenario in scenarios/. Apart:
// ab.mjs compares the submission's cost across builds (checkouts), for finding where it changed.
// Everything it starts is stopped by PID and everything it creates is removed, also on Ctrl-C.
import os from "node:os";
import { CFG, NO_BARE, ONLY, PROFILE, QUICK, TARGETS, root } from "./config.mjs";
import { writeDoc } from "./doc.mjs";
import { note, notes, printHeader, rows, step } from "./report.mjs";
import { rssByPhase } from "./sampling.mjs";
import { startBareNext } from "./scenarios/bare-next.mjs";
import { policyEvaluation } from "./scenarios/policy.mjs";
import { pglitePhase } from "./scenarios/pglite.mjs";
import { postgresPhase } from "./scenarios/postgres.mjs";
import { profileSubmitTail } from "./scenarios/profile.mjs";
import { buildIfNeeded, defaultPolicyYaml } from "./server.mjs";
import { cleanup, fmt, log } from "./util.mjs";

process.chdir(root);

/** Runs a phase; a failure stops that phase only and is reported as the run's fatal error. */
async function phase(name, fn, state) {
  try {
    return await fn();
  } catch (err) {
    state.fatal = [state.fatal, `${name}: ${String(err?.message ?? err).split("\n")[0]}`].filter(Boolean).join("; ");
    console.error(`[bench] ${err?.stack ?? err}`);
    return null;
  }
}

/** The benchmark proper: policy evaluation, the bare reference, the PostgreSQL phase, the PGlite phase. */
async function benchmarks(state) {
  let pgVersion = null;
  let bareInfo = null;
  if (!ONLY) {
    printHeader();
    await step("(f) policy evaluation", `< ${TARGETS.evalUs} µs/job`, async () => policyEvaluation());
  }
  if (ONLY !== "pglite") {
    let bare = null;
    if (!NO_BARE) {
      await step("(r) bare Next.js app", "(reference)", async () => {
        bare = await startBareNext();
        bareInfo = bare.info;
      });
    } else note("The bare Next.js reference app was skipped (--no-bare): no \"× bare\" ratios in this run.");
    const pg = await phase("PostgreSQL phase", () => postgresPhase({ bare }), state);
    pgVersion = pg?.version ?? null;
    await bare?.server.stop();
  }
  if (ONLY !== "postgres") await phase("PGlite phase", pglitePhase, state);
  for (const key of ["pg", "pglite"]) {
    const phases = Object.entries(rssByPhase[key]).sort((a, b) => b[1] - a[1]);
    if (phases.length) note(`Server RSS peak by phase (${key === "pg" ? "PostgreSQL" : "PGlite"}): ${phases.map(([ph, mb]) => `${ph} ${fmt(mb)} MB`).join("; ")}.`);
  }
  return { pgVersion, bareInfo };
}

async function main() {
  const started = new Date();
  const loadAtStart = os.loadavg().map((x) => x.toFixed(2)).join(" / ");
  log(
    `${PROFILE ? "PROFILE" : QUICK ? "QUICK" : "full"} run: ladder ${CFG.ladder.map((n) => fmt(n)).join(" / ")} pending, ${fmt(CFG.resolved)} resolved, ` +
      `${CFG.duration} s closed-loop runs, ${CFG.openDuration} s open-loop runs, ports ${CFG.pgPort}-${CFG.barePort}`,
  );
  const state = { fatal: null };
  let buildInfo = "";
  let pgVersion = null;
  let bareInfo = null;
  try {
    buildInfo = buildIfNeeded();
    log(`build: ${buildInfo}`);
    defaultPolicyYaml(); // fail early if it cannot be read
    if (PROFILE) await phase("profile", profileSubmitTail, state);
    else ({ pgVersion, bareInfo } = await benchmarks(state));
  } catch (err) {
    state.fatal = String(err?.message ?? err).split("\n")[0];
    console.error(`[bench] ${err?.stack ?? err}`);
  }
  await cleanup();
  const seconds = (Date.now() - started.getTime()) / 1000;
  if (rows.length && !ONLY && !PROFILE) writeDoc({ pgVersion, started, seconds, buildInfo, bareInfo, fatal: state.fatal, loadAtStart });
  console.log("");
  for (const n of notes) console.log(`- ${n}`);
  log(`done in ${Math.round(seconds)} s${state.fatal ? ` (stopped early: ${state.fatal})` : ""}`);
  process.exit(state.fatal ? 1 : 0);
}

main();
