import { beforeAll, describe, expect, it } from "vitest";
import { authenticate } from "@/lib/auth/authenticate";
import { getDatabase, getDb } from "@/lib/db/client";
import { listQueue } from "@/lib/services/approvals/list";
import { QueueQuery } from "@/lib/services/approvals/schemas";
import type { Ctx, Principal } from "@/lib/services/context";
import { findJob } from "@/lib/services/jobs/find";
import { renderJob } from "@/lib/services/jobs/render";
import { call } from "./http";
import { contextFor, makeWorld, type World } from "./fixtures";
import { activatePolicy, allowRule, approvalRule, DUAL, ESCALATING, policyOf } from "./policies";

// The queue renders its items half in SQL and half in TypeScript (lib/services/approvals/list.ts), for
// speed; every other answer renders a job with `renderJob`. This holds the two equal, item for item,
// for every kind of job, viewer and moment: pending, escalated, lapsed, resolved, voted on, self.

const POLICY = policyOf(
  allowRule("reads", "job.read.*"),
  approvalRule(ESCALATING),
  approvalRule({ ...DUAL, onTimeout: "reject" }),
  approvalRule({ id: "plain", topics: "job.ops.*", roles: ["oncall"], count: 1, sla: "30m", cutoff: "2h" }),
);
const MIN = 60_000;

describe("queue items equal renderJob's rendering", () => {
  let w: World;
  let viewers: Record<string, string>;
  let t0: number;

  beforeAll(async () => {
    w = await makeWorld("qrender");
    await activatePolicy(w, POLICY);
    const oncall = await w.person(["oncall"], "oncall");
    const finance1 = await w.person(["finance"], "fin");
    const finance2 = await w.person(["finance", "oncall"], "fin");
    const manager = await w.person(["eng-manager"], "mgr");
    const requester = await w.person(["oncall", "finance"], "self");
    viewers = { oncall: oncall.token, finance1: finance1.token, finance2: finance2.token, manager: manager.token, requester: requester.token, agent: w.agent, admin: w.admin };

    const first = await w.submit({ topic: "job.esc.deploy", title: "Deploy <b>api</b> \"v2\"", description: "line 1\nline 2 ☃", labels: { team: "core" }, payload: { nested: { a: [1, 2, null] }, emoji: "🚀" } });
    t0 = Date.parse(first.job.created_at);
    await w.submit({ topic: "job.esc.config", on_behalf_of: requester.email, callback_url: "https://hooks.example/cb" });
    const pay = await w.submit({ topic: "job.pay.invoice", risk_tags: ["payment"] });
    await w.submit({ topic: "job.pay.refund", risk_tags: ["payment"] });
    await w.submit({ topic: "job.ops.restart" });
    await w.submit({ topic: "job.unmatched.thing" });
    const decided = await w.submit({ topic: "job.ops.scale" });
    const rejected = await w.submit({ topic: "job.ops.drain" });

    const vote = (token: string, id: string, verb: "approve" | "reject", reason: string) =>
      call("POST", `/api/v1/approvals/${id}/${verb}`, { token, body: { reason } });
    expect((await vote(finance1.token, pay.job.id, "approve", "first of two")).status).toBe(200);
    expect((await vote(oncall.token, decided.job.id, "approve", "fine")).status).toBe(200);
    expect((await vote(oncall.token, rejected.job.id, "reject", "not now")).status).toBe(200);
  });

  it("every gated job's stored view is a fresh rendering of its row, and its tally is its votes in order", async () => {
    const { query } = await getDatabase();
    // A cancel too: the view follows every write. A job the policy allows needs nobody and has none.
    const allowed = await w.submit({ topic: "job.read.logs" });
    expect(allowed.job.state).toBe("APPROVED");
    const cancelled = await w.submit({ topic: "job.ops.cancelme" });
    expect((await call("POST", `/api/v1/jobs/${cancelled.job.id}/cancel`, { token: w.agent, body: {} })).status).toBe(200);
    const [row] = await query<{ gated: number; ungated: number; stale: number; untallied: number; ungated_views: number }>(
      `select count(*) filter (where gated)::int as gated, count(*) filter (where not gated)::int as ungated,
              count(*) filter (where gated and '{' || view is distinct from countersign_job_view(jobs, null))::int as stale,
              count(*) filter (where tally is distinct from coalesce((
                select jsonb_agg(jsonb_build_object('userId', v.user_id, 'vote', v.vote, 'roles', to_jsonb(v.roles)) order by v.id)
                from votes v where v.tenant_id = jobs.tenant_id and v.job_id = jobs.id), '[]'::jsonb))::int as untallied,
              count(*) filter (where not gated and view is not null)::int as ungated_views
       from jobs where tenant_id = $1`,
      [w.tenant],
    );
    expect(row).toEqual({ gated: 9, ungated: 1, stale: 0, untallied: 0, ungated_views: 0 });
  });

  async function principalOf(token: string, now: Date): Promise<Principal> {
    const { query } = await getDatabase();
    return authenticate(query, new Request("http://countersign.test/", { headers: { authorization: `Bearer ${token}` } }), now);
  }

  // Now; past the 10-minute SLAs (escalated, the dual ones lapsed); past every cutoff (all lapsed).
  for (const [label, offset] of [["now", 1_000], ["after due_at", 11 * MIN], ["after the cutoffs", 3 * 60 * MIN]] as const) {
    for (const include_resolved of [false, true]) {
      it(`${label}, ${include_resolved ? "history" : "pending"}: every viewer sees exactly renderJob's item`, async () => {
        const db = await getDb();
        const now = new Date(t0 + offset);
        let seen = 0;
        for (const [who, token] of Object.entries(viewers)) {
          const principal = await principalOf(token, now);
          const ctx: Ctx = await contextFor(principal, now);
          const input = QueueQuery.parse({ include_resolved: String(include_resolved), limit: "200" });
          const page = await listQueue({ ctx, input });
          for (const item of page.items) {
            const found = await findJob(db, w.tenant, item.job.id);
            expect({ who, item }).toEqual({ who, item: JSON.parse(JSON.stringify(renderJob(found.job, found.votes, principal, now))) });
          }
          seen += page.items.length;

          // Walking the same listing two at a time gives the same items in the same order.
          const walked: string[] = [];
          let cursor: string | undefined;
          do {
            const next = await listQueue({ ctx, input: QueueQuery.parse({ include_resolved: String(include_resolved), limit: "2", ...(cursor ? { cursor } : {}) }) });
            walked.push(...next.items.map((i) => i.job.id));
            cursor = next.next_cursor ?? undefined;
          } while (cursor);
          expect(walked).toEqual(page.items.map((i) => i.job.id));
        }
        expect(seen).toBeGreaterThan(0);
      });
    }
  }
});
