import crypto from "node:crypto";

/** How old a signed Slack request may be (Slack's own advice: 5 minutes), either way. */
export const SLACK_TOLERANCE_SEC = 300;

/** Slack's v0 signature of a request body: `v0=` + hex HMAC-SHA256 over `v0:<timestamp>:<body>`. */
export function slackSignature(secret: string, timestamp: string, body: string): string {
  return `v0=${crypto.createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

/**
 * Whether a request is Slack's: the X-Slack-Signature over exactly these bytes, with an
 * X-Slack-Request-Timestamp within the tolerance of now. Replays within it are refused apart (by the
 * database: slack_replays).
 */
export function isSlackSigned(secret: string, timestamp: string | null, signature: string | null, body: string, nowSec: number): boolean {
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp) || !/^v0=[0-9a-f]{64}$/.test(signature)) return false;
  if (Math.abs(nowSec - Number(timestamp)) > SLACK_TOLERANCE_SEC) return false;
  return crypto.timingSafeEqual(Buffer.from(slackSignature(secret, timestamp, body)), Buffer.from(signature));
}
