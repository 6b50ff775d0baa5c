/**
 * RFC 8785 (JSON Canonicalization Scheme) and the job hash the server binds approvals to:
 * SHA-256 hex of the canonical JSON of {topic, risk_tags (sorted, unique), payload}.
 */
import type { JobInput } from "./types.js";

function serialize(value: unknown): string | undefined {
  if (typeof value === "number" && !Number.isFinite(value)) throw new TypeError(`${value} has no JSON representation`);
  // Primitives as JSON writes them: ECMAScript number formatting and string escaping are what RFC 8785 specifies.
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  const withToJson = value as { toJSON?: () => unknown };
  if (typeof withToJson.toJSON === "function") return serialize(withToJson.toJSON());
  if (Array.isArray(value)) {
    return `[${value.map((v) => (v === undefined || typeof v === "symbol" ? "null" : serialize(v))).join(",")}]`;
  }
  const record = value as Record<string, unknown>;
  const members: string[] = [];
  // Keys in UTF-16 code unit order (the default sort), members without a JSON value left out.
  for (const key of Object.keys(record).sort()) {
    const v = record[key];
    if (v === undefined || typeof v === "symbol" || typeof v === "function") continue;
    members.push(`${JSON.stringify(key)}:${serialize(v)}`);
  }
  return `{${members.join(",")}}`;
}

/** The RFC 8785 canonical JSON of a value. */
export function canonicalJson(value: unknown): string {
  const text = serialize(value);
  if (text === undefined) throw new TypeError("value has no JSON representation");
  return text;
}

/** SHA-256 of the UTF-8 encoding of `text`, as 64 lowercase hex characters (Web Crypto). */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The job hash the server computes for this job: approvals and claims are bound to it. */
export function jobHash(job: Pick<JobInput, "topic" | "risk_tags" | "payload">): Promise<string> {
  const risk_tags = [...new Set(job.risk_tags ?? [])].sort();
  return sha256Hex(canonicalJson({ topic: job.topic, risk_tags, payload: job.payload }));
}
