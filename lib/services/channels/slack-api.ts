import "server-only";
import { WebClient } from "@slack/web-api";
import type { Db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { recordPreview } from "./previews";

/** The subset of Slack's Web API Countersign calls; every answer is Slack's JSON (`ok`, `ts`, …). */
export type SlackMethod = "chat.postMessage" | "chat.update" | "views.open" | "users.info";
export type SlackAnswer = { ok: boolean; ts?: string; error?: string; user?: { id: string; is_email_confirmed?: boolean; profile?: { email?: string } } };

let client: WebClient | undefined;

// No retries in the client: posts go through the outbox, which retries durably; a modal must open within
// Slack's 3 seconds or not at all.
function webClient(token: string): WebClient {
  return (client ??= new WebClient(token, { slackApiUrl: env().SLACK_API_URL, retryConfig: { retries: 0 }, timeout: 8_000, rejectRateLimitedCalls: true }));
}

/** Whether Slack messages can be sent: a bot token, or the demo's preview log in its place. */
export function slackConfigured(): boolean {
  return Boolean(env().SLACK_BOT_TOKEN) || env().COUNTERSIGN_DEMO === "1";
}

/**
 * Call Slack. Without a bot token the demo records the call for its preview page instead (a made-up
 * ts), so a newcomer sees the messages without a workspace; otherwise this throws.
 */
export async function slackCall(db: Db, tenantId: string, method: SlackMethod, args: Record<string, unknown>, jobId: string | null = null): Promise<SlackAnswer> {
  const token = env().SLACK_BOT_TOKEN;
  if (!token) {
    if (env().COUNTERSIGN_DEMO !== "1") throw new Error("SLACK_BOT_TOKEN is not set");
    await recordPreview(db, { tenantId, kind: "slack", jobId, target: `${method} ${String(args.channel ?? "")}`.trim(), body: args });
    return { ok: true, ts: typeof args.ts === "string" ? args.ts : `${Date.now() / 1000}` };
  }
  return (await webClient(token).apiCall(method, args)) as SlackAnswer;
}
