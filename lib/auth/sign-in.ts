import { getDatabase } from "@/lib/db/client";
import { env } from "@/lib/env";
import { takeToken } from "@/lib/services/limits";
import { verifyPassword } from "./secrets";

export interface SignInUser {
  id: string;
  tenantId: string;
  email: string;
  name: string | null;
}

interface Row extends SignInUser, Record<string, unknown> {
  passwordHash: string | null;
}

const BY_EMAIL = `select id, tenant_id as "tenantId", email, name, password_hash as "passwordHash"
  from users where email = $1 and not disabled and ($2::text is null or tenant_id = $2) limit 20`;

const SIGN_IN_PER_MINUTE = 10;

// A fixed scrypt hash to compare against when no such user exists, so timing does not reveal accounts.
const DECOY = "scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

async function usersByEmail(email: string, tenant?: string): Promise<Row[]> {
  const { query } = await getDatabase();
  return query<Row>(BY_EMAIL, [email, tenant ?? null]);
}

/** The one enabled person with this email (in this tenant, when named). */
export async function findSignInUser(email: string, tenant?: string): Promise<SignInUser | "ambiguous" | null> {
  const rows = await usersByEmail(email, tenant);
  if (rows.length > 1) return "ambiguous";
  const [row] = rows;
  return row ? { id: row.id, tenantId: row.tenantId, email: row.email, name: row.name } : null;
}

/**
 * Email and password sign-in. The password is checked against each tenant where the email exists;
 * only when it matches in several must the workspace be named.
 */
export async function verifySignIn(
  form: { email: string; password: string; workspace?: string },
  source: string,
): Promise<SignInUser | "ambiguous" | "throttled" | "throttled_source" | null> {
  // Guessing passwords for one email is slowed to SIGN_IN_PER_MINUTE tries, and trying one password on
  // many emails (spraying) to COUNTERSIGN_SIGNIN_PER_SOURCE_PER_MINUTE tries from one address (see
  // client-address.ts), both counted across instances before any scrypt, so a flood costs the server
  // nothing, whether or not the email exists. The source is taken first: a sprayer spends no email's budget.
  const { query } = await getDatabase();
  const perSource = env().COUNTERSIGN_SIGNIN_PER_SOURCE_PER_MINUTE;
  if (await takeToken(query, { tenant: "(sign-in)", subject: source, action: "password-source" }, perSource)) return "throttled_source";
  const wait = await takeToken(query, { tenant: "(sign-in)", subject: form.email.toLowerCase(), action: "password" }, SIGN_IN_PER_MINUTE);
  if (wait) return "throttled";
  const rows = await usersByEmail(form.email, form.workspace);
  if (rows.length === 0) {
    await verifyPassword(form.password, DECOY);
    return null;
  }
  const matches: Row[] = [];
  for (const row of rows) {
    if (row.passwordHash && (await verifyPassword(form.password, row.passwordHash))) matches.push(row);
  }
  if (matches.length > 1) return "ambiguous";
  const [row] = matches;
  return row ? { id: row.id, tenantId: row.tenantId, email: row.email, name: row.name } : null;
}
