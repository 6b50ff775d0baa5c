"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { checkHealth, markFound, markLost, whenRestored } from "@/lib/client/connection";
import { markDecided } from "@/lib/client/decided";
import { approvalKeys, jobKeys } from "@/lib/client/keys";
import { updateQueued } from "@/lib/client/queue-cache";

/**
 * One server-sent event stream per tab (fed by LISTEN/NOTIFY, so changes made through any instance
 * arrive): a decided job leaves the queue at once, and the lists and the open job refetch shortly after.
 * It also watches the connection: a dropped stream is checked against /api/health before the console
 * says the connection is lost, and everything is refetched when it comes back.
 */
export function LiveUpdates() {
  const client = useQueryClient();
  useEffect(() => {
    let source: EventSource | null = null;
    let reopen: ReturnType<typeof setTimeout> | null = null;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const changed = new Set<string>();
    const flush = () => {
      timer = null;
      void client.invalidateQueries({ queryKey: approvalKeys.all });
      for (const id of changed) void client.invalidateQueries({ queryKey: jobKeys.detail(id) });
      changed.clear();
    };
    const open = () => {
      reopen = null;
      source = new EventSource("/api/v1/approvals/stream");
      source.addEventListener("queue", (e) => {
        try {
          const { job_id: id, state } = JSON.parse((e as MessageEvent<string>).data) as { job_id: string; state: string };
          // Decided or expired elsewhere: it leaves the queue now, before the refetch.
          if (state !== "APPROVAL") {
            markDecided(id);
            updateQueued(client, id, () => null);
          }
          changed.add(id);
        } catch {
          return;
        }
        // Bursts (a batch of submissions) become one refetch.
        timer ??= setTimeout(flush, 200);
      });
      // After a dropped connection EventSource reconnects by itself; anything missed meanwhile is refetched.
      source.addEventListener("ready", () => {
        markFound();
        void client.invalidateQueries({ queryKey: approvalKeys.all });
      });
      source.addEventListener("error", () => {
        // A stream can end for ordinary reasons; only a server that does not answer is a lost connection.
        void checkHealth();
        // A closed stream (an error page instead of events) is not retried by the browser: reopen it.
        if (source?.readyState === EventSource.CLOSED) {
          source.close();
          reopen ??= setTimeout(open, 5_000);
        }
      });
    };
    open();
    const offline = () => markLost();
    const online = () => void checkHealth();
    window.addEventListener("offline", offline);
    window.addEventListener("online", online);
    const stop = whenRestored(() => void client.invalidateQueries());
    return () => {
      source?.close();
      if (reopen) clearTimeout(reopen);
      if (timer) clearTimeout(timer);
      window.removeEventListener("offline", offline);
      window.removeEventListener("online", online);
      stop();
    };
  }, [client]);
  return null;
}
