/**
 * Issue 29 item 12: the payload keeps the agent's key order everywhere a reviewer reads it (the job, the
 * queue item, the decisions log), while the job hash stays that of the canonical form.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { makeWorld, type World } from "./fixtures";
import { req, submit } from "./races-helpers";

const PAYLOAD = { zeta: 1, alpha: { to: 30, from: 10 }, mid: [{ b: 1, a: 2 }], key: "timeout" };
const order = (v: unknown): unknown =>
  Array.isArray(v) ? v.map(order) : v && typeof v === "object" ? Object.entries(v).map(([k, x]) => [k, order(x)]) : v;

describe("payload key order", () => {
  let w: World;
  beforeAll(async () => {
    w = await makeWorld("payload-order");
  });

  it("is the agent's in the job, the queue and the decisions log", async () => {
    const job = await submit(w, { topic: "job.config.update", risk_tags: ["prod", "write"], payload: PAYLOAD });
    expect(order(job.job.payload)).toEqual(order(PAYLOAD));
    const read = await req("GET", `/api/v1/jobs/${job.job.id}`, { token: w.admin });
    expect(order(read.body.job.payload)).toEqual(order(PAYLOAD));
    const log = await req("GET", `/api/v1/jobs/${job.job.id}/decisions`, { token: w.admin });
    expect(order(log.body.job.job.payload)).toEqual(order(PAYLOAD));
    const queue = await req("GET", "/api/v1/approvals?topic=job.config.update", { token: w.admin });
    const item = queue.body.items.find((i: { job: { id: string } }) => i.job.id === job.job.id);
    expect(order(item.job.payload)).toEqual(order(PAYLOAD));
    // The same content in another order is the same job hash.
    const again = await submit(w, { topic: "job.config.update", risk_tags: ["prod", "write"], payload: { key: "timeout", mid: [{ a: 2, b: 1 }], alpha: { from: 10, to: 30 }, zeta: 1 } });
    expect(again.job_hash).toBe(job.job_hash);
  });
});
