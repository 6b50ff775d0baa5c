import "server-only";
import type { Db } from "@/lib/db/client";
import { SYSTEM_TENANT } from "@/lib/services/context";
import { insertTenant } from "./tenants";

/** Out of the box: tenant `system` with the product's default policy. Safe to run on every start. */
export async function bootstrap(db: Db): Promise<void> {
  await db.transaction((tx) =>
    insertTenant(tx, { id: SYSTEM_TENANT, name: "System", actor: "system:bootstrap", now: new Date() }),
  );
}
