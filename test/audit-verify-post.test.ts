// POST /audit/verify: `npm run audit:verify -- --checkpoints FILE` over the API (what `countersign audit
// verify` sends). The chain is cut back or rewritten behind the app's back with every trigger bypassed,
// and the checkpoint log, sent as text, must name it.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { AuditVerification } from "@/lib/api/responses";
import { getDb } from "@/lib/db/client";
import { signCheckpoint } from "@/lib/services/audit/checkpoint";
import { checkpointSigner } from "@/lib/services/audit/keys";
import { checkpointHeads } from "@/lib/server/checkpointer";
import { cutBack, rewriteTailWithKey, verify, worldWithHistory } from "./audit-tamper";
import { ADMIN, makeWorld } from "./fixtures";
import { call } from "./http";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "countersign-verify-post-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let files = 0;
/** One round of the server's checkpointer into a fresh file; its text. */
async function checkpointLog(): Promise<string> {
  const file = path.join(dir, `log-${++files}.jsonl`);
  await checkpointHeads(await getDb(), { file, everyEvents: 1000, intervalMs: 60_000 }, new Map());
  return fs.readFileSync(file, "utf8");
}

async function post(token: string, body: unknown, query = "") {
  return call("POST", `/api/v1/audit/verify${query}`, { token, body });
}

const lineOf = (text: string, tenant: string) => text.trim().split("\n").findIndex((l) => JSON.parse(l).tenant === tenant) + 1;

describe("POST /audit/verify: the chain against a checkpoint log sent as text", () => {
  it("a clean chain holds; cut back below its checkpoint (the rest a valid prefix), it is named as rewound", async () => {
    const { world, all } = await worldWithHistory("vp-rewind");
    const log = await checkpointLog();
    const head = all.at(-1)!.seq;
    const line = lineOf(log, world.tenant);

    const clean = await post(world.admin, { checkpoints: log });
    expect(clean.status, JSON.stringify(clean.body)).toBe(200);
    expect(AuditVerification.strict().safeParse(clean.body).success).toBe(true);
    expect(clean.body.ok).toBe(true);
    // A tenant's token sees its own chain only, whatever else the log names.
    expect(clean.body.results.map((r: { tenant: string }) => r.tenant)).toEqual([world.tenant]);
    expect(clean.body.results[0]).toMatchObject({ ok: true, checked: head, checkpoint: { seq: head, line }, checkpoint_problems: [] });
    expect(clean.body.checkpoints).toEqual({ lines: log.trim().split("\n").length, problems: [] });

    await cutBack(world.tenant, head - 1);
    expect((await verify(world)).ok).toBe(true); // the database alone cannot tell
    const cut = await post(world.admin, { checkpoints: log });
    expect(cut.status).toBe(200);
    expect(cut.body.ok).toBe(false);
    const r = cut.body.results[0];
    expect(r.ok).toBe(false);
    expect(r.first_broken).toEqual({ seq: head, reason: expect.stringContaining("(it was cut back)") });
    expect(r.checkpoint_problems).toEqual([{ code: "rewound", seq: head, line, reason: r.first_broken.reason }]);
  });

  it("the tail rewritten by someone who also holds the app's key: named as rewritten at the checkpoint", async () => {
    const { world, all } = await worldWithHistory("vp-rewrite");
    const log = await checkpointLog();
    const last = all.at(-1)!;
    await rewriteTailWithKey(world, all);
    expect((await verify(world)).ok).toBe(true);
    const res = await post(world.admin, { checkpoints: log });
    expect(res.body.ok).toBe(false);
    const r = res.body.results[0];
    expect(r.first_broken.seq).toBe(last.seq);
    expect(r.checkpoint_problems).toEqual([{ code: "rewritten", seq: last.seq, line: lineOf(log, world.tenant), reason: expect.stringContaining("the chain was rewritten up to here") }]);
  });

  it("the log's own bad lines: an altered line and another key's line under the tenant, garbage at the top; a wrong key names every line", async () => {
    const world = await makeWorld("vp-lines");
    await verify(world); // seals its events
    const log = await checkpointLog();
    const mine = JSON.parse(log.trim().split("\n")[lineOf(log, world.tenant) - 1]!);
    const other = crypto.generateKeyPairSync("ed25519");
    const otherKey = other.publicKey.export({ format: "der", type: "spki" }).toString("base64");
    const foreign = { ...mine, key: "0123456789abcdef" };
    const n = log.trim().split("\n").length;
    const text = `${log}${JSON.stringify({ ...mine, seq: 1 })}\r\n${JSON.stringify(foreign)}\n{"v":1,"tenant":"x"}\n`;

    const res = await post(world.admin, { checkpoints: text });
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(false);
    const r = res.body.results[0];
    expect(r.ok).toBe(true); // the chain itself holds against the lines that verify
    expect(r.checkpoint_problems).toEqual([
      { code: "bad_signature", line: n + 1, reason: "its signature does not verify (the line was altered or forged)" },
      { code: "unknown_key", line: n + 2, reason: expect.stringMatching(/^signed by key 0123456789abcdef, not by the given public key/) },
    ]);
    expect(res.body.checkpoints).toEqual({ lines: n + 3, problems: [{ code: "not_a_checkpoint", line: n + 3, reason: "not a checkpoint" }] });

    const wrong = await post(world.admin, { checkpoints: log, public_key: otherKey });
    expect(wrong.status).toBe(200);
    expect(wrong.body.ok).toBe(false);
    expect(wrong.body.results[0].checkpoint).toBeNull();
    expect(wrong.body.results[0].checkpoint_problems.map((p: { code: string }) => p.code)).toEqual(["unknown_key"]);
    // The key as PEM is the same key.
    const pem = other.publicKey.export({ format: "pem", type: "spki" }).toString();
    expect((await post(world.admin, { checkpoints: log, public_key: pem })).body).toEqual(wrong.body);
  });

  it("an unparsable public key, or a private one, is 400 validation_failed naming public_key", async () => {
    const world = await makeWorld("vp-key");
    const rsa = crypto.generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey.export({ format: "pem", type: "spki" }).toString();
    const ed = crypto.generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString();
    for (const public_key of ["not a key", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", rsa, ed]) {
      const res = await post(world.admin, { checkpoints: "", public_key });
      expect(res.status, public_key).toBe(400);
      expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect(res.body.code).toBe("validation_failed");
      expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(["public_key"]);
    }
    for (const body of [{}, { checkpoints: 1 }, { checkpoints: "", extra: true }]) {
      const res = await post(world.admin, body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe("validation_failed");
    }
    // The body limit holds: a longer log is split, or verified with the npm script.
    const big = await post(world.admin, { checkpoints: "x".repeat(256 * 1024) });
    expect([big.status, big.body.code]).toEqual([413, "payload_too_large"]);
  });

  it("the installation token checks every tenant, the log's too, or the one it names; a tenant's token only its own", async () => {
    const [a, b] = [await makeWorld("vp-all-a"), await makeWorld("vp-all-b")];
    await verify(a);
    await verify(b);
    // A tenant the log names but the database does not have: the log alone proves its chain existed.
    const ghost = `vp-ghost-${crypto.randomBytes(4).toString("hex")}`;
    const log = `${await checkpointLog()}${JSON.stringify(signCheckpoint({ tenant: ghost, seq: 5, hash: "a".repeat(64) }, new Date(), checkpointSigner()))}\n`;

    const all = await post(ADMIN(), { checkpoints: log });
    expect(all.status).toBe(200);
    const tenants = all.body.results.map((r: { tenant: string }) => r.tenant);
    expect(tenants).toEqual(expect.arrayContaining([a.tenant, b.tenant, ghost]));
    const ghostResult = all.body.results.find((r: { tenant: string }) => r.tenant === ghost);
    expect(ghostResult.checkpoint_problems.map((p: { code: string; seq: number }) => [p.code, p.seq])).toEqual([["rewound", 5]]);
    expect(all.body.ok).toBe(false);

    const one = await post(ADMIN(), { checkpoints: log }, `?tenant=${a.tenant}`);
    expect(one.status).toBe(200);
    expect(one.body.results.map((r: { tenant: string }) => r.tenant)).toEqual([a.tenant]);
    expect(one.body.ok).toBe(true); // the ghost's line names no tenant checked here, and is sound
    expect((await post(ADMIN(), { checkpoints: log }, "?tenant=no-such-tenant")).status).toBe(404);

    const theirs = await post(a.admin, { checkpoints: log }, `?tenant=${b.tenant}`);
    expect([theirs.status, theirs.body.code]).toEqual([403, "tenant_forbidden"]);
    const own = await post(a.admin, { checkpoints: log }, `?tenant=${a.tenant}`);
    expect(own.body.results.map((r: { tenant: string }) => r.tenant)).toEqual([a.tenant]);
  });
});
