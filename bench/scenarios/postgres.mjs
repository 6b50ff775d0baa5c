// The PostgreSQL phase, in order: seed the ladder's first rung and measure it, grow to the reference
// data set and measure that rung, then on it the references (bare app and in-app ceiling), throughput,
// open-loop latency, the agent's view, the metrics, the in-app ceiling again; last the optional big
// rungs (1M pending unless --no-1m; 10M resolved with --scale), so a long seeding never sits between
// the reference runs.
import { CFG, SCALE, TARGETS } from "../config.mjs";
import { load } from "../load.mjs";
import { addRow, cpuNote, httpRow, note, printHeader, rows, step, summariseServerLog, verdict } from "../report.mjs";
import { rssPeak, watch } from "../sampling.mjs";
import { provision, scratchDatabase, startServer } from "../server.mjs";
import { fmt, log } from "../util.mjs";
import { agentView, mcpGatewayOverhead } from "./agent.mjs";
import { measureBare } from "./bare-next.mjs";
import { settler } from "./common.mjs";
import { grow, growthRung, metrics } from "./growth.mjs";
import { openLoopLatency } from "./open-loop.mjs";
import { throughput } from "./throughput.mjs";

/** Starts the server on a fresh, seeded database; returns the context every scenario takes. */
export async function seededServer({ name = "postgres", nodeArgs = [], pending = CFG.ladder[0] } = {}) {
  const db = await scratchDatabase();
  const server = await startServer({ name, port: CFG.pgPort, env: { DATABASE_URL: db.url }, nodeArgs });
  const { tokens, snapshot, ruleCount } = await provision(server.base);
  log(`provisioned tenant bench: policy of ${ruleCount} rules (${snapshot})`);
  const ctx = { base: server.base, tokens, dbUrl: db.url, server, version: db.version, seeded: { pending: 0, pendingIds: 0, resolved: 0 }, seedNotes: [], seedSeconds: 0, settle: settler(db.url) };
  await grow(ctx, { pending, resolved: CFG.resolved });
  return ctx;
}

export async function postgresPhase({ bare }) {
  const ctx = await seededServer();
  const stopRss = watch(ctx.server, "pg");
  printHeader();
  await growthRung(ctx, CFG.ladder[0]);
  await grow(ctx, { pending: CFG.ladder[1] });
  await growthRung(ctx, CFG.ladder[1]);

  const refs = {};
  const bareRun = async (key, label) => {
    if (!bare) return;
    await step(label, "(reference)", async () => {
      refs[key] = await measureBare(bare);
      httpRow(label, refs[key], { bare: refs.bareBefore });
    });
  };
  await bareRun("bareBefore", "(r) bare Next.js app GET /api/ping");
  const rates = await throughput({ ...ctx, bare: refs.bareBefore });
  await openLoopLatency(ctx, rates);
  const agent = await agentView(ctx);
  await mcpGatewayOverhead(ctx, { agentP50: agent?.p50 });
  await metrics(ctx);
  await step("(a″) GET /api/ping again, after the rest", "", async () => {
    await ctx.settle();
    refs.inAppAfter = await load({ base: ctx.base, path: "/api/ping", token: ctx.tokens.agent });
    httpRow("(a″) GET /api/ping again, after the rest", refs.inAppAfter, { ceiling: rates.ceiling, bare: refs.bareBefore });
  });
  await bareRun("bareAfter", "(r′) bare Next.js app GET /api/ping again");
  referencesNote(rates, refs);

  if (CFG.ladder[2]) {
    await grow(ctx, { pending: CFG.ladder[2] });
    await growthRung(ctx, CFG.ladder[2]);
  } else {
    note(`(h) the last rung of the ladder (1M pending) was left out (--no-1m); the growth verdict is the ${fmt(CFG.ladder[1])} rung's.`);
  }
  if (SCALE) {
    await grow(ctx, { resolved: CFG.scaleResolved });
    await metrics(ctx);
  }
  stopRss();
  addRow({
    name: "server peak RSS under load (PostgreSQL)",
    p50: `${fmt(rssPeak.pg)} MB`,
    target: `< ${TARGETS.rssMb} MB`,
    result: verdict(rssPeak.pg > 0 ? rssPeak.pg < TARGETS.rssMb : null),
  });
  cpuNote("PostgreSQL");
  summariseServerLog(ctx.server);
  note(`Seeding (PostgreSQL, generate_series): ${ctx.seedSeconds.toFixed(0)} s in all. ${ctx.seedNotes.map((t, i) => `Step ${i + 1}: ${t}.`).join(" ")}`);
  await ctx.server.stop();
  return { version: ctx.version };
}

/** Both references side by side, and the ratios against each, so their difference can be read. */
function referencesNote(rates, refs) {
  const { bareBefore, bareAfter, inAppAfter } = refs;
  const parts = [];
  if (rates.ceiling && inAppAfter) parts.push(`in-app ping ${fmt(rates.ceiling.rps)} rps before the scenarios and ${fmt(inAppAfter.rps)} after them`);
  if (bareBefore) parts.push(`bare Next.js app ${fmt(bareBefore.rps)} rps before and ${bareAfter ? fmt(bareAfter.rps) : "—"} after`);
  if (bareBefore && rates.ceiling) parts.push(`the in-app ping is ${(rates.ceiling.rps / bareBefore.rps).toFixed(2)}× the bare app (what the product's proxy, instrumentation and background work cost a request that touches none of them)`);
  if (!parts.length) return;
  const bareMean = bareBefore && bareAfter ? (bareBefore.rps + bareAfter.rps) / 2 : bareBefore?.rps;
  const against = [
    ["(b)", rates.submit, TARGETS.submitRatio],
    ["(c1)", rates.queue, TARGETS.queueRatio],
    ["(c2)", rows.find((r) => r.name.startsWith("(c2)"))?.raw, TARGETS.queueRatio],
    ["(d)", rates.approve, TARGETS.approveRatio],
  ].filter(([, m]) => m?.rps);
  const judged = (ref) =>
    against.map(([tag, m, t]) => `${tag} ${(m.rps / ref).toFixed(2)} (${m.rps / ref >= t ? "met" : "missed"} at ${t})`).join(", ");
  note(
    `References: ${parts.join("; ")}. ` +
      (bareMean ? `Against the bare app (mean of its two runs, ${fmt(bareMean)} rps): ${judged(bareMean)}. ` : "") +
      (inAppAfter ? `Against the in-app ping after the scenarios: ${judged(inAppAfter.rps)}.` : ""),
  );
}
