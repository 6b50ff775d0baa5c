/**
 * Payload fidelity (DESIGN §3): a body is stored exactly as sent or refused, never changed. What the
 * reviewer sees, what is hashed and what the agent runs from its own copy must be the same value.
 */
import crypto from "node:crypto";
import canonicalize from "canonicalize";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { makeWorld, type World } from "./fixtures";
import { call, dispatch } from "./http";

let w: World;
beforeAll(async () => {
  w = await makeWorld("fidelity");
});

async function jobCount(): Promise<number> {
  const db = await getDb();
  const rows = (await db.execute(sql`select count(*)::int as n from jobs where tenant_id = ${w.tenant}`)) as unknown as { n: number }[];
  return Number(rows[0]!.n);
}

/** Send bytes as they are (call() would send a string, which is always valid UTF-8). */
async function sendBytes(method: string, path: string, bytes: Uint8Array, contentType: string, token = w.agent) {
  const res = await dispatch(
    new Request(new URL(path, "http://localhost:3000"), {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": contentType },
      body: bytes as Uint8Array<ArrayBuffer>,
    }),
  );
  return { status: res.status, body: (await res.json()) as any };
}

const utf8 = (s: string) => new TextEncoder().encode(s);
const raw = (body: string) => call("POST", "/api/v1/jobs", { token: w.agent, rawBody: body, headers: { "content-type": "application/json" } });

describe("a body that is not UTF-8 is refused, never repaired", () => {
  // "caf\xE9": Latin-1 é, which a lenient decoder turns into U+FFFD.
  const latin1 = (prefix: string, suffix: string) => new Uint8Array([...utf8(prefix), 0xe9, ...utf8(suffix)]);

  it.each([
    ["a Latin-1 byte in the payload", latin1('{"topic":"job.repo.read","payload":{"name":"caf', '"}}')],
    ["a Latin-1 byte in the title", latin1('{"topic":"job.repo.read","payload":{},"title":"caf', '"}')],
    ["an overlong encoding of '/'", new Uint8Array([...utf8('{"topic":"job.repo.read","payload":{"p":"'), 0xc0, 0xaf, ...utf8('"}}')])],
    ["an encoded surrogate", new Uint8Array([...utf8('{"topic":"job.repo.read","payload":{"p":"'), 0xed, 0xa0, 0x80, ...utf8('"}}')])],
    ["a truncated sequence at the end", new Uint8Array([...utf8('{"topic":"job.repo.read","payload":{}} '), 0xe2, 0x82])],
  ])("POST /jobs with %s → 400 validation_failed, nothing stored", async (_n, bytes) => {
    const before = await jobCount();
    const res = await sendBytes("POST", "/api/v1/jobs", bytes, "application/json");
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.code).toBe("validation_failed");
    expect(res.body.errors).toEqual([{ path: "(body)", message: "not valid UTF-8" }]);
    expect(await jobCount()).toBe(before);
  });

  it("the same text in UTF-8 is stored exactly", async () => {
    const res = await sendBytes("POST", "/api/v1/jobs", utf8('{"topic":"job.repo.read","payload":{"name":"café \u{1f4a5}"}}'), "application/json");
    expect(res.status).toBe(201);
    expect(res.body.job.payload).toEqual({ name: "café \u{1f4a5}" });
  });

  it("a vote's reason and a policy upload in Latin-1 are refused too", async () => {
    const reviewer = await w.person(["oncall"]);
    const job = await w.submit({ topic: "job.config.update", risk_tags: ["prod", "write"], payload: {} });
    const vote = await sendBytes("POST", `/api/v1/approvals/${job.job.id}/approve`, latin1('{"reason":"caf', '"}'), "application/json", reviewer.token);
    expect(vote.status).toBe(400);
    expect(vote.body.code).toBe("validation_failed");
    const policy = await sendBytes("PUT", "/api/v1/policy", latin1("version: v1\n# caf", "\nrules: []\n"), "application/yaml", w.admin);
    expect(policy.status).toBe(400);
    expect(policy.body.code).toBe("validation_failed");
    const read = await call("GET", `/api/v1/jobs/${job.job.id}`, { token: w.agent });
    expect(read.body.job.state).toBe("APPROVAL");
  });
});

describe("a number JSON cannot carry exactly is refused, never rounded (RFC 7493)", () => {
  it.each([
    ["an integer beyond 2^53 − 1", '{"topic":"job.repo.read","payload":{"amount":12345678901234567890}}', "payload.amount", "12345678901234567890"],
    ["2^53 itself", '{"topic":"job.repo.read","payload":{"id":9007199254740992}}', "payload.id", "9007199254740992"],
    ["a negative one, in an array", '{"topic":"job.repo.read","payload":{"ids":[1,-9007199254740993]}}', "payload.ids.1", "-9007199254740993"],
    ["an integer written with an exponent", '{"topic":"job.repo.read","payload":{"n":{"big":1e21}}}', "payload.n.big", "1e21"],
    ["a value that underflows to 0", '{"topic":"job.repo.read","payload":{"rate":1e-400}}', "payload.rate", "1e-400"],
    ["a value that overflows", '{"topic":"job.repo.read","payload":{"n":-1e400}}', "payload.n", "-1e400"],
  ])("%s → 400 validation_failed naming its path, with a hint to send a string; nothing stored", async (_n, body, path, literal) => {
    const before = await jobCount();
    const res = await raw(body);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.code).toBe("validation_failed");
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors[0].path).toBe(path);
    expect(res.body.errors[0].message).toContain(literal);
    expect(res.body.errors[0].message).toContain("send it as a string");
    expect(await jobCount()).toBe(before);
  });

  it("the same values sent as strings are stored, hashed and shown exactly", async () => {
    const payload = { amount: "12345678901234567890", rate: "1e-400" };
    const res = await call("POST", "/api/v1/jobs", { token: w.agent, body: { topic: "job.repo.read", payload } });
    expect(res.status).toBe(201);
    const read = await call("GET", `/api/v1/jobs/${res.body.job.id}`, { token: w.agent });
    expect(read.body.job.payload).toEqual(payload);
  });

  it("numbers JSON does carry pass, and what is shown and hashed is what was sent", async () => {
    const text = '{"topic":"job.repo.read","payload":{"max":9007199254740991,"min":-9007199254740991,"tenth":0.1,"tiny":5e-324,"sci":1.5e-7,"zero":0e-999}}';
    const res = await raw(text);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const sent = JSON.parse(text);
    const read = await call("GET", `/api/v1/jobs/${res.body.job.id}`, { token: w.agent });
    expect(read.body.job.payload).toEqual(sent.payload);
    const hash = crypto.createHash("sha256").update(canonicalize({ topic: sent.topic, risk_tags: [], payload: sent.payload })!, "utf8").digest("hex");
    expect(res.body.job_hash).toBe(hash);
  });

  it("labels, a simulated job and a vote are held to the same rule", async () => {
    const labels = await raw('{"topic":"job.repo.read","payload":{},"labels":{"n":"1"},"title":"t","x":12345678901234567890}');
    expect(labels.status).toBe(400);
    const simulate = await call("POST", "/api/v1/policy/simulate", {
      token: w.admin,
      rawBody: `{"yaml":${JSON.stringify("version: v1\nrules: []\n")},"job":{"topic":"job.repo.read","payload":{"amount":12345678901234567890}}}`,
      headers: { "content-type": "application/json" },
    });
    expect(simulate.status).toBe(400);
    expect(simulate.body.errors[0].path).toBe("job.payload.amount");
  });
});

describe("the policy's numbers are held to the same rule", () => {
  const policy = (count: string) => `version: v1
defaults:
  decision: require_approval
rules:
  - id: gate
    match:
      topics: ["job.**"]
    decision: require_approval
    approvers: { roles: [oncall], count: ${count} }
`;

  it.each([
    ["12345678901234567890", "beyond"],
    ["1e400", "overflows"],
    [".inf", "overflows"],
    ["1e-400", "underflows"],
  ])("count: %s is refused with line and column, saying why", async (count, why) => {
    const res = await call("PUT", "/api/v1/policy", { token: w.admin, rawBody: policy(count), headers: { "content-type": "application/yaml" } });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("invalid_policy");
    expect(res.body.errors[0]).toMatchObject({ path: "rules[0].approvers.count", line: 9, column: 42 });
    expect(res.body.errors[0].message).toContain(why);
  });
});
