// `--profile`: what makes the submit tail. The server runs under --cpu-prof (1 ms samples) and
// --trace-gc on the reference data set; the saturated submit rate is measured closed-loop, then the open
// loop offers half of it, and the profile and GC log of that window are read against its slowest requests
// (bench/profile-analysis.mjs). Writes bench/.logs/profile.md; the profile stays in bench/.logs/profile/.
import fs from "node:fs";
import path from "node:path";
import { CFG, LOG_DIR, TARGETS, root } from "../config.mjs";
import { load, openLoop } from "../load.mjs";
import { jobTemplates } from "../policy-gen.mjs";
import { analyse } from "../profile-analysis.mjs";
import { cpuNote, httpRow, latencyRow, printHeader } from "../report.mjs";
import { watch } from "../sampling.mjs";
import { fmt, log, ms } from "../util.mjs";
import { submitSetup } from "./common.mjs";
import { routes } from "./open-loop.mjs";
import { seededServer } from "./postgres.mjs";

function readBytes(file, from, to) {
  const fd = fs.openSync(file, "r");
  try {
    const buf = Buffer.alloc(Math.max(0, to - from));
    fs.readSync(fd, buf, 0, buf.length, from);
    return buf.toString("utf8");
  } finally {
    fs.closeSync(fd);
  }
}

export async function profileSubmitTail() {
  const dir = path.join(LOG_DIR, "profile");
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const ctx = await seededServer({ name: "profile", pending: CFG.pending, nodeArgs: ["--cpu-prof", `--cpu-prof-dir=${dir}`, "--trace-gc"] });
  const stopRss = watch(ctx.server, "pg");
  const { settle } = ctx;
  printHeader();
  await settle();
  const sat = await load({ base: ctx.base, path: "/api/v1/jobs", method: "POST", token: ctx.tokens.agent, setupRequest: submitSetup(jobTemplates(CFG.generatedRules)), server: ctx.server });
  httpRow("(b) POST /api/v1/jobs, closed loop, profiled", sat);
  const submit = routes(ctx, { submit: sat })[0];
  await settle();
  const logFrom = fs.statSync(ctx.server.logFile).size;
  const m = await openLoop({ base: ctx.base, rate: sat.rps / 2, next: submit.next, phase: "POST /api/v1/jobs (open loop)" });
  const logTo = fs.statSync(ctx.server.logFile).size;
  latencyRow(`(g1) POST /jobs, open loop 50 % = ${fmt(sat.rps / 2)}/s, profiled`, m, { check: (x) => x.p99 < TARGETS.openP99, target: `p99 < ${TARGETS.openP99} ms` });
  cpuNote("PostgreSQL, under the profiler");
  log("stopping the server so it writes its profile…");
  await ctx.server.stop();
  stopRss();
  const file = fs.readdirSync(dir).filter((f) => f.endsWith(".cpuprofile")).map((f) => path.join(dir, f)).sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0];
  if (!file) throw new Error(`the server left no .cpuprofile in ${path.relative(root, dir)}`);
  const lines = analyse({ profile: JSON.parse(fs.readFileSync(file, "utf8")), results: m.results, gcText: readBytes(ctx.server.logFile, logFrom, logTo) });
  const text = [
    `# What the submit tail is made of (${new Date().toISOString()})`,
    "",
    `Open loop at ${fmt(sat.rps / 2)}/s (half of ${fmt(sat.rps)}/s closed-loop, both under the profiler) for ${CFG.openDuration} s on ${fmt(CFG.pending)} pending / ${fmt(CFG.resolved)} resolved: ` +
      `p50 ${ms(m.p50)} ms, p99 ${ms(m.p99)} ms, max ${ms(m.max)} ms; PostgreSQL CPU ${fmt(m.cpu.pg)} µs and the server's ${fmt(m.cpu.server)} µs per request.`,
    `Profile: ${path.relative(root, file)} (open it in Chrome DevTools or speedscope); GC log: ${path.relative(root, ctx.server.logFile)}.`,
    "",
    ...lines,
    "",
    "Reading it: a tail made of GC shows GC samples and overlapping pauses; of the sealer or sweeper, their share rising",
    "while the slow requests waited; of PostgreSQL, the main thread idle while they waited (the answer was not back yet).",
  ].join("\n");
  const out = path.join(LOG_DIR, "profile.md");
  fs.writeFileSync(out, `${text}\n`);
  console.log(`\n${text}\n`);
  log(`wrote ${path.relative(root, out)}`);
}
