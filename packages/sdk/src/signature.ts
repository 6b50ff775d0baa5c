/**
 * Callback signatures. Each callback carries `Countersign-Signature: t=<unix seconds>,v1=<hex>` where
 * v1 = HMAC-SHA256(secret, "<t>.<body>"); during a secret rotation there is one v1 per live secret.
 */

const encoder = new TextEncoder();

function bytesOf(body: string | Uint8Array | ArrayBuffer): Uint8Array {
  if (typeof body === "string") return encoder.encode(body);
  return body instanceof Uint8Array ? body : new Uint8Array(body);
}

function hexBytes(hex: string): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export interface VerifyOptions {
  /** How far the signature's timestamp may be from now, in seconds (default 300): an old delivery replayed is refused. */
  toleranceSec?: number;
  /** Now, in Unix seconds (for tests). */
  nowSec?: number;
}

/**
 * Whether `header` signs exactly `body` (the raw bytes received, before any JSON parsing) with one of
 * `secrets`, at a time within the tolerance. The MAC is checked by Web Crypto's verify (constant time).
 */
export async function verifySignature(
  secrets: string | readonly string[],
  header: string | null | undefined,
  body: string | Uint8Array | ArrayBuffer,
  options: VerifyOptions = {},
): Promise<boolean> {
  if (!header) return false;
  const parts = header.split(",").map((p) => {
    const i = p.indexOf("=");
    return i < 0 ? ([p.trim(), ""] as const) : ([p.slice(0, i).trim(), p.slice(i + 1).trim()] as const);
  });
  const t = parts.find(([k]) => k === "t")?.[1] ?? "";
  if (!/^\d{1,12}$/.test(t)) return false;
  const now = options.nowSec ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - Number(t)) > (options.toleranceSec ?? 300)) return false;
  const macs = parts.filter(([k, v]) => k === "v1" && /^[0-9a-f]{64}$/.test(v)).map(([, v]) => hexBytes(v));
  if (!macs.length) return false;

  const prefix = encoder.encode(`${t}.`);
  const raw = bytesOf(body);
  const signed = new Uint8Array(prefix.length + raw.length);
  signed.set(prefix);
  signed.set(raw, prefix.length);
  for (const secret of typeof secrets === "string" ? [secrets] : secrets) {
    const key = await globalThis.crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
    for (const mac of macs) {
      if (await globalThis.crypto.subtle.verify("HMAC", key, mac, signed)) return true;
    }
  }
  return false;
}
