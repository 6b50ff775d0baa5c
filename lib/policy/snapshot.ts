import canonicalize from "canonicalize";
import { sha256Hex } from "@/lib/sha256";
import type { Policy } from "./types";

/** RFC 8785 canonical JSON: sorted keys, no whitespace, one spelling per number. */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError("value has no JSON representation");
  return text;
}

/**
 * `cfg:<tenant>:policy#sha256:<hex>` over the validated, defaults-filled policy, so the same
 * policy uploaded twice (whatever its formatting, key order or omitted defaults) is one snapshot.
 */
export function policySnapshotId(tenant: string, policy: Policy): string {
  return `cfg:${tenant}:policy#sha256:${sha256Hex(canonicalJson(policy))}`;
}

/** Binds an approval to exactly what was proposed; tag order and duplicates do not change it. */
export function jobHash(input: { topic: string; risk_tags: readonly string[]; payload: Record<string, unknown> }): string {
  const risk_tags = [...new Set(input.risk_tags)].sort();
  return sha256Hex(canonicalJson({ topic: input.topic, risk_tags, payload: input.payload }));
}
