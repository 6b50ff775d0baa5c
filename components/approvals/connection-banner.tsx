"use client";

import { checkHealth } from "@/lib/client/connection";
import { useConnection } from "@/lib/client/use-connection";

/**
 * Said once for the whole console: what is shown stays, but it is no longer live. Rendered only while
 * the connection is lost (an alert is announced when it appears), so it adds no empty live region.
 */
export function ConnectionBanner() {
  const { lost, since } = useConnection();
  if (!lost) return null;
  return (
    <div role="alert" className="border-t border-amber-400 bg-amber-100 px-4 py-2 text-sm text-amber-950">
      <strong>Connection lost, retrying.</strong> What you see is as of {since ? new Date(since).toLocaleTimeString() : "the last update"} and may be out
      of date; timers are stopped.{" "}
      <button type="button" className="underline" onClick={() => void checkHealth()}>
        Retry now
      </button>
    </div>
  );
}
