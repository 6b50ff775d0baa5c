import { ago } from "./format";
import { ApiError } from "@/lib/client/api";
import type { JobItem } from "@/lib/client/types";

/** A refused vote explained in words, using what the job looks like now. */
export function conflictMessage(err: unknown, current: JobItem | undefined, now: number): string {
  if (err instanceof DOMException && err.name === "TimeoutError") {
    return "Your vote was not confirmed: the server did not answer in time, so it may not have been recorded. Reload to check before voting again.";
  }
  if (!(err instanceof ApiError)) return "Your vote was not recorded: the server could not be reached. Check your connection and try again.";
  if (err.status >= 500) return `Your vote was not recorded: the server failed (${err.status}). Try again.`;
  switch (err.code) {
    case "already_resolved": {
      if (current?.resolved_by && current.resolved_at) {
        return `Already ${current.resolution ?? current.job.state.toLowerCase()} by ${current.resolved_by} ${ago(current.resolved_at, now)}. Your vote was not counted.`;
      }
      return "Someone else already decided this request. Your vote was not counted.";
    }
    case "already_voted":
      return "You have already voted on this request.";
    case "stale_request":
      return "The request changed since you opened it, so your vote was not counted. Review what it does now before deciding.";
    case "stale_snapshot":
      return "The approval policy changed since you opened this request and it was re-decided. Review it again before deciding.";
    case "expired":
      return "This request expired before your vote arrived. The agent must ask again.";
    case "self_approval":
      // The server's words (rules.ts) say which applies: by you, on your behalf, or by your agent.
      return err.detail;
    case "role_required":
      return `You do not hold a role this request needs. ${err.detail}`;
    case "validation_failed":
      return err.errors?.map((e) => `${e.path}: ${e.message}`).join("; ") || err.detail;
    case "cross_origin":
    case "unauthenticated":
      return "Your session has ended. Sign in again, then retry.";
    default:
      return err.detail || "The vote was refused.";
  }
}
