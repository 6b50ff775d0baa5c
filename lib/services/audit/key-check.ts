import { and, desc, isNotNull } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { auditEvents } from "@/lib/db/schema";
import { auditKey } from "./keys";

/**
 * Why this server must not start with its audit key, or null. Instances sharing a database must share
 * the key: one with another key would have its events refused as forged by the others' sealers (and
 * theirs by its own). The newest sealed event names the key this database's events are made with; only
 * sealed ones count, since anyone with INSERT can write an unsealed row naming any key.
 */
export async function auditKeyMismatch(db: Db): Promise<string | null> {
  const [newest] = await db
    .select({ keyId: auditEvents.keyId })
    .from(auditEvents)
    .where(and(isNotNull(auditEvents.hash), isNotNull(auditEvents.keyId)))
    .orderBy(desc(auditEvents.id))
    .limit(1);
  const mine = auditKey().id;
  if (!newest || newest.keyId === mine) return null;
  return `COUNTERSIGN_AUDIT_KEY is not the key this database's audit events are made with (key ${newest.keyId}; this server has ${mine}). Every instance sharing a database needs the same key.`;
}
