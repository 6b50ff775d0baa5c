import "server-only";
import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import { users } from "@/lib/db/schema";
import type { Ctx } from "@/lib/services/context";
import { targetTenant } from "./tenants";
import { renderUser } from "./users";
import { TenantId } from "./schemas";

export const UsersQuery = z.object({ tenant: TenantId.optional() }).strict();
export type UsersQuery = z.infer<typeof UsersQuery>;

/** The tenant's people, by email: what the People page and `GET /admin/users` show. */
export async function listUsers({ ctx, input }: { ctx: Ctx; input: UsersQuery }) {
  const tenantId = await targetTenant(ctx.db, ctx.principal, input.tenant);
  const rows = await ctx.db.select().from(users).where(eq(users.tenantId, tenantId)).orderBy(asc(users.email));
  return {
    items: rows.map((u) => ({
      ...renderUser(u),
      // An invited person has no password until they open their set-password link.
      has_password: u.passwordHash !== null,
      created_at: u.createdAt.toISOString(),
    })),
  };
}
