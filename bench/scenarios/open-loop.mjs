// (g) Latency as callers feel it: submit, the queue's first page and approve offered in an open loop,
// first at half of that route's own saturated rate (measured closed-loop in the same run: 50 %
// utilisation), then at a fixed 100 requests a second. Judged on p99 from each request's scheduled time.
import { CFG, TARGETS } from "../config.mjs";
import { openLoop } from "../load.mjs";
import { jobTemplates } from "../policy-gen.mjs";
import { errorRow, latencyRow, note, step } from "../report.mjs";
import { fmt, ms } from "../util.mjs";
import { approvable, auth, jobBody } from "./common.mjs";

/** The three routes, each with the request maker for its open loop (`prepare(n)` readies n requests). */
export function routes({ tokens, dbUrl }, rates) {
  const templates = jobTemplates(CFG.generatedRules);
  let submitted = 1_000_000; // apart from the closed loop's payload numbers
  let ids = [];
  let k = 0;
  return [
    {
      tag: "(g1)",
      name: "POST /jobs",
      saturated: rates.submit,
      next: () => ({ method: "POST", path: "/api/v1/jobs", headers: auth(tokens.agent), body: jobBody(templates, submitted++) }),
    },
    {
      tag: "(g2)",
      name: "GET /approvals page 1",
      saturated: rates.queue,
      next: () => ({ path: "/api/v1/approvals?include_resolved=false", headers: auth(tokens.reviewer) }),
    },
    {
      tag: "(g3)",
      name: "POST /approvals/{id}/approve",
      saturated: rates.approve,
      prepare: async (n) => {
        ids = await approvable(dbUrl, n);
        k = 0;
      },
      next: () => ({ method: "POST", path: `/api/v1/approvals/${ids[k++ % Math.max(1, ids.length)]}/approve`, headers: auth(tokens.reviewer), body: '{"reason":"bench: approved"}' }),
      exhausted: () => (k > ids.length ? `ran out of distinct pending jobs (${fmt(ids.length)} for ${fmt(k)} requests; repeats answer 409)` : null),
    },
  ];
}

export async function openLoopLatency(ctx, rates) {
  const target = `p99 < ${TARGETS.openP99} ms (open loop)`;
  const offers = (route) => [
    { label: "50 %", rate: route.saturated ? route.saturated.rps / 2 : null, shown: (r) => `50 % = ${fmt(r)}/s` },
    { label: `${CFG.fixedRate}/s`, rate: CFG.fixedRate, shown: (r) => `${fmt(r)}/s` },
  ];
  const lines = [];
  for (const route of routes(ctx, rates)) {
    for (const offer of offers(route)) {
      const name = `${route.tag} ${route.name}, open loop ${offer.rate ? offer.shown(offer.rate) : offer.label}`;
      if (!offer.rate) {
        errorRow(name, new Error("no saturated rate measured for this route (its closed-loop run failed)"), target);
        continue;
      }
      await step(name, target, async () => {
        await route.prepare?.(Math.ceil(offer.rate * (CFG.openDuration + CFG.openWarmup) * 1.1) + 100);
        await ctx.settle();
        const m = await openLoop({ base: ctx.base, rate: offer.rate, next: route.next, phase: `${route.name} (open loop)` });
        const gone = route.exhausted?.();
        if (gone) note(`${name}: ${gone}.`);
        latencyRow(name, m, { check: (x) => x.p99 < TARGETS.openP99 && x.errors === 0, target });
        lines.push(
          `${route.tag} ${offer.label}: offered ${fmt(offer.rate)}/s, achieved ${fmt(m.rps)}/s, p50 ${ms(m.p50)} / p90 ${ms(m.p90)} / p99 ${ms(m.p99)} / max ${ms(m.max)} ms ` +
            `(${fmt(m.n)} requests; sends left p99 ${ms(m.lag.p99)} ms late, at most ${m.peak} in flight)`,
        );
      });
    }
  }
  if (lines.length) {
    note(
      `Open loop (g): arrivals evenly spaced whatever the answers do, latency from each request's scheduled time (node:http keep-alive, a socket opened whenever all are busy). ` +
        `"Sends left late" is this client's own delay behind the schedule (timer resolution, its event loop), counted in the latency. ${lines.join("; ")}.`,
    );
  }
}
