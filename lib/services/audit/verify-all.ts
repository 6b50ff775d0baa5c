import fs from "node:fs";
import type { KeyObject } from "node:crypto";
import type { Db } from "@/lib/db/client";
import { tenants } from "@/lib/db/schema";
import { readCheckpointLog, type CheckpointLog } from "./checkpoint";
import { localCheckpointPublicKey, parsePublicKey } from "./keys";
import { verifyTenant, type VerifyResult } from "./verify";

export interface AuditVerification {
  ok: boolean;
  results: (VerifyResult & { checkpoint: { seq: number; at: string } | null })[];
  checkpoints: { file: string; lines: number; problems: CheckpointLog["problems"] } | null;
}

/**
 * `audit verify` (the npm script, and the CLI): every tenant's chain (or one), and with a checkpoint
 * log, each chain against the checkpoints signed for it. A tenant that only the log knows is checked
 * too: its chain having vanished is what the log proves.
 */
export async function verifyAudit(db: Db, opts: { tenant?: string; checkpoints?: { file: string; publicKey: KeyObject } } = {}): Promise<AuditVerification> {
  const log = opts.checkpoints ? await readCheckpointLog(opts.checkpoints.file, opts.checkpoints.publicKey) : null;
  let ids: string[];
  if (opts.tenant) {
    ids = [opts.tenant];
  } else {
    const known = (await db.select({ id: tenants.id }).from(tenants)).map((t) => t.id);
    ids = [...new Set([...known, ...(log?.tenants.keys() ?? [])])].sort();
  }
  const results: AuditVerification["results"] = [];
  for (const tenant of ids) {
    const signed = log?.tenants.get(tenant);
    results.push({ ...(await verifyTenant(db, tenant, signed)), checkpoint: signed?.last ?? null });
  }
  return {
    ok: ids.length > 0 && results.every((r) => r.ok) && (log?.problems.length ?? 0) === 0,
    results,
    checkpoints: log && opts.checkpoints ? { file: opts.checkpoints.file, lines: log.lines, problems: log.problems } : null,
  };
}

/** `--public-key`: a PEM file, or the key itself (PEM, or the base64 printed at start); else this machine's. */
export function checkpointPublicKey(given: string | undefined): KeyObject {
  if (given) return parsePublicKey(fs.existsSync(given) ? fs.readFileSync(given, "utf8") : given);
  const local = localCheckpointPublicKey();
  if (!local) throw new Error("no checkpoint key on this machine: pass --public-key (printed by the server at start)");
  return local;
}
