/**
 * Held requests (`?wait=` long-polls and the queue's event stream) are capped per credential: the one
 * past the cap answers 429 `too_many_waits` with Retry-After instead of holding one more socket, and
 * a slot is free again as soon as a held request ends. The default cap is 10 (COUNTERSIGN_WAITS_PER_TOKEN).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { env } from "@/lib/env";
import { heldWaits } from "@/lib/services/waits";
import { ADMIN, makeWorld, sessionCookie, type World } from "./fixtures";
import { call, dispatch } from "./http";

const PROD_WRITE = { topic: "job.config.update", risk_tags: ["prod", "write"] };
const CAP = env().COUNTERSIGN_WAITS_PER_TOKEN;

let w: World;
let pendingJob: string;
beforeAll(async () => {
  w = await makeWorld("waits");
  pendingJob = (await w.submit({ ...PROD_WRITE, payload: { n: 1 } })).job.id;
});

async function until(cond: () => boolean, what: string) {
  const deadline = Date.now() + 10_000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (held: ${heldWaits()})`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const STREAM = "/api/v1/approvals/stream";

/** test/http.ts routes everything but the event stream, whose handler is called as Next would. */
async function send(path: string, headers: Record<string, string>, signal?: AbortSignal): Promise<Response> {
  const req = new Request(new URL(path, "http://localhost:3000"), { headers, signal });
  if (path !== STREAM) return dispatch(req);
  const { GET } = await import("@/app/api/v1/approvals/stream/route");
  return GET(req, {} as { params: Promise<Record<string, never>> });
}

/** A GET answered at once (a refusal, or a wait that ends), read whole. */
async function get(path: string, headers: Record<string, string>) {
  const res = await send(path, headers);
  return { status: res.status, headers: res.headers, body: JSON.parse(await res.text()) as any };
}

/** A request held open until `hangUp()`; `answer` settles when the handler answers. */
function hold(path: string, headers: Record<string, string>) {
  const abort = new AbortController();
  const answer = send(path, headers, abort.signal);
  return {
    answer,
    async hangUp() {
      abort.abort();
      const res = await answer;
      await res.body?.cancel().catch(() => {});
      return res;
    },
  };
}

async function agentToken(name: string): Promise<string> {
  const res = await call("POST", "/api/v1/admin/tokens", { token: ADMIN(), body: { tenant: w.tenant, kind: "agent", name, scopes: ["jobs:read"] } });
  expect(res.status).toBe(201);
  return res.body.token;
}

function expectTooMany(res: { status: number; headers: Headers; body: any }) {
  expect(res.status, JSON.stringify(res.body)).toBe(429);
  expect(res.body.code).toBe("too_many_waits");
  expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
}

describe("GET /jobs/{id}?wait= is capped per token", () => {
  it(`holds ${CAP} at once, refuses the next with 429 too_many_waits, and accepts again once they end`, async () => {
    const token = await agentToken("waiter");
    const auth = { authorization: `Bearer ${token}` };
    const base = heldWaits();
    const held = Array.from({ length: CAP }, () => hold(`/api/v1/jobs/${pendingJob}?wait=55`, auth));
    await until(() => heldWaits() === base + CAP, `${CAP} held waits`);

    expectTooMany(await call("GET", `/api/v1/jobs/${pendingJob}?wait=1`, { token }));
    // Without ?wait=, or for a job that is not pending, nothing is held and nothing is refused.
    expect((await call("GET", `/api/v1/jobs/${pendingJob}`, { token })).status).toBe(200);
    // Another token has slots of its own.
    const other = await agentToken("other-waiter");
    expect((await call("GET", `/api/v1/jobs/${pendingJob}?wait=1`, { token: other })).status).toBe(200);

    for (const h of held) expect((await h.hangUp()).status).toBe(200);
    await until(() => heldWaits() === base, "the waits to end");
    expect((await call("GET", `/api/v1/jobs/${pendingJob}?wait=1`, { token })).status).toBe(200);
  });

  it("a wait that ends because the job was decided gives its slot back", async () => {
    const token = await agentToken("decided");
    const reviewer = await w.person(["oncall"]);
    const job = (await w.submit({ ...PROD_WRITE, payload: { n: 2 } })).job.id;
    const base = heldWaits();
    const waiting = call("GET", `/api/v1/jobs/${job}?wait=55`, { token });
    await until(() => heldWaits() === base + 1, "the wait to be held");
    const vote = await call("POST", `/api/v1/approvals/${job}/approve`, { token: reviewer.token, body: { reason: "fine" } });
    expect(vote.status).toBe(200);
    expect((await waiting).body.job.state).toBe("APPROVED");
    expect(heldWaits()).toBe(base);
  });
});

describe("GET /approvals/stream shares the cap", () => {
  it(`opens ${CAP} streams, refuses the next, and opens one again when one closes`, async () => {
    const reviewer = await w.person(["oncall"]);
    const auth = { authorization: `Bearer ${reviewer.token}` };
    const base = heldWaits();
    const streams = Array.from({ length: CAP }, () => hold(STREAM, auth));
    for (const s of streams) expect((await s.answer).status).toBe(200);
    expect(heldWaits()).toBe(base + CAP);

    expectTooMany(await get(STREAM, auth));
    // Long-polls and streams count together for one credential.
    expectTooMany(await call("GET", `/api/v1/jobs/${pendingJob}?wait=1`, { token: reviewer.token }));

    await streams.pop()!.hangUp();
    await until(() => heldWaits() === base + CAP - 1, "a stream to close");
    const again = hold(STREAM, auth);
    expect((await again.answer).status).toBe(200);
    for (const s of [...streams, again]) await s.hangUp();
    await until(() => heldWaits() === base, "every stream to close");
  });

  it("a console session counts as its person, whatever the cookie", async () => {
    const person = await w.person(["oncall"]);
    const cookie = () => sessionCookie(person.id, w.tenant);
    const base = heldWaits();
    // Two sign-ins (two cookies) of the same person share one cap.
    const streams = [];
    for (let i = 0; i < CAP; i++) streams.push(hold(STREAM, { cookie: await cookie() }));
    for (const s of streams) expect((await s.answer).status).toBe(200);
    expectTooMany(await get(STREAM, { cookie: await cookie() }));
    // The person's own token is another credential.
    const viaToken = hold(STREAM, { authorization: `Bearer ${person.token}` });
    expect((await viaToken.answer).status).toBe(200);
    for (const s of [...streams, viaToken]) await s.hangUp();
    await until(() => heldWaits() === base, "every stream to close");
  });
});
