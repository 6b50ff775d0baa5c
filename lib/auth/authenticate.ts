import { timingSafeEqual } from "node:crypto";
import "server-only";
import { sql } from "drizzle-orm";
import { getDatabase, type RawQuery } from "@/lib/db/client";
import { statement } from "@/lib/db/raw-sql";
import { tokens, users } from "@/lib/db/schema";
import { AUTH_CHANNEL, subscribe } from "@/lib/services/events";
import { env } from "@/lib/env";
import { SCOPES, SYSTEM_TENANT, type Principal, type Scope } from "@/lib/services/context";
import { Unauthenticated } from "@/lib/services/errors";
import { AGENT_FORBIDDEN } from "@/lib/services/provisioning/schemas";
import { sha256Hex } from "@/lib/sha256";
import { noteTokenUse } from "./token-use";
import { assertSameOrigin, principalForSession, sessionClaims } from "./session";

const ALL_SCOPES: ReadonlySet<Scope> = new Set(SCOPES);

function bearer(req: Request): string | null {
  const header = req.headers.get("authorization");
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) throw new Unauthenticated("The Authorization header must be `Bearer <token>`.");
  return match[1];
}

// Token and the person behind it in one round trip: this runs before every API request.
const TOKEN = statement<"hash">(
  (slot) => sql`
  select ${tokens.id}, ${tokens.tenantId}, ${tokens.kind}, ${tokens.name}, ${tokens.scopes}, ${tokens.ownerEmail}, ${tokens.expiresAt},
         ${tokens.revokedAt}, ${tokens.submitPerMinute}, ${tokens.resolvePerMinute},
         ${users.id} as user_id, ${users.email}, ${users.roles}, ${users.disabled}
  from ${tokens}
  left join ${users} on ${users.id} = ${tokens.userId} and ${users.tenantId} = ${tokens.tenantId}
  where ${tokens.tokenHash} = ${slot("hash")}`,
);

interface TokenRow extends Record<string, unknown> {
  id: string;
  tenant_id: string;
  kind: "agent" | "user";
  name: string;
  scopes: string[];
  owner_email: string | null;
  expires_at: Date | null;
  revoked_at: Date | null;
  submit_per_minute: number | null;
  resolve_per_minute: number | null;
  user_id: string | null;
  email: string | null;
  roles: string[] | null;
  disabled: boolean | null;
}

// Every API request starts here, so what a token resolves to is remembered briefly per instance.
// Revoking a token or changing a person NOTIFYs every instance to forget (see notifyAuthChanged), and
// this one at once (announceAuthChanged);
// the TTL bounds what a missed notification could cost. Expiry and revocation are still checked
// against the remembered row on every request, and votes re-read the voter's roles under a lock.
const TOKEN_TTL_MS = 2_000;
const TOKEN_CACHE_MAX = 10_000;
const tokenCache = new Map<string, { row: TokenRow; until: number }>();
// Bumped by every flush: a lookup that started before a flush must not store what it read.
let generation = 0;
// Nothing is remembered until this instance hears flushes (and after any reconnect, all is forgotten).
let listening = false;
let subscribing: Promise<unknown> | null = null;

/** This instance forgets what it remembers (on every auth change it hears of; see AUTH_CHANNEL). */
export function forgetCachedTokens(): void {
  generation += 1;
  tokenCache.clear();
}

// The lookup on its way for a token, so that the requests in flight when its cache entry lapsed send one
// query between them instead of one each. Keyed by generation too: a request that arrives after a flush
// never takes a row read before it.
const looking = new Map<string, Promise<TokenRow | undefined>>();

async function lookupToken(query: RawQuery, hash: string): Promise<TokenRow | undefined> {
  subscribing ??= getDatabase().then((database) => subscribe(database.listen, AUTH_CHANNEL, forgetCachedTokens)).then(
    () => (listening = true),
    () => (subscribing = null),
  );
  const hit = tokenCache.get(hash);
  if (hit && hit.until > Date.now()) return hit.row;
  const seen = generation;
  const flight = `${seen}:${hash}`;
  const pending = looking.get(flight);
  if (pending) return pending;
  const lookup = query<TokenRow>(TOKEN.sql, TOKEN.params({ hash })).then(([row]) => {
    if (row && listening && seen === generation) {
      if (tokenCache.size >= TOKEN_CACHE_MAX) tokenCache.clear();
      tokenCache.set(hash, { row, until: Date.now() + TOKEN_TTL_MS });
    }
    return row;
  });
  looking.set(flight, lookup);
  const done = () => looking.delete(flight);
  lookup.then(done, done);
  return lookup;
}

let adminHash: { token: string; hash: Buffer } | null = null;

/** Whether a secret (by its SHA-256, hex) is the installation admin token, in constant time. */
function isAdminToken(secretHash: string): boolean {
  const adminToken = env().COUNTERSIGN_ADMIN_TOKEN;
  if (!adminToken) return false;
  if (adminHash?.token !== adminToken) adminHash = { token: adminToken, hash: Buffer.from(sha256Hex(adminToken)) };
  return timingSafeEqual(Buffer.from(secretHash), adminHash.hash);
}

/**
 * Resolve the caller from its bearer token, else from the console's session cookie.
 * Expired, revoked and unknown tokens are all 401; a bearer header always wins over a cookie.
 */
export async function authenticate(query: RawQuery, req: Request, now: Date): Promise<Principal> {
  const secret = bearer(req);
  if (!secret) {
    const claims = await sessionClaims(req);
    if (!claims) throw new Unauthenticated();
    assertSameOrigin(req);
    return principalForSession(query, claims, now);
  }

  // One hash of the secret serves both checks: the installation token's (compared in constant time
  // with its own hash, computed once) and the token table's.
  const hash = sha256Hex(secret);
  if (isAdminToken(hash)) {
    return { kind: "admin", tenantId: SYSTEM_TENANT, scopes: ALL_SCOPES, tokenId: null };
  }

  const token = await lookupToken(query, hash);
  if (!token) throw new Unauthenticated("Unknown token.");
  if (token.revoked_at) throw new Unauthenticated("This token has been revoked.");
  if (token.expires_at && new Date(token.expires_at).getTime() <= now.getTime()) {
    throw new Unauthenticated("This token has expired.");
  }

  noteTokenUse(token.id, token.tenant_id, now);
  const scopes = new Set(token.scopes.filter((s): s is Scope => ALL_SCOPES.has(s as Scope)));
  const limits = { submitPerMinute: token.submit_per_minute, resolvePerMinute: token.resolve_per_minute };
  const base = { tenantId: token.tenant_id, scopes, tokenId: token.id, limits };
  if (token.kind === "agent") {
    // Belt and braces: whatever was stored, an agent never holds a scope that could open its own gate.
    for (const s of AGENT_FORBIDDEN) scopes.delete(s);
    return { ...base, kind: "agent", name: token.name, ownerEmail: token.owner_email };
  }
  if (!token.user_id || !token.email || token.disabled) {
    throw new Unauthenticated("The user behind this token is disabled or gone.");
  }
  const tokenExpiresAt = token.expires_at ? new Date(token.expires_at) : null;
  return { ...base, kind: "user", userId: token.user_id, email: token.email, roles: token.roles ?? [], tokenExpiresAt };
}
