import "server-only";
import fs from "node:fs";
import type { KeyObject } from "node:crypto";
import type { Db } from "@/lib/db/client";
import { tenants } from "@/lib/db/schema";
import { readCheckpointLog, type LineProblem, type LineProblemCode } from "./checkpoint";
import { localCheckpointPublicKey, parsePublicKey } from "./keys";
import { verifyTenant, type CheckpointFinding, type VerifyResult } from "./verify";

/** A checkpoint finding about one tenant, with a stable code. */
export type CheckpointProblem = CheckpointFinding | { code: LineProblemCode; line: number; reason: string };

export interface TenantAuditResult extends VerifyResult {
  /** The last checkpoint the chain was checked against (null: the log signed none for this tenant). */
  checkpoint: { seq: number; at: string; line: number } | null;
  /** The chain cut back below or rewritten at a checkpoint, and the log's bad lines naming this tenant. */
  checkpoint_problems: CheckpointProblem[];
}

export interface AuditVerification {
  ok: boolean;
  results: TenantAuditResult[];
  /** With a checkpoint log: its length, and its bad lines that name no tenant checked here. */
  checkpoints: { lines: number; problems: LineProblem[] } | null;
}

/** A checkpoint log, as lines (checkpointFileLines, checkpointTextLines), and the key that must have signed it. */
export interface CheckpointInput {
  lines: Iterable<string> | AsyncIterable<string>;
  publicKey: KeyObject;
}

/**
 * `audit verify` (the npm script, `POST /audit/verify` and so the CLI): every tenant's chain (or one),
 * and with a checkpoint log, each chain against the checkpoints signed for it. A tenant that only the
 * log knows is checked too: its chain having vanished is what the log proves.
 */
export async function verifyAudit(db: Db, opts: { tenant?: string; checkpoints?: CheckpointInput } = {}): Promise<AuditVerification> {
  const log = opts.checkpoints ? await readCheckpointLog(opts.checkpoints.lines, opts.checkpoints.publicKey) : null;
  let ids: string[];
  if (opts.tenant) {
    ids = [opts.tenant];
  } else {
    const known = (await db.select({ id: tenants.id }).from(tenants)).map((t) => t.id);
    ids = [...new Set([...known, ...(log?.tenants.keys() ?? [])])].sort();
  }
  const results: TenantAuditResult[] = [];
  for (const tenant of ids) {
    const signed = log?.tenants.get(tenant);
    const { result, checkpoint } = await verifyTenant(db, tenant, signed);
    const badLines = (log?.problems ?? []).filter((p) => p.tenant === tenant).map(({ code, line, reason }) => ({ code, line, reason }));
    results.push({ ...result, checkpoint: signed?.last ?? null, checkpoint_problems: [...(checkpoint ? [checkpoint] : []), ...badLines] });
  }
  const checked = new Set(ids);
  // A bad line is the log's problem even when the chain it names holds: whoever can alter the log can hide a rewind.
  return {
    ok: ids.length > 0 && results.every((r) => r.ok) && (log?.problems.length ?? 0) === 0,
    results,
    checkpoints: log ? { lines: log.lines, problems: log.problems.filter((p) => !p.tenant || !checked.has(p.tenant)) } : null,
  };
}

/** `--public-key`: a PEM file, or the key itself (PEM, or the base64 printed at start); else this machine's. */
export function checkpointPublicKey(given: string | undefined): KeyObject {
  if (given) return parsePublicKey(fs.existsSync(given) ? fs.readFileSync(given, "utf8") : given);
  const local = localCheckpointPublicKey();
  if (!local) throw new Error("no checkpoint key on this machine: pass --public-key (printed by the server at start)");
  return local;
}
