// Saturated throughput, closed loop (50 connections): (a) the in-app ceiling, then (b) submit, (c1)
// first and (c2) deep queue page, (d) approve, each bracketed by ceilings of its own. The ratios are
// judged against the in-app ceiling and reported against the bare Next.js app's too. A closed loop's
// latency is its queue (Little's law): the latency targets are judged on the open loop instead.
import { CFG, TARGETS } from "../config.mjs";
import { jobTemplates } from "../policy-gen.mjs";
import { load } from "../load.mjs";
import { httpRow, note, rows, step } from "../report.mjs";
import { api } from "../server.mjs";
import { fmt } from "../util.mjs";
import { approvable, submitSetup } from "./common.mjs";

/** Submit each template once and tally the policy's answers: the outcome mix of the submit load. */
async function outcomeMix(base, token, templates) {
  const mix = {};
  for (const [i, t] of templates.entries()) {
    const r = await api(base, "POST", "/api/v1/jobs", token, { topic: t.topic, risk_tags: t.risk_tags, payload: { probe: i } });
    const d = String(r?.decision ?? r?.job?.decision ?? "?").toLowerCase();
    mix[d] = (mix[d] ?? 0) + 1;
  }
  return Object.entries(mix)
    .map(([k, v]) => `${k} ${Math.round((v / templates.length) * 100)}%`)
    .join(", ");
}

/** Walks `pages` pages of limit=200 down the pending queue; returns the cursor there. */
export async function deepCursor(base, token, pages) {
  let cursor = null;
  for (let i = 0; i < pages; i++) {
    const page = await api(base, "GET", `/api/v1/approvals?include_resolved=false&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, token);
    if (!page?.next_cursor) throw new Error(`the queue ended after ${i + 1} pages (expected ${pages})`);
    cursor = page.next_cursor;
  }
  return cursor;
}

/**
 * Returns the saturated rates measured ({ ceiling, submit, queue, approve }), which the open loop
 * offers half of.
 */
export async function throughput({ base, tokens, dbUrl, bare, settle }) {
  const ping = async () => {
    await settle();
    const c = await load({ base, path: "/api/ping", token: tokens.agent });
    await settle();
    return c;
  };
  // This machine's speed drifts within a run, so a scenario's ceiling is the mean of ping runs just
  // before and just after it: a slow or fast spell that starts or ends during it weighs on both.
  const adjacent = [];
  const bracketed = async (label, run) => {
    const before = await ping();
    const m = await run();
    const after = await ping();
    adjacent.push({ label, before: before.rps, after: after.rps, rps: m.rps });
    return { m, own: { rps: (before.rps + after.rps) / 2 } };
  };
  const rates = {};
  await step("(a) GET /api/ping (in-app ceiling)", "", async () => {
    rates.ceiling = await load({ base, path: "/api/ping", token: tokens.agent });
    httpRow("(a) GET /api/ping (in-app ceiling)", rates.ceiling, { ceiling: rates.ceiling, bare });
  });

  const templates = jobTemplates(CFG.generatedRules);
  const ratioTarget = (t) => `≥ ${t}× (in-app ceiling)`;
  await step("(b) POST /api/v1/jobs (50-rule policy)", ratioTarget(TARGETS.submitRatio), async () => {
    note(`(b) outcome mix of the submitted bodies (cycled): ${await outcomeMix(base, tokens.agent, templates)}.`);
    const { m, own } = await bracketed("(b)", () => load({ base, path: "/api/v1/jobs", method: "POST", token: tokens.agent, setupRequest: submitSetup(templates) }));
    rates.submit = m;
    httpRow("(b) POST /api/v1/jobs (50-rule policy)", m, { ceiling: own, bare, checks: [(x, r) => r >= TARGETS.submitRatio], target: ratioTarget(TARGETS.submitRatio) });
  });

  const queueChecks = [(x, r) => r >= TARGETS.queueRatio];
  await step("(c1) GET /approvals first page", ratioTarget(TARGETS.queueRatio), async () => {
    const { m, own } = await bracketed("(c1)", () => load({ base, path: "/api/v1/approvals?include_resolved=false", token: tokens.reviewer }));
    rates.queue = m;
    httpRow("(c1) GET /approvals first page", m, { ceiling: own, bare, checks: queueChecks, target: ratioTarget(TARGETS.queueRatio) });
  });

  await step("(c2) GET /approvals deep page", ratioTarget(TARGETS.queueRatio), async () => {
    const pages = Math.min(CFG.deepPages, Math.floor(CFG.pending / 200) - 2);
    const w0 = Date.now();
    const cursor = await deepCursor(base, tokens.reviewer, pages);
    const walkMs = Date.now() - w0;
    note(`(c2) deep cursor: after ${pages} pages of limit=200 (${fmt(pages * 200)} items deep; the walk took ${fmt(walkMs)} ms, ${fmt(walkMs / pages, 1)} ms/page). Both queue runs use the default limit (50).`);
    const { m, own } = await bracketed("(c2)", () => load({ base, path: `/api/v1/approvals?include_resolved=false&cursor=${encodeURIComponent(cursor)}`, token: tokens.reviewer }));
    httpRow(`(c2) GET /approvals deep page (~${fmt(pages * 200)} in)`, m, { ceiling: own, bare, checks: queueChecks, target: ratioTarget(TARGETS.queueRatio) });
  });

  await step("(d) POST /approvals/{id}/approve", ratioTarget(TARGETS.approveRatio), async () => {
    const ids = await approvable(dbUrl, 60_000);
    let k = 0;
    const setupRequest = (req) => ({ ...req, path: `/api/v1/approvals/${ids[k++ % ids.length]}/approve` });
    const { m, own } = await bracketed("(d)", () =>
      load({ base, path: "/api/v1/approvals/x/approve", method: "POST", token: tokens.reviewer, body: JSON.stringify({ reason: "bench: approved" }), setupRequest }),
    );
    rates.approve = m;
    if (k > ids.length) note(`(d) ran out of distinct pending ids (${fmt(ids.length)} for ${fmt(k)} requests): the repeats answer 409 and count as non-2xx.`);
    note(`(d) approve: ${fmt(m.ok)} × 2xx, ${fmt(m.non2xx)} × non-2xx (4xx ${fmt(m.s4xx)}, 5xx ${fmt(m.s5xx)}), ${fmt(k)} distinct jobs targeted incl. warm-up.`);
    httpRow("(d) POST /approvals/{id}/approve", m, { ceiling: own, bare, checks: [(x, r) => r >= TARGETS.approveRatio], target: ratioTarget(TARGETS.approveRatio) });
  });

  if (rates.ceiling) {
    const top = Math.max(rates.ceiling.rps, ...adjacent.flatMap((c) => [c.before, c.after]));
    const scenarios = rows.filter((r) => r.raw?.rps && /^\((b|c1|c2|d)\)/.test(r.name));
    const against = (rps) => scenarios.map((r) => `${r.name.split(" ")[0]} ${(r.raw.rps / rps).toFixed(2)}`).join(", ");
    note(
      `In-app ceilings: (a) ${fmt(rates.ceiling.rps)} rps before the runs; ${adjacent.map((c) => `${fmt(c.before)} just before ${c.label} and ${fmt(c.after)} just after`).join("; ")}. ` +
        `The table's "ratio" and verdicts are each against the mean of the two ceilings around that scenario. ` +
        `Against the ceiling just before alone: ${adjacent.map((c) => `${c.label} ${(c.rps / c.before).toFixed(2)}`).join(", ")}. ` +
        `Against (a): ${against(rates.ceiling.rps)}. Against the highest in-app ceiling of the run (${fmt(top)} rps): ${against(top)}.`,
    );
  }
  return rates;
}
