import { getToken } from "next-auth/jwt";
import type { RawQuery } from "@/lib/db/client";
import { env } from "@/lib/env";
import type { Principal, Scope } from "@/lib/services/context";
import { Forbidden, Unauthenticated } from "@/lib/services/errors";

/** What the console's session cookie carries: who, in which tenant, which sign-in. Roles are always re-read. */
export interface SessionClaims {
  uid: string;
  tenant: string;
  /** The server-side session (lib/services/sessions.ts); a cookie without a live one is no session. */
  sid: string;
}

// A person signed in to the console may read and resolve; what they may approve is still decided by
// their roles on each job. Writing policy, provisioning and reading the audit trail follow the role.
const BASE_SCOPES: Scope[] = ["jobs:read", "approvals:read", "approvals:resolve", "policy:read", "metrics:read"];
const ROLE_SCOPES: Record<string, Scope[]> = {
  admin: ["admin", "policy:write", "audit:read"],
  manager: ["audit:read"],
  "eng-manager": ["audit:read"],
  security: ["audit:read"],
};

export function scopesForRoles(roles: readonly string[]): Set<Scope> {
  const scopes = new Set<Scope>(BASE_SCOPES);
  for (const role of roles) for (const s of ROLE_SCOPES[role] ?? []) scopes.add(s);
  return scopes;
}

interface UserRow extends Record<string, unknown> {
  id: string;
  tenant_id: string;
  email: string;
  name: string | null;
  roles: string[];
  disabled: boolean;
}

// The session row and its person in one round trip (both primary-key lookups): this runs before every
// console request, so nothing is cached and an ended session is refused from the next request on.
const USER_SQL = `select u.id, u.tenant_id, u.email, u.name, u.roles, u.disabled
  from sessions s join users u on u.id = s.user_id and u.tenant_id = s.tenant_id
  where s.id = $3 and s.user_id = $1 and s.tenant_id = $2 and s.revoked_at is null and s.expires_at > $4::timestamptz`;

/**
 * The person behind a session, read fresh: a signed-out session, a disabled user or a changed role
 * takes effect on the next request, not when the cookie expires.
 */
export async function principalForSession(
  query: RawQuery,
  claims: SessionClaims,
  now: Date,
): Promise<(Principal & { kind: "user" }) & { name: string | null }> {
  const [user] = await query<UserRow>(USER_SQL, [claims.uid, claims.tenant, claims.sid, now.toISOString()]);
  if (!user || user.disabled) throw new Unauthenticated("Your session has ended; sign in again.");
  return {
    kind: "user",
    tenantId: user.tenant_id,
    userId: user.id,
    email: user.email,
    name: user.name,
    roles: user.roles,
    scopes: scopesForRoles(user.roles),
    tokenId: null,
    sessionId: claims.sid,
  };
}

export function authSecret(): string {
  const secret = env().AUTH_SECRET;
  if (!secret) throw new Unauthenticated("The console is not configured (AUTH_SECRET is unset).");
  return secret;
}

function forwardedProto(req: Request): string {
  return req.headers.get("x-forwarded-proto")?.split(",")[0]?.trim() ?? new URL(req.url).protocol.replace(":", "");
}

/** The session claims in a request's cookie, or null when there is no valid session cookie. */
export async function sessionClaims(req: Request): Promise<SessionClaims | null> {
  if (!req.headers.get("cookie")?.includes("authjs.session-token")) return null;
  // The cookie's name follows the scheme exactly as Auth.js chose it: AUTH_URL's when set, else the request's.
  const configured = env().AUTH_URL;
  const secure = configured ? new URL(configured).protocol === "https:" : forwardedProto(req) === "https";
  const token = await getToken({ req, secret: authSecret(), secureCookie: secure });
  if (!token || typeof token.uid !== "string" || typeof token.tenant !== "string" || typeof token.sid !== "string") return null;
  return { uid: token.uid, tenant: token.tenant, sid: token.sid };
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The console's own origins: AUTH_URL if set, and the origin the request was addressed to. */
function ownOrigins(req: Request): Set<string> {
  const origins = new Set<string>();
  const configured = env().AUTH_URL;
  if (configured) origins.add(new URL(configured).origin);
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
  if (host) origins.add(`${forwardedProto(req)}://${host}`);
  else origins.add(new URL(req.url).origin);
  return origins;
}

/**
 * A state-changing request that rides on a cookie must come from the console's own origin,
 * or any page on the web could make a signed-in reviewer's browser approve something.
 */
export function assertSameOrigin(req: Request): void {
  if (SAFE_METHODS.has(req.method)) return;
  const origin = req.headers.get("origin");
  if (!origin || !ownOrigins(req).has(origin)) {
    throw new Forbidden("cross_origin", "A request carrying the console's session must come from the console itself.");
  }
}
