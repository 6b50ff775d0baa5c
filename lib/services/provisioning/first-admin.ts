import "server-only";
import crypto from "node:crypto";
import { and, count, eq } from "drizzle-orm";
import { ulid } from "@/lib/ids";
import { hashPassword, secretEquals } from "@/lib/secrets";
import type { Db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { tenants, users } from "@/lib/db/schema";
import { appendAudit } from "@/lib/services/audit/chain";
import { SYSTEM_TENANT } from "@/lib/services/context";
import { Conflict, Forbidden } from "@/lib/services/errors";

/**
 * The one-time setup code for the first admin, derived from AUTH_SECRET so every instance prints and
 * accepts the same link. It is "one-time" because it works only while the system tenant has no users.
 */
export function setupCode(authSecret: string): string {
  return crypto.createHmac("sha256", authSecret).update("countersign:first-admin").digest("base64url").slice(0, 32);
}

export async function needsFirstAdmin(db: Db): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(users).where(eq(users.tenantId, SYSTEM_TENANT));
  return (row?.n ?? 0) === 0;
}

/**
 * Whether the start log and the sign-in page point to the setup link: while the system tenant has
 * nobody, except in the demo, whose people live in tenant `demo` and whose system tenant nobody uses.
 */
export async function setupLinkApplies(db: Db): Promise<boolean> {
  return env().COUNTERSIGN_DEMO !== "1" && (await needsFirstAdmin(db));
}

export interface FirstAdminInput {
  code: string;
  email: string;
  name?: string;
  password: string;
}

/** Create the first admin of the installation, once: the tenant row lock makes two racing setups one. */
export async function createFirstAdmin(db: Db, authSecret: string, input: FirstAdminInput, now: Date) {
  if (!secretEquals(input.code, setupCode(authSecret))) {
    throw new Forbidden("invalid_setup_code", "This setup link is not valid. Use the one the server printed.");
  }
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    await tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.id, SYSTEM_TENANT)).for("update");
    const [existing] = await tx.select({ n: count() }).from(users).where(and(eq(users.tenantId, SYSTEM_TENANT)));
    if ((existing?.n ?? 0) > 0) throw new Conflict("setup_done", "Setup is already done: sign in instead.");
    const [row] = await tx
      .insert(users)
      .values({ id: `usr-${ulid()}`, tenantId: SYSTEM_TENANT, email: input.email, name: input.name ?? null, roles: ["admin"], passwordHash, createdAt: now, updatedAt: now })
      .returning();
    await appendAudit(tx, {
      tenantId: SYSTEM_TENANT,
      type: "user.created",
      actor: "setup:first-admin",
      data: { user_id: row!.id, email: row!.email, roles: ["admin"] },
      at: now,
    });
    return { id: row!.id, email: row!.email };
  });
}
