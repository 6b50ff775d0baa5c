// `npm run audit:verify [-- --tenant <id>]`: recompute every tenant's audit hash chain straight from the
// database (DATABASE_URL, else the embedded PGlite in .data/; stop `npm start` first, PGlite has one
// writer) and name the first broken link. Exit status 1 if any chain is broken.
import { closeDatabase, getDatabase } from "@/lib/db/client";
import { tenants } from "@/lib/db/schema";
import { verifyChain } from "@/lib/services/audit/verify";

async function main(): Promise<number> {
  const at = process.argv.indexOf("--tenant");
  const only = at >= 0 ? process.argv[at + 1] : undefined;
  const { db, query } = await getDatabase();
  const ids = only ? [only] : (await db.select({ id: tenants.id }).from(tenants).orderBy(tenants.id)).map((t) => t.id);
  let broken = 0;
  for (const tenantId of ids) {
    const principal = { kind: "admin" as const, tenantId, scopes: new Set<never>(), tokenId: null };
    const r = await verifyChain({ ctx: { db, query, principal, now: new Date() } });
    if (r.ok) {
      console.log(`ok      ${tenantId}: ${r.checked} events, head #${r.head?.seq ?? 0}${r.pending ? ` (${r.pending} not yet sealed)` : ""}`);
    } else {
      broken += 1;
      console.log(`BROKEN  ${tenantId}: first broken link at event #${r.first_broken?.seq}: ${r.first_broken?.reason}`);
    }
  }
  if (ids.length === 0) console.log(only ? `no tenant ${only}` : "no tenants");
  return broken > 0 || ids.length === 0 ? 1 : 0;
}

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
