import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { tokens } from "@/lib/db/schema";

export interface TokenUse {
  tenantId: string;
  at: Date;
}

// Ids and times travel as one array literal each; ids are ours (`tok-<ulid>`), quoted all the same.
const arrayLiteral = (values: string[]) => `{${values.map((v) => `"${v.replace(/["\\]/g, "\\$&")}"`).join(",")}}`;

/**
 * Record when tokens were last used, many in one statement. Never moves a time backwards, so two
 * instances flushing out of order leave the later use.
 */
export async function recordTokenUse(db: Db, uses: ReadonlyMap<string, TokenUse>): Promise<void> {
  if (uses.size === 0) return;
  const ids = [...uses.keys()];
  const list = [...uses.values()];
  await db.execute(sql`
    update ${tokens} set last_used_at = u.at
    from unnest(${arrayLiteral(ids)}::text[], ${arrayLiteral(list.map((u) => u.tenantId))}::text[],
                ${arrayLiteral(list.map((u) => u.at.toISOString()))}::timestamptz[]) as u(id, tenant_id, at)
    where ${tokens.id} = u.id and ${tokens.tenantId} = u.tenant_id
      and (${tokens.lastUsedAt} is null or ${tokens.lastUsedAt} < u.at)`);
}
