import "server-only";
import type { Db, DbHandle } from "@/lib/db/client";
import { executeIn, txQuery } from "@/lib/db/raw-sql";
import { log, type Logger } from "@/lib/log";
import { Forbidden } from "./errors";

/** The tenant the installation itself lives in: the installation admin token and the first admin act here. */
export const SYSTEM_TENANT = "system";

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

export function requireScope(principal: Principal, ...anyOf: Scope[]): void {
  if (anyOf.some((s) => principal.scopes.has(s))) return;
  throw new Forbidden("insufficient_scope", `This needs the ${anyOf.join(" or ")} scope.`);
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

/** The scopes a person's roles give them in the console (and the most their own tokens may carry). */
export function scopesForRoles(roles: readonly string[]): Set<Scope> {
  const scopes = new Set<Scope>(BASE_SCOPES);
  for (const role of roles) for (const s of ROLE_SCOPES[role] ?? []) scopes.add(s);
  return scopes;
}

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
  /** A vote from Slack or a mail link (lib/services/channels): `slack:<user>` or `email:<link>`, its credential. */
  channel?: string;
}

/** Who calls: a person, an agent token, or the installation admin (env token, any tenant). */
export type Principal =
  | (PrincipalBase & { kind: "user"; userId: string; email: string; roles: string[] })
  | (PrincipalBase & { kind: "agent"; name: string; ownerEmail: string | null })
  | (PrincipalBase & { kind: "admin" });

/**
 * What a service verb works with: the database (`db` for the query builder, `query` for hot-path
 * statements in plain SQL, `transaction` for one that pipelines, `listen` for NOTIFY), who calls, and
 * the time (injected, never read inside a verb). Inside `withTransaction`, `db` and `query` are the
 * transaction's and `inTransaction` is set.
 */
export interface Ctx extends DbHandle {
  principal: Principal;
  now: Date;
  /** Where the verb logs: the process's logger, with the request's id on every line when there is one. */
  readonly log: Logger;
  inTransaction?: boolean;
}

/** A request's context on `database` (the edges build it: routes, pages, lib/server, tests). */
export function contextOf(database: DbHandle, principal: Principal, now: Date, requestId?: string): Ctx {
  const { db, query, queryBytes, transaction, listen } = database;
  // Made when first used: most requests log nothing.
  let logger: Logger | undefined;
  return {
    db, query, queryBytes, transaction, listen, principal, now,
    get log() {
      return (logger ??= requestId ? log().child({ request_id: requestId }) : log());
    },
  };
}

/**
 * Run `fn` in one transaction with a context whose `db` and `query` are that transaction's; inside a
 * caller's transaction it joins it instead of opening another (a verb composed into a larger write).
 */
export function withTransaction<T>(ctx: Ctx, fn: (tx: Ctx) => Promise<T>): Promise<T> {
  if (ctx.inTransaction) return fn(ctx);
  return ctx.db.transaction((tx) => fn(inTransaction(ctx, tx as unknown as Db)));
}

/** `ctx` with `tx` for its database: what runs inside a transaction it did not open. */
export function inTransaction(ctx: Ctx, tx: Db): Ctx {
  return {
    ...ctx,
    db: tx,
    query: txQuery(tx),
    queryBytes: () => Promise.reject(new Error("queryBytes does not run inside a transaction")),
    // The caller's transaction is already open: `fn` runs in it, and its last write goes right behind.
    transaction: async (fn) => {
      const { result, last } = await fn(tx);
      if (last) await executeIn(tx, last);
      return result;
    },
    inTransaction: true,
  };
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
 * The credential a request came through, as votes and audit events name it: `token:<id>`,
 * `session:<id>`, `slack:<Slack user>` or `email:<link id>`, so one credential acting as several people is visible. Null for the installation
 * token and for work the server does itself (the demo's seeded votes).
 */
export function credentialOf(p: Principal): string | null {
  if (p.channel) return p.channel;
  if (p.tokenId) return `token:${p.tokenId}`;
  if (p.sessionId) return `session:${p.sessionId}`;
  return null;
}
