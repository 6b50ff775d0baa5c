import { and, eq, ne } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getDatabase, getDb } from "@/lib/db/client";
import { auditEvents, deliveries, emailLinks, votes } from "@/lib/db/schema";
import { openMailLink, voteByMailLink } from "@/lib/services/channels/mail-vote";
import { deliverDue } from "@/lib/services/outbox/deliver";
import { sweep } from "@/lib/services/sla/sweep";
import { contextFor, makeWorld, type Person, type World } from "./fixtures";
import { call } from "./http";
import { activatePolicy, approvalRule, DUAL, ESCALATING, policyOf } from "./policies";
import { personalLink, startSmtpCatcher } from "./smtp-catcher";

let smtp: Awaited<ReturnType<typeof startSmtpCatcher>>;
let w: World;
let fin1: Person;
let fin2: Person;
let optedOut: Person;
let oncall: Person;
let manager: Person;

async function courier(at = new Date()) {
  const db = await getDb();
  // Fan-out first, then the mails it queued.
  await deliverDue(db, at, { allow: new Set() });
  await deliverDue(db, at, { allow: new Set() });
}

const mailsTo = (email: string) => smtp.mails.filter((m) => (m.to && "text" in m.to ? m.to.text : "").includes(email));
const linkFor = (email: string, jobId: string) => {
  const m = mailsTo(email).filter((x) => (x.text ?? "").includes(jobId)).at(-1);
  return m ? personalLink(m) : undefined;
};
const votesOn = async (jobId: string) => (await getDb()).select().from(votes).where(and(eq(votes.tenantId, w.tenant), eq(votes.jobId, jobId)));

beforeAll(async () => {
  smtp = await startSmtpCatcher();
  process.env.SMTP_URL = smtp.url;
  w = await makeWorld("mail");
  fin1 = await w.person(["finance"], "fin");
  fin2 = await w.person(["finance"], "fin");
  optedOut = await w.person(["finance"], "fin");
  oncall = await w.person(["oncall"], "oncall");
  manager = await w.person(["eng-manager"], "mgr");
  await activatePolicy(w, policyOf(approvalRule(DUAL), approvalRule(ESCALATING)));
  // The person opts out in the console (their own settings).
  const { updateOwnChannels } = await import("@/lib/services/channels/settings");
  await updateOwnChannels({
    ctx: await contextFor({ kind: "user", tenantId: w.tenant, userId: optedOut.id, email: optedOut.email, roles: ["finance"], scopes: new Set(["approvals:resolve"]), tokenId: null }),
    input: { slack_user_id: null, email_opt_out: true },
  });
});

afterAll(() => smtp?.close());

beforeEach(async () => {
  const db = await getDb();
  await db.update(deliveries).set({ nextAttemptAt: new Date(Date.now() + 365 * 86_400_000) }).where(and(ne(deliveries.tenantId, w.tenant), eq(deliveries.state, "pending")));
});

describe("approval mail", () => {
  it("mails the people who can act, with the summary, a plain-text part, the console link and a personal link", async () => {
    const job = await w.submit({ topic: "job.pay.vendor", title: "Pay ACME", payload: { amount: 900 }, on_behalf_of: fin2.email });
    await courier();
    const mine = mailsTo(fin1.email).filter((m) => (m.text ?? "").includes(job.job.id));
    expect(mine).toHaveLength(1);
    const m = mine[0]!;
    expect(m.subject).toContain(job.decision_summary.title);
    expect(m.text).toContain(job.decision_summary.why);
    expect(m.text).toContain(`/jobs/${job.job.id}`);
    expect(m.html).toContain("Review and decide");
    expect(personalLink(m)).toMatch(/^eml-/);
    // Not the person it is on behalf of, not someone who opted out, not another role.
    for (const p of [fin2, optedOut, oncall]) expect(mailsTo(p.email).some((x) => (x.text ?? "").includes(job.job.id))).toBe(false);
    // Retrying the courier sends nothing twice.
    await courier(new Date(Date.now() + 3_600_000));
    expect(mailsTo(fin1.email).filter((x) => (x.text ?? "").includes(job.job.id))).toHaveLength(1);
  });

  it("opening the link changes nothing; the form's POST votes once, as its person, audited with the channel", async () => {
    const database = await getDatabase();
    const job = await w.submit({ topic: "job.pay.vendor", payload: { amount: 901 } });
    await courier();
    const token = linkFor(fin1.email, job.job.id)!;
    for (let i = 0; i < 3; i++) {
      const opened = await openMailLink({ database, token, now: new Date() });
      expect(opened).toMatchObject({ person: fin1.email, refusal: null, item: { job: { id: job.job.id, state: "APPROVAL" } } });
    }
    expect(await votesOn(job.job.id)).toHaveLength(0);
    const db = await getDb();
    const [link] = await db.select().from(emailLinks).where(eq(emailLinks.id, token.split(".")[0]!));
    expect(link!.usedAt).toBeNull();

    await expect(voteByMailLink({ database, token, vote: "approve", input: { reason: "  " }, now: new Date() })).rejects.toThrow(/reason/);
    expect((await db.select().from(emailLinks).where(eq(emailLinks.id, link!.id)))[0]!.usedAt).toBeNull();

    const r = await voteByMailLink({ database, token, vote: "approve", input: { reason: "Invoice matches", job_hash: job.job_hash, policy_snapshot: job.policy_snapshot }, now: new Date() });
    expect(r.job.state).toBe("APPROVAL");
    const [v] = await votesOn(job.job.id);
    expect(v).toMatchObject({ userEmail: fin1.email, credential: `email:${link!.id}`, reason: "Invoice matches" });
    const [event] = await db.select().from(auditEvents).where(and(eq(auditEvents.tenantId, w.tenant), eq(auditEvents.jobId, job.job.id), eq(auditEvents.type, "vote.cast")));
    expect(event!.data).toMatchObject({ credential: `email:${link!.id}` });

    // Single use.
    await expect(voteByMailLink({ database, token, vote: "reject", input: { reason: "again" }, now: new Date() })).rejects.toMatchObject({ code: "link_used" });
    expect((await openMailLink({ database, token, now: new Date() })).refusal).toMatch(/already used/);
    expect(await votesOn(job.job.id)).toHaveLength(1);
  });

  it("refuses a tampered signature, another person's link id, and a link whose job was decided", async () => {
    const database = await getDatabase();
    const job = await w.submit({ topic: "job.pay.vendor", payload: { amount: 902 } });
    await courier();
    const mine = linkFor(fin1.email, job.job.id)!;
    const theirs = linkFor(fin2.email, job.job.id)!;
    const [id, sig] = mine.split(".") as [string, string];
    const tampered = `${id}.${sig.slice(0, -1)}${sig.endsWith("A") ? "B" : "A"}`;
    // Wrong person: fin2's link id with fin1's signature (or the other way round) is not a link.
    const swapped = `${theirs.split(".")[0]}.${sig}`;
    for (const bad of [tampered, swapped, "eml-nothing.x", `${id}`]) {
      await expect(openMailLink({ database, token: bad, now: new Date() })).rejects.toMatchObject({ status: 404 });
      await expect(voteByMailLink({ database, token: bad, vote: "approve", input: { reason: "x" }, now: new Date() })).rejects.toMatchObject({ status: 404 });
    }
    expect(await votesOn(job.job.id)).toHaveLength(0);

    // Decided in the console: every link for it stops counting.
    for (const p of [fin1, fin2]) expect((await call("POST", `/api/v1/approvals/${job.job.id}/reject`, { token: p.token, body: { reason: "no" } })).status).toBeLessThan(410);
    const opened = await openMailLink({ database, token: theirs, now: new Date() });
    expect(opened.refusal).toMatch(/already rejected/);
    await expect(voteByMailLink({ database, token: theirs, vote: "approve", input: { reason: "late" }, now: new Date() })).rejects.toMatchObject({ code: "already_resolved" });
  });

  it("expires with the job; escalation mails the roles it escalates to", async () => {
    const database = await getDatabase();
    const job = await w.submit({ topic: "job.esc.restart", payload: { service: "api" } });
    await courier();
    const token = linkFor(oncall.email, job.job.id)!;
    expect(token).toBeTruthy();
    expect(linkFor(manager.email, job.job.id)).toBeUndefined();
    // Past the SLA (10m): escalated to eng-manager, who now gets a mail of their own.
    const db = await getDb();
    await sweep(db, new Date(Date.now() + 11 * 60_000));
    await courier(new Date(Date.now() + 11 * 60_000));
    const m = mailsTo(manager.email).find((x) => (x.text ?? "").includes(job.job.id));
    expect(m?.subject).toMatch(/^Escalated/);
    // Past the cutoff (1h): the job expired, and so did its links.
    const later = new Date(Date.now() + 61 * 60_000);
    await sweep(db, later);
    expect((await openMailLink({ database, token, now: later })).refusal).toMatch(/expired/);
    await expect(voteByMailLink({ database, token, vote: "approve", input: { reason: "too late" }, now: later })).rejects.toMatchObject({ code: "expired" });
    expect(await votesOn(job.job.id)).toHaveLength(0);
  });

  it("warns once as the deadline nears: the people who can act, not the voted, requester or opted out", async () => {
    const database = await getDatabase();
    const db = await getDb();
    const fin3 = await w.person(["finance"], "fin");
    const fin4 = await w.person(["finance"], "fin");
    const job = await w.submit({ topic: "job.pay.vendor", title: "Pay Initech", payload: { amount: 902 }, on_behalf_of: fin2.email });
    const decided = await w.submit({ topic: "job.pay.vendor", title: "Pay Umbrella", payload: { amount: 903 } });
    await courier();
    const vote = (email: string, j: typeof job) =>
      voteByMailLink({ database, token: linkFor(email, j.job.id)!, vote: "approve", input: { reason: "Invoice matches", job_hash: j.job_hash, policy_snapshot: j.policy_snapshot }, now: new Date() });
    await vote(fin1.email, job);
    await vote(fin1.email, decided);
    expect((await vote(fin3.email, decided)).job.state).toBe("APPROVED");
    const expiring = (email: string, jobId: string) => mailsTo(email).filter((m) => (m.text ?? "").includes(jobId) && /^Expiring soon/.test(m.subject ?? ""));
    // The fan-out row the sweeper queues (one per job, however many sweeps).
    const warnings = async (jobId: string) => db.select().from(deliveries).where(and(eq(deliveries.tenantId, w.tenant), eq(deliveries.jobId, jobId), eq(deliveries.eventType, "job.expiring"), eq(deliveries.url, "mailto:")));

    // Cutoff 1h: not at 40 minutes (past the 10m SLA, so escalated, but not yet near the deadline).
    const early = new Date(Date.now() + 40 * 60_000);
    await sweep(db, early);
    await courier(early);
    expect(await warnings(job.job.id)).toHaveLength(0);
    for (const p of [fin3, fin4]) expect(expiring(p.email, job.job.id)).toHaveLength(0);

    // Past 48 minutes (80 %): one warning, to those who can still act; a second sweep adds nothing.
    for (const minutes of [49, 50]) {
      const near = new Date(Date.now() + minutes * 60_000);
      await sweep(db, near);
      await courier(near);
    }
    expect(await warnings(job.job.id)).toHaveLength(1);
    for (const p of [fin3, fin4]) {
      const [m, ...more] = expiring(p.email, job.job.id);
      expect(more).toHaveLength(0);
      expect(m!.subject).toContain(`expires at ${job.sla.expires_at}`);
      expect(personalLink(m!)).toMatch(/^eml-/);
    }
    for (const p of [fin1, fin2, optedOut, oncall]) expect(expiring(p.email, job.job.id)).toHaveLength(0);
    // A job decided before its deadline neared is not warned.
    expect(await warnings(decided.job.id)).toHaveLength(0);
    for (const p of [fin1, fin3, fin4]) expect(expiring(p.email, decided.job.id)).toHaveLength(0);
  });
});
