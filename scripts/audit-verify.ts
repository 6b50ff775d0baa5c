// `npm run audit:verify [-- --tenant <id>] [--checkpoints FILE [--public-key KEY]]`: recompute every
// tenant's audit hash chain straight from the database (DATABASE_URL, else the embedded PGlite in .data/;
// stop `npm start` first, PGlite has one writer), check every event's MACs (COUNTERSIGN_AUDIT_KEY, else
// .data/audit-key) and name the first broken link and any forged event. With --checkpoints, also check
// each chain against the signed checkpoints in FILE (public key: a PEM file or the base64 the server
// prints at start; default, this machine's checkpoint key): a chain cut back or rewritten before its
// last checkpoint is named. Exit status 1 if anything does not hold.
import { underServerCondition } from "./server-condition";

function option(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

// The same lines as `countersign audit verify` (packages/cli/src/audit.ts), which reads them over the API.
async function main(): Promise<number> {
  const { getDatabase } = await import("@/lib/db/client");
  const { checkpointPublicKey, verifyAudit } = await import("@/lib/services/audit/verify-all");
  const { checkpointFileLines } = await import("@/lib/services/audit/checkpoint");
  const tenant = option("--tenant");
  const file = option("--checkpoints");
  const checkpoints = file ? { lines: checkpointFileLines(file), publicKey: checkpointPublicKey(option("--public-key")) } : undefined;
  const { db } = await getDatabase();
  const v = await verifyAudit(db, { tenant, checkpoints });
  for (const r of v.results) {
    const signed = r.checkpoint ? `, checkpoint #${r.checkpoint.seq} of ${r.checkpoint.at}` : checkpoints ? ", no checkpoint" : "";
    if (r.first_broken) {
      console.log(`BROKEN  ${r.tenant}: first broken link at event #${r.first_broken.seq}: ${r.first_broken.reason}`);
    } else {
      console.log(`${r.rejected.length ? "FORGED" : "ok    "}  ${r.tenant}: ${r.checked} events, head #${r.head?.seq ?? 0}${signed}${r.pending ? ` (${r.pending} not yet sealed)` : ""}`);
    }
    for (const f of r.rejected) {
      console.log(`FORGED  ${r.tenant}: row id ${f.id} (${f.type} by ${f.actor}, dated ${f.created_at}) was refused by the sealer: ${f.reason}`);
    }
    // A rewind or rewrite is the broken link above; what is left are the log's own bad lines.
    for (const p of r.checkpoint_problems) if (!("seq" in p)) console.log(`BROKEN  checkpoint line ${p.line}: ${p.reason}`);
  }
  if (v.checkpoints) {
    console.log(`checkpoints: ${v.checkpoints.lines} lines read from ${file}`);
    for (const p of v.checkpoints.problems) console.log(`BROKEN  checkpoint line ${p.line}: ${p.reason}`);
  }
  if (v.results.length === 0) console.log(tenant ? `no tenant ${tenant}` : "no tenants");
  return v.ok ? 0 : 1;
}

async function closeDatabase(): Promise<void> {
  await (await import("@/lib/db/client")).closeDatabase();
}

underServerCondition();

main()
  .then(async (code) => {
    await closeDatabase();
    process.exit(code);
  })
  .catch(async (err: unknown) => {
    console.error(err);
    await closeDatabase().catch(() => {});
    process.exit(2);
  });
