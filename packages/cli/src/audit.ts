// `countersign audit verify --checkpoints FILE [--public-key KEY] [--tenant T]` (DESIGN §5): the server
// recomputes the audit chain and checks it against the signed checkpoint log sent from here (POST
// /audit/verify), so a chain cut back or rewritten behind its back is named. Prints the lines `npm run
// audit:verify` prints; exit 0 when everything holds, 1 when anything does not, 2 when it could not tell.
import { existsSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { Countersign, CountersignError, type AuditVerification } from "@countersign/sdk";
import type { Env } from "./config.js";

export const AUDIT_USAGE = "usage: countersign audit verify --checkpoints FILE [--public-key KEY] [--tenant T]";

/** The server's body limit (lib/api/body.ts): the log travels in one JSON body, escaped. */
const MAX_BODY_BYTES = 256 * 1024;

class UsageError extends Error {}

export function renderVerification(v: AuditVerification, file: string): string[] {
  const out: string[] = [];
  for (const r of v.results) {
    const signed = r.checkpoint ? `, checkpoint #${r.checkpoint.seq} of ${r.checkpoint.at}` : ", no checkpoint";
    if (r.first_broken) {
      out.push(`BROKEN  ${r.tenant}: first broken link at event #${r.first_broken.seq}: ${r.first_broken.reason}`);
    } else {
      out.push(`${r.rejected.length ? "FORGED" : "ok    "}  ${r.tenant}: ${r.checked} events, head #${r.head?.seq ?? 0}${signed}${r.pending ? ` (${r.pending} not yet sealed)` : ""}`);
    }
    for (const f of r.rejected) {
      out.push(`FORGED  ${r.tenant}: row id ${f.id} (${f.type} by ${f.actor}, dated ${f.created_at}) was refused by the sealer: ${f.reason}`);
    }
    // A rewind or rewrite is the broken link above; what is left are the log's own bad lines.
    for (const p of r.checkpoint_problems) if (p.seq === undefined) out.push(`BROKEN  checkpoint line ${p.line}: ${p.reason}`);
  }
  out.push(`checkpoints: ${v.checkpoints.lines} lines read from ${file}`);
  for (const p of v.checkpoints.problems) out.push(`BROKEN  checkpoint line ${p.line}: ${p.reason}`);
  if (v.results.length === 0) out.push("no tenants");
  return out;
}

function request(argv: string[], env: Env) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { checkpoints: { type: "string" }, "public-key": { type: "string" }, tenant: { type: "string" } }, allowPositionals: true });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${AUDIT_USAGE}`);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1 || positionals[0] !== "verify" || !values.checkpoints) throw new UsageError(AUDIT_USAGE);
  const url = env.COUNTERSIGN_URL?.replace(/\/+$/, "");
  const token = env.COUNTERSIGN_TOKEN;
  if (!url || !token) throw new UsageError("COUNTERSIGN_URL and COUNTERSIGN_TOKEN (a token with audit:read) must be set");
  const file = values.checkpoints;
  let checkpoints: string;
  try {
    checkpoints = readFileSync(file, "utf8");
  } catch (err) {
    throw new UsageError(`cannot read the checkpoint log ${file}: ${(err as Error).message}`);
  }
  // As `npm run audit:verify`: a PEM file, or the key itself (PEM, or the base64 the server prints at start).
  const key = values["public-key"];
  const public_key = key !== undefined && existsSync(key) ? readFileSync(key, "utf8") : key;
  const input = { checkpoints, ...(public_key !== undefined ? { public_key } : {}), ...(values.tenant !== undefined ? { tenant: values.tenant } : {}) };
  const size = Buffer.byteLength(JSON.stringify({ checkpoints, public_key }));
  if (size > MAX_BODY_BYTES) {
    throw new UsageError(
      `${file} is too long to send (${size} bytes as JSON; the server takes ${MAX_BODY_BYTES}): split it (split -C 200k) and verify each part, or run \`npm run audit:verify -- --checkpoints ${file}\` where the server runs`,
    );
  }
  return { cs: new Countersign({ baseUrl: url, token }), input, file };
}

export async function runAudit(argv: string[], env: Env = process.env): Promise<number> {
  try {
    const { cs, input, file } = request(argv, env);
    const v = await cs.verifyAudit(input);
    process.stdout.write(`${renderVerification(v, file).join("\n")}\n`);
    return v.ok ? 0 : 1;
  } catch (err) {
    let msg: string;
    if (err instanceof UsageError) msg = err.message;
    else if (err instanceof CountersignError) {
      const fields = err.errors?.map((e) => `${e.path}: ${e.message}`).join("; ");
      // fetch says only "fetch failed"; why (ECONNREFUSED, a DNS failure) is its cause.
      const why = (err.cause as { cause?: { message?: string } } | undefined)?.cause?.message;
      msg = err.status === 0 ? `${err.detail}${why ? ` (${why})` : ""}` : `the server refused (${err.status} ${err.code}): ${err.detail}${fields ? ` (${fields})` : ""}`;
    } else msg = err instanceof Error ? err.message : String(err);
    process.stderr.write(`countersign audit verify: ${msg}\n`);
    return 2;
  }
}
