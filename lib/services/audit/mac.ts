import crypto from "node:crypto";
import { ulid } from "@/lib/ids";
import { canonicalJson } from "@/lib/policy/snapshot";
import { auditKey, auditKeyById, type AuditKey } from "./keys";

/**
 * Two MACs (HMAC-SHA256, with a key the database never holds) keep the audit log honest against
 * someone who can write to the database:
 * - the event MAC, made when the app writes the event, over what it says (tenant, type, actor, job,
 *   data, time) and a fresh nonce. Without the key no event can be forged; the nonce is unique (an
 *   index), so a genuine event cannot be inserted a second time either.
 * - the seal MAC, made by the sealer over the event's chain hash (which covers its place and every event
 *   before it). Without the key the chain cannot be recomputed after removing, reordering or rewriting
 *   events.
 */

/** What an event says, as stored (data as jsonb hands it back, created_at as the stored text). */
export interface EventContent {
  tenantId: string;
  type: string;
  actor: string;
  jobId: string | null;
  data: unknown;
  createdAt: string;
}

export interface EventStamp {
  /** The data as it is to be stored (the MAC covers it as parsed back, which is what jsonb returns). */
  dataJson: string;
  data: Record<string, unknown>;
  keyId: string;
  nonce: string;
  mac: string;
}

const hmac = (key: AuditKey, text: string) => crypto.createHmac("sha256", key.secret).update(text, "utf8").digest("hex");

function eventMac(key: AuditKey, e: EventContent, nonce: string): string {
  return hmac(
    key,
    canonicalJson({ v: 1, tenant_id: e.tenantId, type: e.type, actor: e.actor, job_id: e.jobId, data: e.data, created_at: e.createdAt, nonce }),
  );
}

/**
 * The MAC columns for an event about to be written: every insert into audit_events carries them
 * (appendAudit, and the few statements that insert events in raw SQL). A time-ordered nonce keeps its
 * unique index appending at one end.
 */
export function stampEvent(e: EventContent): EventStamp {
  const key = auditKey();
  const dataJson = JSON.stringify(e.data);
  const data = JSON.parse(dataJson) as Record<string, unknown>;
  const nonce = ulid();
  return { dataJson, data, keyId: key.id, nonce, mac: eventMac(key, { ...e, data }, nonce) };
}

const same = (a: string, b: string) => a.length === b.length && crypto.timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** Why an event's MAC does not hold, or null when it does. */
export function eventMacProblem(e: EventContent & { keyId: string | null; nonce: string | null; mac: string | null }): string | null {
  if (!e.mac || !e.nonce) return "it carries no MAC";
  const key = auditKeyById(e.keyId);
  if (!key) return `its MAC was made with key ${e.keyId ?? "(none)"}, which is not this installation's audit key`;
  return same(eventMac(key, e, e.nonce), e.mac) ? null : "its MAC does not match what it says (forged, or changed after it was written)";
}

/** The seal MAC over an event's chain hash, made with the key its event MAC was made with. */
export function sealMac(keyId: string, hash: string): string {
  const key = auditKeyById(keyId);
  if (!key) throw new Error(`no audit key ${keyId}`);
  return hmac(key, `seal\n${hash}`);
}

export function sealMacHolds(keyId: string | null, hash: string, mac: string | null): boolean {
  return Boolean(keyId && mac && auditKeyById(keyId) && same(sealMac(keyId, hash), mac));
}
