import "server-only";
import crypto, { type KeyObject } from "node:crypto";
import fs from "node:fs";
import readline from "node:readline";
import { z } from "zod";
import { canonicalJson } from "@/lib/policy/snapshot";
import { publicKeyId, type CheckpointSigner } from "./keys";

/**
 * A checkpoint: a tenant's chain head (seq, hash) at a moment, signed with Ed25519 by a key outside the
 * database and appended to a log outside it (one JSON object a line). Since each hash covers every
 * event before it, the chain matching a checkpoint's hash at its seq proves the chain up to there is
 * the one that was signed: a chain cut back below it, or rewritten before it, no longer matches.
 */
export const Checkpoint = z
  .object({
    v: z.literal(1),
    tenant: z.string().min(1),
    seq: z.number().int().positive(),
    hash: z.string().regex(/^[0-9a-f]{64}$/),
    at: z.string(),
    /** Which public key signed it (publicKeyId). */
    key: z.string(),
    /** Ed25519 over the canonical JSON of the other fields, base64url. */
    sig: z.string(),
  })
  .strict();
export type Checkpoint = z.infer<typeof Checkpoint>;

const signedBytes = (c: Omit<Checkpoint, "sig">) =>
  Buffer.from(canonicalJson({ v: c.v, tenant: c.tenant, seq: c.seq, hash: c.hash, at: c.at, key: c.key }));

export function signCheckpoint(head: { tenant: string; seq: number; hash: string }, at: Date, signer: CheckpointSigner): Checkpoint {
  const body = { v: 1 as const, tenant: head.tenant, seq: head.seq, hash: head.hash, at: at.toISOString(), key: signer.id };
  return { ...body, sig: crypto.sign(null, signedBytes(body), signer.privateKey).toString("base64url") };
}

/** What one tenant's checkpoints say its chain must hold. */
export interface TenantCheckpoints {
  /** seq → the hash signed for it (the first signed, if several were), when, and on which line. */
  bySeq: Map<number, { hash: string; at: string; line: number }>;
  /** The checkpoint furthest along: the chain must reach at least this far. */
  last: { seq: number; at: string; line: number };
  /** Two checkpoints that signed different hashes for one event: the chain was rewritten between them. */
  conflicts: { seq: number; at: string[]; line: number }[];
}

/** What can be wrong with a line of the log itself (stable codes, as the API answers them). */
export type LineProblemCode = "not_a_checkpoint" | "unknown_key" | "bad_signature";

export interface LineProblem {
  code: LineProblemCode;
  line: number;
  /** The tenant the line names, when it parses as a checkpoint at all. */
  tenant?: string;
  reason: string;
}

export interface CheckpointLog {
  tenants: Map<string, TenantCheckpoints>;
  lines: number;
  /** Lines that are not checkpoints signed by the given key: each one is named. */
  problems: LineProblem[];
}

/**
 * Read a checkpoint log line by line (it can be long: about 100 bytes a checkpoint are held per tenant)
 * and keep the checkpoints signed by `publicKey`; anything else is a named problem. The lines come from
 * a file (checkpointFileLines) or from text sent over the API (checkpointTextLines).
 */
export async function readCheckpointLog(lines: Iterable<string> | AsyncIterable<string>, publicKey: KeyObject): Promise<CheckpointLog> {
  const keyId = publicKeyId(publicKey);
  const log: CheckpointLog = { tenants: new Map(), lines: 0, problems: [] };
  for await (const text of lines) {
    const line = ++log.lines;
    if (!text.trim()) continue;
    let parsed: Checkpoint;
    try {
      parsed = Checkpoint.parse(JSON.parse(text));
    } catch {
      log.problems.push({ code: "not_a_checkpoint", line, reason: "not a checkpoint" });
      continue;
    }
    if (parsed.key !== keyId) {
      log.problems.push({ code: "unknown_key", line, tenant: parsed.tenant, reason: `signed by key ${parsed.key}, not by the given public key (${keyId})` });
      continue;
    }
    if (!crypto.verify(null, signedBytes(parsed), publicKey, Buffer.from(parsed.sig, "base64url"))) {
      log.problems.push({ code: "bad_signature", line, tenant: parsed.tenant, reason: "its signature does not verify (the line was altered or forged)" });
      continue;
    }
    add(log.tenants, parsed, line);
  }
  return log;
}

/**
 * A checkpoint file's lines, streamed (the log only grows). Opened on the first read: a readline
 * interface made earlier would drop the lines it read before anyone listened.
 */
export async function* checkpointFileLines(file: string): AsyncGenerator<string> {
  yield* readline.createInterface({ input: fs.createReadStream(file, "utf8"), crlfDelay: Infinity });
}

/** The lines of a log sent as text, split as readline splits a file (no empty line after the last newline). */
export function* checkpointTextLines(text: string): Generator<string> {
  const lines = text.split(/\r\n|\n|\r/);
  if (lines.at(-1) === "") lines.pop();
  yield* lines;
}

function add(tenants: Map<string, TenantCheckpoints>, c: Checkpoint, line: number): void {
  let t = tenants.get(c.tenant);
  if (!t) {
    t = { bySeq: new Map(), last: { seq: c.seq, at: c.at, line }, conflicts: [] };
    tenants.set(c.tenant, t);
  }
  const seen = t.bySeq.get(c.seq);
  if (!seen) t.bySeq.set(c.seq, { hash: c.hash, at: c.at, line });
  else if (seen.hash !== c.hash) t.conflicts.push({ seq: c.seq, at: [seen.at, c.at], line });
  if (c.seq > t.last.seq) t.last = { seq: c.seq, at: c.at, line };
}
