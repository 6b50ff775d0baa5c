import "server-only";
import crypto from "node:crypto";
import { auditKey } from "@/lib/services/audit/keys";

// The key that signs personal mail links: derived from the audit key, which lives outside the database,
// so someone who can write rows cannot mint a link.
const linkKey = () => crypto.createHmac("sha256", auditKey().secret).update("countersign:email-link").digest();

export interface LinkFacts {
  id: string;
  tenantId: string;
  jobId: string;
  userId: string;
}

const mac = (l: LinkFacts) => crypto.createHmac("sha256", linkKey()).update(`${l.id}\n${l.tenantId}\n${l.jobId}\n${l.userId}`).digest("base64url");

/** The token in a personal link: the link's id and a MAC binding it to its tenant, job and person. */
export const linkToken = (l: LinkFacts) => `${l.id}.${mac(l)}`;

/** The link id a token names, before its row is read; null when it is not of the token's form. */
export function linkIdOf(token: string): string | null {
  const m = /^(eml-[0-9A-Za-z]{10,40})\.([A-Za-z0-9_-]{43})$/.exec(token);
  return m ? m[1]! : null;
}

/** Whether the token is the one made for this link row (constant time). */
export function tokenMatches(token: string, l: LinkFacts): boolean {
  const expected = Buffer.from(linkToken(l));
  const given = Buffer.from(token);
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}
