import type { Db, RawQuery } from "@/lib/db/client";

export const SCOPES = [
  "jobs:submit",
  "jobs:read",
  "jobs:execute",
  "approvals:read",
  "approvals:resolve",
  "policy:read",
  "policy:write",
  "metrics:read",
  "audit:read",
  "admin",
] as const;
export type Scope = (typeof SCOPES)[number];

/** A token's own rate limits in requests per minute (null: the installation's default). */
export interface TokenLimits {
  submitPerMinute: number | null;
  resolvePerMinute: number | null;
}

interface PrincipalBase {
  tenantId: string;
  scopes: ReadonlySet<Scope>;
  tokenId: string | null;
  /** The console sign-in a person's request rides on (lib/services/sessions.ts); absent for tokens. */
  sessionId?: string;
  /** When the bearer token expires (null: never); absent for sessions and the installation token. */
  tokenExpiresAt?: Date | null;
  limits?: TokenLimits;
}

/** Who calls: a person, an agent token, or the installation admin (env token, any tenant). */
export type Principal =
  | (PrincipalBase & { kind: "user"; userId: string; email: string; roles: string[] })
  | (PrincipalBase & { kind: "agent"; name: string; ownerEmail: string | null })
  | (PrincipalBase & { kind: "admin" });

export interface Ctx {
  db: Db;
  /** Hot-path statements in plain SQL (see RawQuery); everything else goes through `db`. */
  query: RawQuery;
  principal: Principal;
  now: Date;
}

/** Exactly who submitted: token id for agents (two tokens may share a name), user id for people. */
export function principalKey(p: Principal): string {
  switch (p.kind) {
    case "user":
      return `usr:${p.userId}`;
    case "agent":
      return `tok:${p.tokenId}`;
    case "admin":
      return "admin:installation";
  }
}

/** How a principal is named on jobs, votes and audit events. */
export function actorOf(p: Principal): string {
  switch (p.kind) {
    case "user":
      return `user:${p.email}`;
    case "agent":
      return `agent:${p.name}`;
    case "admin":
      return "admin:installation";
  }
}

/**
 * The credential a request came through, as votes and audit events name it: `token:<id>` or
 * `session:<id>`, so one credential acting as several people is visible. Null for the installation
 * token and for work the server does itself (the demo's seeded votes).
 */
export function credentialOf(p: Principal): string | null {
  if (p.tokenId) return `token:${p.tokenId}`;
  if (p.sessionId) return `session:${p.sessionId}`;
  return null;
}
