import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { auditEvents, auditHeads } from "@/lib/db/schema";
import { checkpointHeads } from "@/lib/server/checkpointer";
import { bypassingTriggers, cutBack, rewriteTailWithKey, verify, worldWithHistory } from "./audit-tamper";
import { makeWorld } from "./fixtures";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "countersign-checkpoints-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let files = 0;
const newFile = () => path.join(dir, `log-${++files}.jsonl`);

/** One round of the server's checkpointer, into `file`. */
async function checkpoint(file: string) {
  await checkpointHeads(await getDb(), { file, everyEvents: 1000, intervalMs: 60_000 }, new Map());
}

/** `npm run audit:verify` as an operator runs it, against this run's database. */
function verifyCli(...args: string[]) {
  const r = spawnSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", "scripts/audit-verify.ts", ...args], {
    env: { ...process.env },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

const linesOf = (file: string, tenant: string) =>
  fs
    .readFileSync(file, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { tenant: string; seq: number; hash: string })
    .filter((c) => c.tenant === tenant);

describe("checkpoints: a chain cut back or rewritten behind the app's back", () => {
  it("newest event deleted and the head rewound, triggers bypassed: only the checkpoint tells, and audit:verify names it", async () => {
    const { world, all } = await worldWithHistory("cp-rewind");
    const file = newFile();
    await checkpoint(file);
    const head = all.at(-1)!.seq;
    expect(linesOf(file, world.tenant).map((c) => c.seq)).toEqual([head]);
    const clean = verifyCli("--tenant", world.tenant, "--checkpoints", file);
    expect(clean.out).toContain(`ok      ${world.tenant}: ${head} events, head #${head}, checkpoint #${head} of `);
    expect(clean.status).toBe(0);

    await cutBack(world.tenant, head - 1);
    // What is left is a genuine prefix: every MAC holds, so nothing in the database can tell.
    expect((await verify(world)).ok).toBe(true);
    expect(verifyCli("--tenant", world.tenant).status).toBe(0);

    const cut = verifyCli("--tenant", world.tenant, "--checkpoints", file);
    expect(cut.out).toContain(`BROKEN  ${world.tenant}: first broken link at event #${head}: event ${head} is missing: the checkpoint of `);
    expect(cut.out).toContain(`signed the chain up to #${head} (it was cut back)`);
    expect(cut.status).toBe(1);
  });

  it("the whole chain of a tenant deleted: named from the log alone", async () => {
    const world = await makeWorld("cp-gone");
    await verify(world); // seals its events
    const file = newFile();
    await checkpoint(file);
    const seq = linesOf(file, world.tenant)[0]!.seq;
    await bypassingTriggers(async (tx) => {
      await tx.delete(auditEvents).where(eq(auditEvents.tenantId, world.tenant));
      await tx.delete(auditHeads).where(eq(auditHeads.tenantId, world.tenant));
    });
    const r = verifyCli("--tenant", world.tenant, "--checkpoints", file);
    expect(r.out).toContain(`BROKEN  ${world.tenant}: first broken link at event #1: event 1 is missing: the checkpoint of `);
    expect(r.out).toContain(`up to #${seq} (it was cut back)`);
    expect(r.status).toBe(1);
  });

  it("the tail rewritten by someone who also holds the app's key: the MACs hold, the checkpoint does not", async () => {
    const { world, all } = await worldWithHistory("cp-keyholder");
    const file = newFile();
    await checkpoint(file);
    const last = all.at(-1)!;
    await rewriteTailWithKey(world, all);
    expect((await verify(world)).ok).toBe(true);
    const r = verifyCli("--tenant", world.tenant, "--checkpoints", file);
    expect(r.out).toContain(`BROKEN  ${world.tenant}: first broken link at event #${last.seq}: it is not the event #${last.seq} signed in the checkpoint of `);
    expect(r.status).toBe(1);

    // The checkpointer, still running, signs the rewritten head for the same event: the log contradicts itself.
    await checkpointHeads(await getDb(), { file, everyEvents: 1000, intervalMs: 0 }, new Map([[world.tenant, { seq: last.seq, hash: last.hash, at: 0 }]]));
    expect(linesOf(file, world.tenant).map((c) => c.seq)).toEqual([last.seq, last.seq]);
    expect(verifyCli("--tenant", world.tenant, "--checkpoints", file).out).toContain(`first broken link at event #${last.seq}`);
  });
});

describe("the checkpoint log itself", () => {
  it("a line edited, signed by another key, or not a checkpoint is named by its line; a wrong public key names every line", async () => {
    const world = await makeWorld("cp-log");
    await verify(world); // seals its events
    const file = newFile();
    await checkpoint(file);
    const lines = fs.readFileSync(file, "utf8").trim().split("\n");
    const mine = lines.findIndex((l) => JSON.parse(l).tenant === world.tenant);
    const edited = { ...JSON.parse(lines[mine]!), seq: 1 };
    const other = crypto.generateKeyPairSync("ed25519");
    fs.appendFileSync(file, `${JSON.stringify(edited)}\n{"v":1,"tenant":"x"}\n`);
    const otherKeyText = other.publicKey.export({ format: "der", type: "spki" }).toString("base64");

    const r = verifyCli("--tenant", world.tenant, "--checkpoints", file);
    expect(r.out).toContain(`BROKEN  checkpoint line ${lines.length + 1}: its signature does not verify (the line was altered or forged)`);
    expect(r.out).toContain(`BROKEN  checkpoint line ${lines.length + 2}: not a checkpoint`);
    expect(r.out).toContain(`ok      ${world.tenant}`);
    expect(r.status).toBe(1);

    const wrong = verifyCli("--tenant", world.tenant, "--checkpoints", file, "--public-key", otherKeyText);
    expect(wrong.out).toMatch(/BROKEN {2}checkpoint line 1: signed by key [0-9a-f]{16}, not by the given public key/);
    expect(wrong.status).toBe(1);
  });

  it("the checkpointer signs a head when the chain moved by N events or after the interval, never when it did not move", async () => {
    const world = await makeWorld("cp-cadence");
    const db = await getDb();
    await verify(world); // seals its events
    const file = newFile();
    const opts = { file, everyEvents: 3, intervalMs: 60_000 };
    const signed = new Map<string, { seq: number; hash: string; at: number }>();
    const t0 = Date.parse("2030-01-01T00:00:00Z");
    const round = async (ms: number) => {
      await verify(world); // seals
      await checkpointHeads(db, opts, signed, { now: new Date(t0 + ms) });
      return linesOf(file, world.tenant).map((c) => c.seq);
    };
    const first = await round(0);
    expect(first).toHaveLength(1);
    expect(await round(1_000)).toEqual(first); // nothing moved
    await world.submit({ topic: "job.repo.read", payload: { n: 1 } });
    expect(await round(2_000)).toEqual(first); // moved by 1 of 3, within the minute
    await world.submit({ topic: "job.repo.read", payload: { n: 2 } });
    await world.submit({ topic: "job.repo.read", payload: { n: 3 } });
    const byCount = await round(3_000);
    expect(byCount).toEqual([...first, first[0]! + 3]);
    await world.submit({ topic: "job.repo.read", payload: { n: 4 } });
    expect(await round(4_000)).toEqual(byCount);
    expect(await round(3_000 + 60_000)).toEqual([...byCount, first[0]! + 4]);
  });
});
