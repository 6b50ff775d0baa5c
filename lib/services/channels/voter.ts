import "server-only";
import type { UserRow } from "@/lib/db/schema";
import { scopesForRoles, type Principal } from "@/lib/services/context";

/**
 * A person voting from Slack or a mail link, as the vote service sees them: their roles and the
 * scopes those give in the console, and the channel as the vote's credential (`slack:U…`, `email:…`),
 * so the vote and its audit event say where it came from. Every rule of the console then applies.
 */
export function channelVoter(user: Pick<UserRow, "id" | "tenantId" | "email" | "roles">, channel: string): Principal {
  return { kind: "user", tenantId: user.tenantId, userId: user.id, email: user.email, roles: user.roles, scopes: scopesForRoles(user.roles), tokenId: null, channel };
}
