import crypto from "node:crypto";
import { and, eq, ne } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { auditEvents, deliveries, slackMessages, slackReplays, votes } from "@/lib/db/schema";
import { refreshSlackMessages } from "@/lib/services/channels/slack-refresh";
import { deliverDue } from "@/lib/services/outbox/deliver";
import { ADMIN, contextFor, makeWorld, type Person, type World } from "./fixtures";
import { call } from "./http";
import { sweep } from "@/lib/services/sla/sweep";
import { activatePolicy, approvalRule, DUAL, ESCALATING, policyOf } from "./policies";
import { startSlackStub } from "./slack-stub";

const SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
const ROUTE = "/api/v1/integrations/slack/interactions";
const OPS = { id: "ops", topics: "job.ops.*", roles: ["oncall"], count: 1, sla: "10m", cutoff: "1h" };

// What users.info answers: UUNVERIFIED has an email Slack has not verified; UMAIL is added by a test.
const slackPeople: Record<string, { email: string; verified: boolean }> = { UUNVERIFIED: { email: "nobody@example.com", verified: false } };
let slack: Awaited<ReturnType<typeof startSlackStub>>;
let w: World;
let fin1: Person;
let fin2: Person;
let oncall: Person;

// Interaction requests exactly as Slack sends them: a form with one `payload` field, signed with v0
// (HMAC-SHA256 of `v0:<timestamp>:<body>` under the signing secret, hex).
function signedRequest(payload: object, opts: { at?: number; secret?: string; signature?: string | null } = {}) {
  const body = `payload=${encodeURIComponent(JSON.stringify(payload))}`;
  const timestamp = String(opts.at ?? Math.floor(Date.now() / 1000));
  const signature = `v0=${crypto.createHmac("sha256", opts.secret ?? SECRET).update(`v0:${timestamp}:${body}`).digest("hex")}`;
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded", "x-slack-request-timestamp": timestamp };
  if (opts.signature !== null) headers["x-slack-signature"] = opts.signature ?? signature;
  return { body, headers };
}
const send = (r: { body: string; headers: Record<string, string> }) => call("POST", ROUTE, { rawBody: r.body, headers: r.headers });

const click = (user: string, value: string, vote: "approve" | "reject" = "approve") => ({
  type: "block_actions",
  user: { id: user, username: user.toLowerCase(), team_id: "T0001" },
  api_app_id: "A0001",
  team: { id: "T0001", domain: "acme" },
  container: { type: "message", message_ts: "1700000000.000001", channel_id: "CFIN", is_ephemeral: false },
  trigger_id: `trig-${crypto.randomUUID()}`,
  channel: { id: "CFIN", name: "finance-approvals" },
  response_url: "https://hooks.slack.com/actions/T0001/1/x",
  actions: [{ type: "button", action_id: vote === "approve" ? "cs_approve" : "cs_reject", block_id: "cs_decide", value, action_ts: "1700000001.0001" }],
});

const submission = (user: string, metadata: string, fields: { preset?: string; reason?: string; note?: string }) => ({
  type: "view_submission",
  user: { id: user, username: user.toLowerCase(), team_id: "T0001" },
  api_app_id: "A0001",
  team: { id: "T0001", domain: "acme" },
  trigger_id: `trig-${crypto.randomUUID()}`,
  view: {
    id: "V1",
    type: "modal",
    callback_id: "cs_vote",
    private_metadata: metadata,
    state: {
      values: {
        preset: { value: { type: "static_select", selected_option: fields.preset ? { text: { type: "plain_text", text: fields.preset }, value: fields.preset } : null } },
        reason: { value: { type: "plain_text_input", value: fields.reason ?? null } },
        note: { value: { type: "plain_text_input", value: fields.note ?? null } },
      },
    },
  },
  response_urls: [],
});

/** Post what is due (the courier's work, at `at`), then bring messages up to date. */
async function courier(at = new Date()) {
  const db = await getDb();
  await deliverDue(db, at, { allow: new Set() });
  await refreshSlackMessages(db, at);
}

const posts = (channel?: string) => slack.calls.filter((c) => c.method === "chat.postMessage" && !c.args.thread_ts && (!channel || c.args.channel === channel));
const messageFor = (jobId: string) => posts().find((c) => JSON.stringify(c.args.blocks).includes(jobId));
const buttonValue = (blocks: any[]) => blocks.find((b) => b.type === "actions")?.elements.find((e: any) => e.action_id === "cs_approve")?.value as string | undefined;
const lastView = () => slack.calls.filter((c) => c.method === "views.open").at(-1)!.args.view;
const text = (v: unknown) => JSON.stringify(v);

async function submitPay(extra: Record<string, unknown> = {}) {
  const job = await w.submit({ topic: "job.pay.vendor", payload: { amount: 1200, currency: "EUR", iban: "DE02" }, labels: { ticket: "FIN-7" }, ...extra });
  await courier();
  const msg = messageFor(job.job.id);
  expect(msg, "posted to the finance channel").toBeTruthy();
  return { job, msg: msg!, value: buttonValue(msg!.args.blocks)! };
}

/** Click, read the modal it opened, submit it: the view_submission answer. */
async function voteInSlack(user: string, value: string, fields: { preset?: string; reason?: string; note?: string }, vote: "approve" | "reject" = "approve") {
  const opened = await send(signedRequest(click(user, value, vote)));
  expect(opened.status).toBe(200);
  const view = lastView();
  if (!view.private_metadata) return { opened: view, submitted: null };
  const res = await send(signedRequest(submission(user, view.private_metadata, fields)));
  expect(res.status).toBe(200);
  return { opened: view, submitted: res.body };
}

beforeAll(async () => {
  slack = await startSlackStub(slackPeople);
  Object.assign(process.env, { SLACK_API_URL: slack.url, SLACK_BOT_TOKEN: "xoxb-test-token", SLACK_SIGNING_SECRET: SECRET, SLACK_LINK_BY_EMAIL: "1" });
  w = await makeWorld("slack");
  fin1 = await w.person(["finance"], "fin");
  fin2 = await w.person(["finance"], "fin");
  oncall = await w.person(["oncall"], "oncall");
  await activatePolicy(w, policyOf(approvalRule(DUAL), approvalRule(OPS), approvalRule(ESCALATING)));
  for (const [p, id] of [[fin1, "UFIN1"], [fin2, "UFIN2"], [oncall, "UONCALL"]] as const) {
    const res = await call("PATCH", `/api/v1/admin/users/${p.id}`, { token: w.admin, body: { slack_user_id: id } });
    expect(res.status, text(res.body)).toBe(200);
    expect(res.body.slack_user_id).toBe(id);
  }
  for (const [channel, roles] of [["CFIN", ["finance"]], ["COPS", ["oncall"]]] as const) {
    const res = await call("POST", "/api/v1/admin/notification-targets", { token: w.admin, body: { kind: "slack", channel, roles } });
    expect(res.status, text(res.body)).toBe(201);
    expect(res.body).toMatchObject({ kind: "slack", channel, roles });
  }
});

afterAll(() => slack?.close());

// deliverDue serves every tenant's due rows; other files' leftovers wait a year while this file runs.
beforeEach(async () => {
  const db = await getDb();
  await db.update(deliveries).set({ nextAttemptAt: new Date(Date.now() + 365 * 86_400_000) }).where(and(ne(deliveries.tenantId, w.tenant), eq(deliveries.state, "pending")));
});

describe("Slack app", () => {
  it("posts pending work to the channel of the roles it is routed to, as Block Kit with bound buttons", async () => {
    const { job, msg, value } = await submitPay();
    expect(msg.token).toBe("xoxb-test-token");
    expect(msg.args.channel).toBe("CFIN");
    expect(posts("COPS").some((c) => text(c.args).includes(job.job.id))).toBe(false);
    const blocks = text(msg.args.blocks);
    expect(blocks).toContain(job.decision_summary.title);
    expect(blocks).toContain("finance: 0/2");
    expect(blocks).toContain("ticket=FIN-7");
    expect(blocks).toContain("amount");
    expect(JSON.parse(value)).toEqual({ t: w.tenant, j: job.job.id, h: job.job_hash, s: job.policy_snapshot });
    const ops = await w.submit({ topic: "job.ops.restart", payload: { service: "api" } });
    await courier();
    expect(posts("COPS").some((c) => text(c.args).includes(ops.job.id))).toBe(true);
    expect(posts("CFIN").some((c) => text(c.args).includes(ops.job.id))).toBe(false);
  });

  it("dual approval with two Slack users, each through the modal; the message then shows who decided and loses its buttons", async () => {
    const { job, msg, value } = await submitPay();
    const first = await voteInSlack("UFIN1", value, { preset: "Planned change", note: "invoice 4411" });
    expect(first.opened.callback_id).toBe("cs_vote");
    expect(first.submitted).toMatchObject({ response_action: "update" });
    expect(text(first.submitted)).toContain("Still needed");
    await courier();
    const progress = slack.calls.filter((c) => c.method === "chat.update" && c.args.ts === msg.answer.ts).at(-1);
    expect(text(progress?.args.blocks)).toContain("finance: 1/2");

    const second = await voteInSlack("UFIN2", value, { reason: "Matches the PO" });
    expect(text(second.submitted)).toContain("approved");
    const state = await call("GET", `/api/v1/jobs/${job.job.id}`, { token: w.agent });
    expect(state.body).toMatchObject({ job: { state: "APPROVED" }, resolution: "approved", resolved_by: fin2.email, resolved_comment: "Matches the PO" });

    const db = await getDb();
    const cast = await db.select().from(votes).where(and(eq(votes.tenantId, w.tenant), eq(votes.jobId, job.job.id)));
    expect(cast.map((v) => [v.userEmail, v.credential, v.reason, v.note]).sort()).toEqual(
      [[fin1.email, "slack:UFIN1", "Planned change", "invoice 4411"], [fin2.email, "slack:UFIN2", "Matches the PO", null]].sort(),
    );
    const audited = await db.select().from(auditEvents).where(and(eq(auditEvents.tenantId, w.tenant), eq(auditEvents.jobId, job.job.id), eq(auditEvents.type, "vote.cast")));
    expect(audited.map((e) => (e.data as { credential: string }).credential).sort()).toEqual(["slack:UFIN1", "slack:UFIN2"]);

    await courier();
    const update = slack.calls.filter((c) => c.method === "chat.update" && c.args.ts === msg.answer.ts).at(-1)!;
    expect(update.args.channel).toBe("CFIN");
    expect(text(update.args.blocks)).toContain("Approved");
    expect(text(update.args.blocks)).toContain(fin2.email);
    expect(text(update.args.blocks)).toContain("Matches the PO");
    expect(buttonValue(update.args.blocks)).toBeUndefined();
    const [stored] = await db.select().from(slackMessages).where(and(eq(slackMessages.tenantId, w.tenant), eq(slackMessages.jobId, job.job.id)));
    expect(stored).toMatchObject({ ts: msg.answer.ts, channel: "CFIN", final: false });

    // A click on the old message now says why it no longer counts.
    const late = await voteInSlack("UFIN1", value, {});
    expect(late.submitted).toBeNull();
    expect(text(late.opened)).toContain("no longer counts");
    expect(text(late.opened)).toContain("already approved");
  });

  it("the reason is required; a vote without one is not stored", async () => {
    const { job, value } = await submitPay();
    const r = await voteInSlack("UFIN1", value, {});
    expect(r.submitted).toMatchObject({ response_action: "errors", errors: { reason: expect.stringContaining("reason") } });
    const db = await getDb();
    expect(await db.select().from(votes).where(and(eq(votes.tenantId, w.tenant), eq(votes.jobId, job.job.id)))).toHaveLength(0);
  });

  it("refuses self-approval: the button and the submission both say why", async () => {
    const { job, value } = await submitPay({ on_behalf_of: fin1.email });
    const opened = await send(signedRequest(click("UFIN1", value)));
    expect(opened.status).toBe(200);
    expect(text(lastView())).toContain("on your behalf");
    const meta = JSON.stringify({ ...JSON.parse(value), v: "approve" });
    const res = await send(signedRequest(submission("UFIN1", meta, { reason: "mine anyway" })));
    expect(text(res.body)).toContain("Not counted");
    const db = await getDb();
    expect(await db.select().from(votes).where(and(eq(votes.tenantId, w.tenant), eq(votes.jobId, job.job.id)))).toHaveLength(0);
  });

  it("an unlinked Slack user is told how to link and cannot vote; a verified email links where allowed", async () => {
    const { job, value } = await submitPay();
    for (const stranger of ["UNOBODY", "UUNVERIFIED"]) {
      const opened = await send(signedRequest(click(stranger, value)));
      expect(opened.status).toBe(200);
      expect(text(lastView())).toContain("not linked");
      expect(text(lastView())).toContain(stranger);
      const meta = JSON.stringify({ ...JSON.parse(value), v: "approve" });
      const res = await send(signedRequest(submission(stranger, meta, { reason: "let me" })));
      expect(text(res.body)).toContain("not linked");
    }
    const db = await getDb();
    expect(await db.select().from(votes).where(and(eq(votes.tenantId, w.tenant), eq(votes.jobId, job.job.id)))).toHaveLength(0);
    expect(slack.calls.some((c) => c.method === "users.info" && c.args.user === "UUNVERIFIED")).toBe(true);

    // SLACK_LINK_BY_EMAIL=1: Slack says UMAIL's verified email is this finance person's.
    const fin3 = await w.person(["finance"], "fin");
    slackPeople.UMAIL = { email: fin3.email.toUpperCase(), verified: true };
    const linked = await voteInSlack("UMAIL", value, { reason: "verified by email" });
    expect(text(linked.submitted)).toContain("Your vote counts");
    const [cast] = await db.select().from(votes).where(and(eq(votes.tenantId, w.tenant), eq(votes.jobId, job.job.id)));
    expect(cast).toMatchObject({ userId: fin3.id, credential: "slack:UMAIL" });
    const [audit] = await db.select().from(auditEvents).where(and(eq(auditEvents.tenantId, w.tenant), eq(auditEvents.type, "user.slack_linked")));
    expect(audit!.data).toMatchObject({ user_id: fin3.id, slack_user_id: "UMAIL", by: "verified_email" });
  });

  it("a button from before a policy change is stale: refused with why, and the message gets new buttons", async () => {
    const { job, msg, value } = await submitPay();
    await activatePolicy(w, policyOf(approvalRule({ ...DUAL, sla: "9m" }), approvalRule(OPS), approvalRule(ESCALATING)));
    const after = await call("GET", `/api/v1/jobs/${job.job.id}`, { token: w.agent });
    expect(after.body.policy_snapshot).not.toBe(job.policy_snapshot);
    const opened = await send(signedRequest(click("UFIN1", value)));
    expect(opened.status).toBe(200);
    expect(text(lastView())).toContain("policy changed");
    const meta = JSON.stringify({ ...JSON.parse(value), v: "approve" });
    const res = await send(signedRequest(submission("UFIN1", meta, { reason: "ok" })));
    expect(text(res.body)).toContain("policy changed");
    const db = await getDb();
    expect(await db.select().from(votes).where(and(eq(votes.tenantId, w.tenant), eq(votes.jobId, job.job.id)))).toHaveLength(0);
    await courier();
    const update = slack.calls.filter((c) => c.method === "chat.update" && c.args.ts === msg.answer.ts).at(-1)!;
    expect(JSON.parse(buttonValue(update.args.blocks)!).s).toBe(after.body.policy_snapshot);
  });

  it("refuses unsigned, wrongly signed, old and replayed requests with 401, storing nothing", async () => {
    const { job, value } = await submitPay();
    const db = await getDb();
    const replaysBefore = (await db.select().from(slackReplays)).length;
    const viewsBefore = slack.calls.filter((c) => c.method === "views.open").length;
    const meta = JSON.stringify({ ...JSON.parse(value), v: "approve" });
    const payload = submission("UFIN1", meta, { reason: "replayed" });
    const refused = [
      signedRequest(click("UFIN1", value), { signature: null }),
      signedRequest(click("UFIN1", value), { secret: "not-the-signing-secret" }),
      signedRequest(payload, { at: Math.floor(Date.now() / 1000) - 6 * 60 }),
      signedRequest(payload, { at: Math.floor(Date.now() / 1000) + 6 * 60 }),
      { ...signedRequest(payload), body: signedRequest(payload).body.replace("replayed", "tampered") },
    ];
    for (const r of refused) {
      const res = await send(r);
      expect(res.status).toBe(401);
      expect(res.headers.get("content-type")).toMatch(/problem\+json/);
      expect(res.body.code).toBe("unauthenticated");
    }
    expect((await db.select().from(slackReplays)).length).toBe(replaysBefore);
    expect(slack.calls.filter((c) => c.method === "views.open").length).toBe(viewsBefore);

    const once = signedRequest(payload);
    expect((await send(once)).status).toBe(200);
    const again = await send(once);
    expect(again.status).toBe(401);
    expect(again.body.detail).toContain("already received");
    const cast = await db.select().from(votes).where(and(eq(votes.tenantId, w.tenant), eq(votes.jobId, job.job.id)));
    expect(cast).toHaveLength(1);
    expect((await db.select().from(slackReplays)).length).toBe(replaysBefore + 1);
  });

  it("a decision made in the console updates the message", async () => {
    const { job, msg } = await submitPay();
    for (const p of [fin1, fin2]) {
      const res = await call("POST", `/api/v1/approvals/${job.job.id}/approve`, { token: p.token, body: { reason: "seen in the console" } });
      expect(res.status, text(res.body)).toBe(200);
    }
    await courier();
    const update = slack.calls.filter((c) => c.method === "chat.update" && c.args.ts === msg.answer.ts).at(-1)!;
    expect(text(update.args.blocks)).toContain("Approved");
    expect(text(update.args.blocks)).toContain("seen in the console");
    expect(buttonValue(update.args.blocks)).toBeUndefined();
  });

  it("Slack down: the post and the update wait in the database and go out once it is back; the decision is not held up", async () => {
    const db = await getDb();
    slack.state.down = true;
    const job = await w.submit({ topic: "job.pay.vendor", payload: { amount: 5 } });
    await courier();
    expect(messageFor(job.job.id)).toBeUndefined();
    const [waiting] = await db.select().from(deliveries).where(and(eq(deliveries.tenantId, w.tenant), eq(deliveries.jobId, job.job.id)));
    expect(waiting).toMatchObject({ state: "pending", url: "slack:CFIN" });
    expect(waiting!.lastError).toMatch(/Slack/);
    // Decided in the console while Slack is down.
    for (const p of [fin1, fin2]) expect((await call("POST", `/api/v1/approvals/${job.job.id}/approve`, { token: p.token, body: { reason: "during the outage" } })).status).toBe(200);
    slack.state.down = false;
    await courier(new Date(Date.now() + 60 * 60_000));
    const msg = messageFor(job.job.id)!;
    // Rendered when sent: it already shows the decision, with no buttons.
    expect(text(msg.args.blocks)).toContain("during the outage");
    expect(buttonValue(msg.args.blocks)).toBeUndefined();
    const [delivered] = await db.select().from(deliveries).where(eq(deliveries.id, waiting!.id));
    expect(delivered!.state).toBe("delivered");

    // An update that fails while Slack is down is retried later.
    const { job: other, msg: otherMsg } = await submitPay();
    slack.state.down = true;
    await call("POST", `/api/v1/approvals/${other.job.id}/reject`, { token: fin1.token, body: { reason: "wrong vendor" } });
    await courier();
    const [row] = await db.select().from(slackMessages).where(and(eq(slackMessages.tenantId, w.tenant), eq(slackMessages.jobId, other.job.id)));
    expect(row!.lastError).toMatch(/Slack/);
    slack.state.down = false;
    await courier(new Date(Date.now() + 60 * 60_000));
    const update = slack.calls.filter((c) => c.method === "chat.update" && c.args.ts === otherMsg.answer.ts).at(-1)!;
    expect(text(update.args.blocks)).toContain("Rejected");
    expect(text(update.args.blocks)).toContain("wrong vendor");
  });

  it("escalation and expiry follow up in the message's thread, and the message shows them", async () => {
    const job = await w.submit({ topic: "job.esc.restart", payload: { service: "api" } });
    await courier();
    const root = posts("COPS").find((c) => text(c.args).includes(job.job.id))!;
    const db = await getDb();
    const later = new Date(Date.now() + 11 * 60_000);
    await sweep(db, later);
    await courier(later);
    const thread = slack.calls.filter((c) => c.method === "chat.postMessage" && c.args.thread_ts === root.answer.ts);
    expect(thread.map((c) => c.args.text).join(" ")).toContain("escalated to eng-manager");
    const escalated = slack.calls.filter((c) => c.method === "chat.update" && c.args.ts === root.answer.ts).at(-1)!;
    expect(text(escalated.args.blocks)).toContain("(escalated)");
    // The deadline nears (past 80 % of the 1h cutoff): the thread is told once when it expires.
    const threadText = () => slack.calls.filter((c) => c.args.thread_ts === root.answer.ts).map((c) => String(c.args.text));
    expect(threadText().join(" ")).not.toContain("Expires at");
    for (const minutes of [49, 50]) {
      const nearing = new Date(Date.now() + minutes * 60_000);
      await sweep(db, nearing);
      await courier(nearing);
    }
    expect(threadText().filter((t) => t.includes(`Expires at ${job.sla.expires_at}`))).toHaveLength(1);
    const expiry = new Date(Date.now() + 61 * 60_000);
    await sweep(db, expiry);
    await courier(expiry);
    expect(slack.calls.filter((c) => c.args.thread_ts === root.answer.ts).map((c) => c.args.text).join(" ")).toContain("Expired without a decision");
    const final = slack.calls.filter((c) => c.method === "chat.update" && c.args.ts === root.answer.ts).at(-1)!;
    expect(text(final.args.blocks)).toContain("Expired");
    expect(buttonValue(final.args.blocks)).toBeUndefined();
    const [row] = await db.select().from(slackMessages).where(and(eq(slackMessages.tenantId, w.tenant), eq(slackMessages.jobId, job.job.id)));
    expect(row!.final).toBe(true);
    expect(threadText().filter((t) => t.includes("Expires at"))).toHaveLength(1);
  });

  it("a person links their own Slack id in Settings; one already linked to someone else is refused", async () => {
    const { updateOwnChannels, ownChannels } = await import("@/lib/services/channels/settings");
    const ctx = await contextFor({ kind: "user", tenantId: w.tenant, userId: fin1.id, email: fin1.email, roles: ["finance"], scopes: new Set(), tokenId: null });
    await expect(updateOwnChannels({ ctx, input: { slack_user_id: "UFIN2", email_opt_out: false } })).rejects.toMatchObject({ status: 409, code: "already_linked" });
    expect(await updateOwnChannels({ ctx, input: { slack_user_id: "UFIN1NEW", email_opt_out: true } })).toEqual({ slack_user_id: "UFIN1NEW", email_opt_out: true });
    expect(await ownChannels({ ctx })).toEqual({ slack_user_id: "UFIN1NEW", email_opt_out: true });
    await updateOwnChannels({ ctx, input: { slack_user_id: "UFIN1", email_opt_out: false } });
  });

  it("targets: a Slack channel id is validated; the admin API lists the kind", async () => {
    const bad = await call("POST", "/api/v1/admin/notification-targets", { token: w.admin, body: { kind: "slack", channel: "#general" } });
    expect(bad.status).toBe(400);
    const list = await call("GET", "/api/v1/admin/notification-targets", { token: w.admin });
    expect(list.body.items.map((t: { kind: string; channel: string }) => [t.kind, t.channel]).sort()).toEqual([["slack", "CFIN"], ["slack", "COPS"]]);
    const foreign = await call("PATCH", `/api/v1/admin/users/${fin1.id}`, { token: ADMIN(), body: { slack_user_id: "not-an-id" } });
    expect(foreign.status).toBe(400);
  });
});
