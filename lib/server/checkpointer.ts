import fs from "node:fs/promises";
import path from "node:path";
import { gt } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { auditHeads } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { signCheckpoint } from "@/lib/services/audit/checkpoint";
import { checkpointSigner } from "@/lib/services/audit/keys";

export interface CheckpointOptions {
  file: string;
  everyEvents: number;
  intervalMs: number;
}

export function checkpointOptions(): CheckpointOptions {
  const e = env();
  return { file: path.resolve(e.COUNTERSIGN_CHECKPOINT_FILE), everyEvents: e.COUNTERSIGN_CHECKPOINT_EVENTS, intervalMs: e.COUNTERSIGN_CHECKPOINT_SECONDS * 1000 };
}

/**
 * One round of checkpointing: sign the head of every tenant whose chain moved by `everyEvents`, or moved
 * at all and was last signed `intervalMs` ago (or never, by this process), and append the lines to the
 * file in one write (`everything`: every head that moved). `signed` is what this process signed last,
 * per tenant. Every instance checkpoints
 * every tenant into its own file, so each file is complete on its own; instances sharing one file
 * write the same head twice, which is harmless (verification reads them as one).
 */
export async function checkpointHeads(
  db: Db,
  opts: CheckpointOptions,
  signed: Map<string, { seq: number; hash: string; at: number }>,
  { now = new Date(), everything = false }: { now?: Date; everything?: boolean } = {},
) {
  const heads = await db.select().from(auditHeads).where(gt(auditHeads.seq, 0));
  const signer = checkpointSigner();
  const lines: string[] = [];
  const taken: [string, { seq: number; hash: string; at: number }][] = [];
  for (const head of heads) {
    const last = signed.get(head.tenantId);
    if (last && head.seq < last.seq) {
      // Only possible behind the app's back; the checkpoint already written is what proves it.
      console.error(`[countersign] audit: the chain head of tenant ${head.tenantId} went back from #${last.seq} to #${head.seq}`);
    }
    const moved = !last || last.seq !== head.seq || last.hash !== head.hash;
    const due = everything || !last || Math.abs(head.seq - last.seq) >= opts.everyEvents || now.getTime() - last.at >= opts.intervalMs;
    if (!moved || !due) continue;
    lines.push(`${JSON.stringify(signCheckpoint({ tenant: head.tenantId, seq: head.seq, hash: head.hash }, now, signer))}\n`);
    taken.push([head.tenantId, { seq: head.seq, hash: head.hash, at: now.getTime() }]);
  }
  if (lines.length === 0) return 0;
  await fs.mkdir(path.dirname(opts.file), { recursive: true });
  // One append of whole lines: concurrent writers (O_APPEND) never interleave inside a line.
  await fs.appendFile(opts.file, lines.join(""), { mode: 0o600 });
  for (const [tenant, mark] of taken) signed.set(tenant, mark);
  return lines.length;
}

/** Checkpoint the audit chains every second (see checkpointHeads); returns a function that stops it. */
export function startCheckpointer(db: Db, opts: CheckpointOptions = checkpointOptions()): () => Promise<void> {
  const signed = new Map<string, { seq: number; hash: string; at: number }>();
  let running: Promise<void> | null = null;
  const tick = async (everything = false) => {
    try {
      await checkpointHeads(db, opts, signed, { everything });
    } catch (err) {
      console.error("[countersign] audit checkpoint failed; will retry", err);
    }
  };
  const timer = setInterval(() => {
    if (!running) running = tick(false).finally(() => (running = null));
  }, Math.min(1000, opts.intervalMs));
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
    // A last checkpoint on the way out, so a clean stop leaves nothing unsigned.
    await tick(true);
  };
}
