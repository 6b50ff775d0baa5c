import crypto from "node:crypto";

/** HMAC-SHA256 of "t.body" in hex, as `Countersign-Signature: t=<unix>,v1=<hex>` carries it. */
export function sign(secret: string, t: number, body: string): string {
  return crypto.createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");
}

/** The header for a body: one v1 per valid secret (two while a rotation is under way). */
export function signatureHeader(secrets: string[], t: number, body: string): string {
  return [`t=${t}`, ...secrets.map((s) => `v1=${sign(s, t, body)}`)].join(",");
}

/**
 * What a receiver does: the header must carry a v1 made with its secret over exactly these bytes, and a
 * timestamp within `toleranceSec` of now (a replayed old delivery is refused).
 */
export function verifySignature(header: string | null, body: string, secret: string, nowSec = Math.floor(Date.now() / 1000), toleranceSec = 300): boolean {
  if (!header) return false;
  const parts = header.split(",").map((p) => p.trim().split("=", 2) as [string, string | undefined]);
  const t = Number(parts.find(([k]) => k === "t")?.[1]);
  if (!Number.isInteger(t) || Math.abs(nowSec - t) > toleranceSec) return false;
  const expected = Buffer.from(sign(secret, t, body), "hex");
  return parts.some(([k, v]) => k === "v1" && v !== undefined && /^[0-9a-f]{64}$/.test(v) && crypto.timingSafeEqual(Buffer.from(v, "hex"), expected));
}
