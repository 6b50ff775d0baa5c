/**
 * `countersign audit verify --checkpoints FILE` (DESIGN §5) as an operator runs it: a process against the
 * real server, with the checkpoint log that server writes (scripts/with-server.mjs points
 * COUNTERSIGN_CHECKPOINT_FILE at a scratch file and signs every second). The chain is then cut back behind
 * the server's back, straight in its database (COUNTERSIGN_TEST_DATABASE_URL), as someone who can write to
 * it would: with every trigger bypassed and the head rewound, so the database alone cannot tell.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
// The app's own driver, from the workspace root: these tests run only inside the checkout.
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, BASE, CLI, makeWorld, type World } from "./world";

const ADMIN = process.env.COUNTERSIGN_ADMIN_TOKEN ?? "";
const LOG = process.env.COUNTERSIGN_CHECKPOINT_FILE ?? "";
const sql = postgres(process.env.COUNTERSIGN_TEST_DATABASE_URL ?? "", { max: 1, onnotice: () => {} });
afterAll(() => sql.end());

const POLICY = `version: v1
defaults:
  decision: require_approval
  approvers: { roles: [reviewer], count: 1 }
rules:
  - id: reads
    match: { topics: ["audit.read"] }
    decision: allow
`;

function countersign(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const vars = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env };
    const child = spawn(process.execPath, [CLI, ...args], { env: vars as unknown as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.once("error", reject);
    child.once("exit", (code) => resolve({ code, out, err }));
  });
}

let w: World;
let auditor: string;
const verify = (extra: string[] = [], token = auditor) => countersign(["audit", "verify", "--checkpoints", LOG, ...extra], { COUNTERSIGN_URL: BASE, COUNTERSIGN_TOKEN: token });

/** The chain's head once sealed (GET /audit/verify seals first), and the server's checkpoint of exactly it. */
async function checkpointed(): Promise<number> {
  const v = await api("GET", "/api/v1/audit/verify", { token: auditor });
  expect(v.body.ok, JSON.stringify(v.body)).toBe(true);
  const head = v.body.head.seq as number;
  const deadline = Date.now() + 15_000;
  for (;;) {
    const lines = readFileSync(LOG, { encoding: "utf8", flag: "a+" }).split("\n").filter(Boolean);
    if (lines.some((l) => JSON.parse(l).tenant === w.tenant && JSON.parse(l).seq === head)) return head;
    if (Date.now() > deadline) throw new Error(`the server signed no checkpoint of ${w.tenant} at #${head} in ${LOG}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  expect(LOG, "run under scripts/with-server.mjs").not.toBe("");
  w = await makeWorld("audit", POLICY);
  const minted = await api("POST", "/api/v1/admin/tokens", { token: ADMIN, body: { tenant: w.tenant, kind: "agent", name: "auditor", scopes: ["audit:read"] } });
  expect(minted.status, JSON.stringify(minted.body)).toBe(201);
  auditor = minted.body.token;
  for (let i = 0; i < 3; i++) {
    const job = await api("POST", "/api/v1/jobs", { token: w.agent, body: { topic: "audit.read", payload: { i } } });
    expect(job.status, JSON.stringify(job.body)).toBe(201);
  }
});

describe("countersign audit verify", () => {
  it("a clean chain exits 0; cut back below its checkpoint behind the server's back, it exits 1 and names the tenant", async () => {
    const head = await checkpointed();
    const clean = await verify();
    expect(clean.out).toMatch(new RegExp(`^ok {6}${w.tenant}: ${head} events, head #${head}, checkpoint #${head} of `, "m"));
    expect(clean.out).toContain(`lines read from ${LOG}`);
    expect(clean.code, clean.out + clean.err).toBe(0);
    // The installation token checks every tenant, or the one named.
    const one = await verify(["--tenant", w.tenant], ADMIN);
    expect(one.out.split("\n").filter((l) => /^(ok|BROKEN|FORGED)/.test(l))).toHaveLength(1);
    expect(one.code, one.out + one.err).toBe(0);

    const keep = head - 2;
    await sql.begin(async (tx) => {
      await tx`set local session_replication_role = replica`;
      await tx`delete from audit_events where tenant_id = ${w.tenant} and seq > ${keep}`;
      await tx`update audit_heads set seq = ${keep}, hash = (select hash from audit_events where tenant_id = ${w.tenant} and seq = ${keep}) where tenant_id = ${w.tenant}`;
    });
    // What is left is a genuine prefix: the database alone cannot tell.
    expect((await api("GET", "/api/v1/audit/verify", { token: auditor })).body.ok).toBe(true);

    const cut = await verify();
    expect(cut.out).toContain(`BROKEN  ${w.tenant}: first broken link at event #${keep + 1}: event ${keep + 1} is missing: the checkpoint of `);
    expect(cut.out).toContain(`signed the chain up to #${head} (it was cut back)`);
    expect(cut.code, cut.out + cut.err).toBe(1);
  });

  it("exits 2 and says why on a usage error, a missing setting, a token without audit:read, an unreachable server or a log too long to send", async () => {
    const usage = await countersign(["audit", "verify"], {});
    expect([usage.code, usage.err]).toEqual([2, expect.stringContaining("usage: countersign audit verify --checkpoints FILE")]);
    const unset = await countersign(["audit", "verify", "--checkpoints", LOG], {});
    expect([unset.code, unset.err]).toEqual([2, expect.stringContaining("COUNTERSIGN_URL and COUNTERSIGN_TOKEN")]);
    const scope = await verify([], w.agent);
    expect([scope.code, scope.err]).toEqual([2, expect.stringContaining("(403 insufficient_scope)")]);
    const key = await verify(["--public-key", "not-a-key"]);
    expect([key.code, key.err]).toEqual([2, expect.stringContaining("validation_failed")]);
    expect(key.err).toContain("public_key:");
    const down = await countersign(["audit", "verify", "--checkpoints", LOG], { COUNTERSIGN_URL: "http://127.0.0.1:9", COUNTERSIGN_TOKEN: auditor });
    expect([down.code, down.err]).toEqual([2, expect.stringContaining("could not be reached")]);
    const big = path.join(mkdtempSync(path.join(os.tmpdir(), "cs-audit-")), "long.jsonl");
    writeFileSync(big, `${readFileSync(LOG, "utf8").split("\n")[0]}\n`.repeat(1500));
    const long = await countersign(["audit", "verify", "--checkpoints", big], { COUNTERSIGN_URL: BASE, COUNTERSIGN_TOKEN: auditor });
    expect([long.code, long.err]).toEqual([2, expect.stringContaining("split it")]);
    expect(long.err).toContain("npm run audit:verify");
  });
});
