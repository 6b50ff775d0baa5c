import { and, eq } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { tokens, users } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { SCOPES, type Principal, type Scope } from "@/lib/services/context";
import { Forbidden, Unauthenticated } from "@/lib/services/errors";
import { AGENT_FORBIDDEN } from "@/lib/services/provisioning/schemas";
import { secretEquals, sha256Hex } from "./secrets";

const ALL_SCOPES: ReadonlySet<Scope> = new Set(SCOPES);
export const SYSTEM_TENANT = "system";

function bearer(req: Request): string | null {
  const header = req.headers.get("authorization");
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) throw new Unauthenticated("The Authorization header must be `Bearer <token>`.");
  return match[1];
}

/** Resolve the caller from its bearer token. Expired, revoked and unknown tokens are all 401. */
export async function authenticate(db: Db, req: Request, now: Date): Promise<Principal> {
  const secret = bearer(req);
  if (!secret) throw new Unauthenticated();

  const adminToken = env().COUNTERSIGN_ADMIN_TOKEN;
  if (adminToken && secretEquals(secret, adminToken)) {
    return { kind: "admin", tenantId: SYSTEM_TENANT, scopes: ALL_SCOPES, tokenId: null };
  }

  const [row] = await db
    .select({ token: tokens, user: users })
    .from(tokens)
    .leftJoin(users, and(eq(users.id, tokens.userId), eq(users.tenantId, tokens.tenantId)))
    .where(eq(tokens.tokenHash, sha256Hex(secret)))
    .limit(1);
  if (!row) throw new Unauthenticated("Unknown token.");
  const { token, user } = row;
  if (token.revokedAt) throw new Unauthenticated("This token has been revoked.");
  if (token.expiresAt && token.expiresAt.getTime() <= now.getTime()) throw new Unauthenticated("This token has expired.");

  const scopes = new Set(token.scopes.filter((s): s is Scope => ALL_SCOPES.has(s as Scope)));
  const base = { tenantId: token.tenantId, scopes, tokenId: token.id };
  if (token.kind === "agent") {
    // Belt and braces: whatever was stored, an agent never holds a scope that could open its own gate.
    for (const s of AGENT_FORBIDDEN) scopes.delete(s);
    return { ...base, kind: "agent", name: token.name, ownerEmail: token.ownerEmail };
  }
  if (!user || user.disabled) throw new Unauthenticated("The user behind this token is disabled or gone.");
  return { ...base, kind: "user", userId: user.id, email: user.email, roles: user.roles };
}

export function requireScope(principal: Principal, ...anyOf: Scope[]): void {
  if (anyOf.some((s) => principal.scopes.has(s))) return;
  throw new Forbidden("insufficient_scope", `This needs the ${anyOf.join(" or ")} scope.`);
}
