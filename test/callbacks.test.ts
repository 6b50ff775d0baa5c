import http from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq, ne } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { deliveries } from "@/lib/db/schema";
import { deliverDue, RETRY_WINDOW_MS } from "@/lib/services/outbox/deliver";
import { notificationId } from "@/lib/services/outbox/notify";
import { verifySignature } from "@/lib/services/outbox/signature";
import { sweep } from "@/lib/services/sla/sweep";
import { ADMIN, makeWorld, type World } from "./fixtures";
import { call } from "./http";

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

// A real receiver on loopback; loopback is allowed explicitly, as a deployment would list its own hosts.
const received: Received[] = [];
let answer: (path: string) => number = () => 200;
let server: http.Server;
let base: string;
const ALLOW = new Set(["127.0.0.1"]);

let w: World;
let reviewer: { token: string; email: string };

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      received.push({ path: req.url ?? "", headers: req.headers, body });
      res.statusCode = answer(req.url ?? "");
      if (req.url?.startsWith("/flood")) res.end("x".repeat(200 * 1024)); // far past what is read
      else if (req.url?.startsWith("/hang")) res.write("partial"); // never ends
      else res.end("ok");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  w = await makeWorld("cb");
  reviewer = await w.person(["service-owner"], "ops");
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

// deliverDue works through the oldest due deliveries of every tenant, 20 at a time, and no courier runs
// under vitest: other files' leftovers (hostile callback URLs from the fuzzer, say) would fill the batch.
// Those wait a year while this file runs; its own deliveries are then the only ones due.
beforeEach(async () => {
  const db = await getDb();
  await db
    .update(deliveries)
    .set({ nextAttemptAt: new Date(Date.now() + 365 * 86_400_000) })
    .where(and(ne(deliveries.tenantId, w.tenant), eq(deliveries.state, "pending")));
});

const PROD = { topic: "job.config.update", risk_tags: ["prod", "write"], payload: { key: "timeout" } };

async function ownDeliveries(jobId: string) {
  const db = await getDb();
  return db.select().from(deliveries).where(and(eq(deliveries.tenantId, w.tenant), eq(deliveries.jobId, jobId))).orderBy(deliveries.id);
}

async function secrets(): Promise<string[]> {
  const res = await call("GET", "/api/v1/admin/callback-secrets", { token: w.admin });
  expect(res.status).toBe(200);
  return res.body.items.map((s: { secret: string }) => s.secret);
}

const hits = (path: string) => received.filter((r) => r.path === path);

describe("agent callbacks", () => {
  it("every change after submission is POSTed, signed, from the outbox written with the change", async () => {
    const path = `/hook-${Date.now()}`;
    const job = await w.submit({ ...PROD, callback_url: `${base}${path}` });
    const id = job.job.id;
    expect(await ownDeliveries(id)).toEqual([]); // submission itself is answered synchronously

    expect((await call("POST", `/api/v1/approvals/${id}/approve`, { token: reviewer.token, body: { reason: "ok" } })).status).toBe(200);
    expect((await ownDeliveries(id)).map((d) => d.eventType)).toEqual(["job.approved"]);

    const db = await getDb();
    await deliverDue(db, new Date(), { allow: ALLOW });
    const [hit] = hits(path);
    expect(hit).toBeDefined();
    const event = JSON.parse(hit!.body);
    expect(event).toMatchObject({ type: "job.approved", job: { job: { id, state: "APPROVED" }, resolution: "approved", resolved_by: reviewer.email } });
    expect(hit!.headers["countersign-event-id"]).toBe(event.id);
    const [secret] = await secrets();
    expect(verifySignature(hit!.headers["countersign-signature"] as string, hit!.body, secret!)).toBe(true);
    expect(verifySignature(hit!.headers["countersign-signature"] as string, hit!.body.replace("APPROVED", "REJECTED"), secret!)).toBe(false);

    // Claim and completion are changes too.
    await call("POST", `/api/v1/jobs/${id}/claim`, { token: w.agent, body: { job_hash: job.job_hash } });
    await call("POST", `/api/v1/jobs/${id}/complete`, { token: w.agent, body: { outcome: "succeeded" } });
    await deliverDue(db, new Date(), { allow: ALLOW });
    expect(hits(path).map((h) => JSON.parse(h.body).type)).toEqual(["job.approved", "job.claimed", "job.completed"]);
    expect((await ownDeliveries(id)).every((d) => d.state === "delivered")).toBe(true);
  });

  it("a failing receiver is retried with backoff, every attempt logged, then succeeds", async () => {
    const path = `/flaky-${Date.now()}`;
    let calls = 0;
    answer = (p) => (p === path && ++calls === 1 ? 500 : 200);
    const job = await w.submit({ ...PROD, callback_url: `${base}${path}` });
    await call("POST", `/api/v1/approvals/${job.job.id}/reject`, { token: reviewer.token, body: { reason: "missing rollback plan" } });
    const db = await getDb();
    const t0 = new Date();
    await deliverDue(db, t0, { allow: ALLOW, random: () => 1 });
    let [d] = await ownDeliveries(job.job.id);
    expect(d).toMatchObject({ state: "pending", attempts: 1, lastError: "HTTP 500" });
    expect(d!.nextAttemptAt.getTime() - t0.getTime()).toBe(5_000);

    await deliverDue(db, new Date(t0.getTime() + 1_000), { allow: ALLOW }); // not due yet
    expect(hits(path)).toHaveLength(1);
    await deliverDue(db, new Date(t0.getTime() + 5_000), { allow: ALLOW });
    [d] = await ownDeliveries(job.job.id);
    expect(d).toMatchObject({ state: "delivered", attempts: 2, lastError: null });

    const log = await call("GET", `/api/v1/admin/deliveries?job_id=${job.job.id}`, { token: w.admin });
    expect(log.status).toBe(200);
    expect(log.body.items[0].attempt_log.map((a: { status_code: number }) => a.status_code)).toEqual([500, 200]);
    answer = () => 200;
  });

  it("gives up after 24 hours of failures, and can be redelivered by hand", async () => {
    const path = `/down-${Date.now()}`;
    answer = (p) => (p === path ? 503 : 200);
    const job = await w.submit({ ...PROD, callback_url: `${base}${path}` });
    await call("POST", `/api/v1/approvals/${job.job.id}/approve`, { token: reviewer.token, body: { reason: "ok" } });
    const db = await getDb();
    const [queued] = await ownDeliveries(job.job.id);
    await deliverDue(db, new Date(queued!.createdAt.getTime() + RETRY_WINDOW_MS), { allow: ALLOW });
    let [d] = await ownDeliveries(job.job.id);
    expect(d!.state).toBe("failed");

    answer = () => 200;
    const again = await call("POST", `/api/v1/admin/deliveries/${d!.id}/redeliver`, { token: w.admin });
    expect(again.status).toBe(200);
    await deliverDue(db, new Date(), { allow: ALLOW });
    [d] = await ownDeliveries(job.job.id);
    expect(d!.state).toBe("delivered");
    const bodies = hits(path).map((h) => JSON.parse(h.body).id);
    expect(new Set(bodies).size).toBe(1); // same event id: receivers can drop the duplicate
  });

  it("a receiver that floods or never finishes cannot stall delivery", async () => {
    const db = await getDb();
    const flood = await w.submit({ ...PROD, payload: { flood: true }, callback_url: `${base}/flood-${Date.now()}` });
    const hang = await w.submit({ ...PROD, payload: { hang: true }, callback_url: `${base}/hang-${Date.now()}` });
    for (const j of [flood, hang]) await call("POST", `/api/v1/approvals/${j.job.id}/approve`, { token: reviewer.token, body: { reason: "ok" } });
    await deliverDue(db, new Date(), { allow: ALLOW, timeoutMs: 500 });
    expect((await ownDeliveries(flood.job.id))[0]).toMatchObject({ state: "delivered" });
    expect((await ownDeliveries(hang.job.id))[0]).toMatchObject({ state: "pending", lastError: "timed out after 500 ms" });
  });

  it("refuses hosts that resolve to internal addresses unless allowed", async () => {
    const db = await getDb();
    for (const url of ["http://169.254.169.254/latest/meta-data", `${base}/not-allowed`]) {
      const job = await w.submit({ ...PROD, callback_url: url });
      await call("POST", `/api/v1/approvals/${job.job.id}/approve`, { token: reviewer.token, body: { reason: "ok" } });
      await deliverDue(db, new Date(), { allow: new Set() });
      const [d] = await ownDeliveries(job.job.id);
      expect(d!.state).toBe("pending");
      expect(d!.lastError).toMatch(/^refused: .* internal address/);
    }
    expect(hits("/not-allowed")).toHaveLength(0);
  });

  it("two couriers racing deliver each event once", async () => {
    const path = `/race-${Date.now()}`;
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const job = await w.submit({ ...PROD, payload: { i }, callback_url: `${base}${path}` });
      await call("POST", `/api/v1/approvals/${job.job.id}/approve`, { token: reviewer.token, body: { reason: "ok" } });
      ids.push(job.job.id);
    }
    const db = await getDb();
    const now = new Date();
    await Promise.all([deliverDue(db, now, { allow: ALLOW, batch: 4 }), deliverDue(db, now, { allow: ALLOW, batch: 4 }), deliverDue(db, now, { allow: ALLOW, batch: 4 })]);
    await deliverDue(db, now, { allow: ALLOW });
    const got = hits(path).map((h) => JSON.parse(h.body).job.job.id).sort();
    expect(got).toEqual([...ids].sort());
  });

  it("a rotation signs with both secrets for a while", async () => {
    const [old] = await secrets();
    const rotated = await call("POST", "/api/v1/admin/callback-secrets", { token: w.admin });
    expect(rotated.status).toBe(201);
    expect(rotated.body.previous_valid_until).not.toBeNull();
    const now = await secrets();
    expect(now).toEqual([rotated.body.secret, old]);

    const path = `/rotated-${Date.now()}`;
    const job = await w.submit({ ...PROD, callback_url: `${base}${path}` });
    await call("POST", `/api/v1/approvals/${job.job.id}/approve`, { token: reviewer.token, body: { reason: "ok" } });
    await deliverDue(await getDb(), new Date(), { allow: ALLOW });
    const [hit] = hits(path);
    const header = hit!.headers["countersign-signature"] as string;
    expect(header.match(/v1=/g)).toHaveLength(2);
    expect(verifySignature(header, hit!.body, old!)).toBe(true);
    expect(verifySignature(header, hit!.body, rotated.body.secret)).toBe(true);
    expect(verifySignature(header, hit!.body, "whsec_someone-else")).toBe(false);
  });

  it("expiry by the sweeper is called back too; a job without callback_url queues nothing", async () => {
    const path = `/expiry-${Date.now()}`;
    const job = await w.submit({ ...PROD, callback_url: `${base}${path}` });
    const quiet = await w.submit({ ...PROD, payload: { quiet: true } });
    const db = await getDb();
    await sweep(db, new Date(Date.parse(job.sla.expires_at) + 1));
    expect((await ownDeliveries(job.job.id)).map((d) => d.eventType)).toContain("job.expired");
    expect(await ownDeliveries(quiet.job.id)).toEqual([]);
  });
});

describe("reviewer notifications", () => {
  it("new pending work, escalations and expiries reach the right targets as one line and a link, never the payload", async () => {
    const tag = Date.now();
    const mk = async (body: Record<string, unknown>) => {
      const res = await call("POST", "/api/v1/admin/notification-targets", { token: w.admin, body });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body;
    };
    const opsTarget = await mk({ url: `${base}/slack-ops-${tag}`, roles: ["service-owner"] });
    await mk({ url: `${base}/slack-fin-${tag}`, roles: ["finance"] });
    await mk({ url: `${base}/slack-esc-${tag}`, events: ["job.escalated", "job.expired"] });
    const bad = await call("POST", "/api/v1/admin/notification-targets", { token: w.admin, body: { url: "ftp://x", events: ["job.nope"] } });
    expect(bad.status).toBe(400);

    const job = await w.submit({ ...PROD, title: "Raise <b>timeout</b>", payload: { secret: "s3cr3t-value" } });
    const db = await getDb();
    // The submit statement names the delivery in SQL (countersign_base64url) as notificationId does in
    // TypeScript, so a retried change finds the same row.
    const pending = await db.select({ id: deliveries.id }).from(deliveries).where(and(eq(deliveries.jobId, job.job.id), eq(deliveries.eventType, "job.pending")));
    expect(pending.map((d) => d.id)).toEqual([notificationId(job.job.id, opsTarget.id, "job.pending")]);
    await deliverDue(db, new Date(), { allow: ALLOW });
    const [ops] = hits(`/slack-ops-${tag}`);
    expect(ops).toBeDefined();
    const msg = JSON.parse(ops!.body);
    expect(msg.text).toMatch(/^Approval needed from (oncall or service-owner|service-owner or oncall): Review production change/);
    expect(msg.text).toContain(`/jobs/${job.job.id}|Open in Countersign>`);
    expect(ops!.body).not.toContain("s3cr3t-value");
    expect(hits(`/slack-fin-${tag}`)).toHaveLength(0); // not finance work
    expect(hits(`/slack-esc-${tag}`)).toHaveLength(0); // not subscribed to new work

    // Past due_at the production change escalates to eng-manager; past expires_at it expires.
    await sweep(db, new Date(Date.parse(job.sla.due_at) + 1));
    const later = new Date(Date.parse(job.sla.expires_at) + 1);
    await sweep(db, later);
    await deliverDue(db, later, { allow: ALLOW });
    const texts = hits(`/slack-esc-${tag}`)
      .map((h) => JSON.parse(h.body) as { text: string; job_id: string })
      .filter((m) => m.job_id === job.job.id)
      .map((m) => m.text);
    expect(texts, JSON.stringify(texts)).toHaveLength(2);
    expect(texts.some((t) => t.startsWith("Escalated to eng-manager"))).toBe(true);
    expect(texts.some((t) => t.startsWith("Expired without a decision"))).toBe(true);

    const list = await call("GET", "/api/v1/admin/notification-targets", { token: w.admin });
    expect(list.body.items).toHaveLength(3);
    // The installation admin names the tenant; a tenant's own admin cannot reach another tenant.
    const viaInstallation = await call("GET", `/api/v1/admin/notification-targets?tenant=${w.tenant}`, { token: ADMIN() });
    expect(viaInstallation.body.items).toHaveLength(3);
    const foreign = await call("POST", "/api/v1/admin/notification-targets", { token: w.admin, body: { tenant: "system", url: `${base}/x` } });
    expect(foreign.status).toBe(403);
    expect(foreign.body.code).toBe("tenant_forbidden");
    const del = await call("DELETE", `/api/v1/admin/notification-targets/${list.body.items[0].id}`, { token: w.admin });
    expect(del.status).toBe(200);
  });
});
