// How cost grows with the data: (h) the queue's first page and a deep page at each rung of pending jobs
// (the same resolved history under all), and (e) the 30-day metrics over the resolved history. Both at
// one connection: the question is what one request costs as the tables grow, and a request that waits
// behind others would add queueing that depends on the machine's load, not on the data.
import postgres from "postgres";
import { CFG, TARGETS } from "../config.mjs";
import { sequential } from "../load.mjs";
import { latencyRow, note, rows, step } from "../report.mjs";
import { api } from "../server.mjs";
import { seed } from "../seed.mjs";
import { fmt, log } from "../util.mjs";
import { auth, pendingCount } from "./common.mjs";
import { deepCursor } from "./throughput.mjs";

const short = (n) => (n >= 1e6 ? `${n / 1e6}M` : n >= 1e3 ? `${n / 1e3}k` : String(n));

/**
 * Tops the data set up to `pending` pending jobs and `resolved` resolved ones (either may be omitted),
 * numbering the new rows after those seeded before (`ctx.seeded`); notes how long it took.
 */
export async function grow(ctx, { pending, resolved }) {
  const addPending = pending ? pending - (ctx.seeded.pending ? await pendingCount(ctx.dbUrl) : 0) : 0;
  const addResolved = resolved ? resolved - ctx.seeded.resolved : 0;
  if (addPending <= 0 && addResolved <= 0) return;
  const range = (from, n) => (n > 0 ? [from + 1, from + n] : null);
  log(`seeding +${fmt(Math.max(0, addPending))} pending, +${fmt(Math.max(0, addResolved))} resolved jobs with generate_series…`);
  const t0 = Date.now();
  const s = await seed({
    connect: () => postgres(ctx.dbUrl, { max: 1, onnotice: () => {} }),
    tenant: "bench",
    pending: range(ctx.seeded.pendingIds, addPending),
    resolved: range(ctx.seeded.resolved, addResolved),
    log,
  });
  const secs = (Date.now() - t0) / 1000;
  if (addPending > 0) ctx.seeded.pendingIds += addPending;
  if (addResolved > 0) ctx.seeded.resolved += addResolved;
  ctx.seeded.pending = s.pending;
  const t = s.timings;
  const text =
    `+${fmt(Math.max(0, addPending))} pending, +${fmt(Math.max(0, addResolved))} resolved in ${secs.toFixed(1)} s ` +
    `(insert ${t.jobs_insert_s.toFixed(1)} s, votes ${t.votes_insert_s.toFixed(1)} s, ${s.rebuilt ? `rebuilding ${s.indexes} indexes ${t.indexes_s.toFixed(1)} s` : "indexes kept"}, ` +
    `VACUUM (ANALYZE) ${t.analyze_s.toFixed(1)} s, CHECKPOINT ${t.checkpoint_s.toFixed(1)} s): now ${fmt(s.pending)} pending, ${fmt(s.resolved)} resolved, ${fmt(s.votes)} reject votes`;
  log(`seeded ${text}`);
  ctx.seedNotes.push(text);
  ctx.seedSeconds += secs;
}

/** One rung of the ladder: the first page and the deep page, one connection each. */
export async function growthRung(ctx, target) {
  const label = short(target);
  const first = CFG.ladder[0];
  const bound = `p99 ≤ ${TARGETS.growth}× the ${short(first)} rung's`;
  const pages = Math.ceil(CFG.ladderDepth / 200);
  for (const [kind, pathFor] of [
    ["first page", async () => "/api/v1/approvals?include_resolved=false"],
    [`deep page (~${fmt(pages * 200)} in)`, async () => `/api/v1/approvals?include_resolved=false&cursor=${encodeURIComponent(await deepCursor(ctx.base, ctx.tokens.reviewer, pages))}`],
  ]) {
    const name = `(h) queue ${kind}, ${label} pending, 1 conn`;
    await step(name, target === first ? "(the reference rung)" : bound, async () => {
      const path = await pathFor();
      await ctx.settle();
      const m = await sequential({ base: ctx.base, next: () => ({ path, headers: auth(ctx.tokens.reviewer) }), phase: "GET /api/v1/approvals (1 conn)" });
      const ref = rows.find((r) => r.name === `(h) queue ${kind}, ${short(first)} pending, 1 conn`)?.raw;
      if (target === first || !ref) return latencyRow(name, m, { target: "(the reference rung)" });
      const ratioText = `${(m.p99 / ref.p99).toFixed(2)}×`;
      latencyRow(name, m, { check: (x) => x.p99 <= TARGETS.growth * ref.p99 && x.errors === 0, target: bound, ratioText });
    });
  }
  note(`(h) rung ${label}: ${fmt(await pendingCount(ctx.dbUrl))} pending (and ${fmt(ctx.seeded.resolved)} seeded resolved) when measured; the "ratio" of a later rung is its p99 over the ${short(first)} rung's.`);
}

/** (e) The 30-day metrics at one connection, judged on p99. */
export async function metrics(ctx) {
  const target = `p99 < ${TARGETS.metricsMs} ms (1 conn)`;
  const name = `(e) GET /metrics/decisions 30d, ${short(ctx.seeded.resolved)} resolved, 1 conn`;
  await step(name, target, async () => {
    const p = "/api/v1/metrics/decisions?window=30d";
    const probe = await api(ctx.base, "GET", p, ctx.tokens.ops);
    const g = probe?.groups?.[0];
    note(
      `(e) metrics answer over ${short(ctx.seeded.resolved)} resolved: decided ${fmt(g?.decided)}, approved ${fmt(g?.approved)}, rejected ${fmt(g?.rejected)}, expired ${fmt(g?.expired)}, ` +
        `${g?.rejection_reasons?.length ?? 0} rejection reasons, queue depth ${fmt(probe?.queue?.depth)}.`,
    );
    await ctx.settle();
    const m = await sequential({ base: ctx.base, next: () => ({ path: p, headers: auth(ctx.tokens.ops) }), phase: "GET /api/v1/metrics/decisions" });
    latencyRow(name, m, { check: (x) => x.p99 < TARGETS.metricsMs && x.errors === 0, target });
  });
}
