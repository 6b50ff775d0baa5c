"use client";

import { useConnection } from "@/lib/client/use-connection";
import { shortDuration } from "./format";
import { useNow } from "./use-now";

interface Props {
  dueAt: string | null;
  expiresAt: string | null;
  escalated: boolean;
  serverNow: number;
}

// Colour only as a second signal: the words say the same for anyone who cannot see it.
function tone(remainingMs: number): string {
  if (remainingMs <= 0) return "bg-red-700 text-white";
  if (remainingMs < 5 * 60_000) return "bg-red-100 text-red-900";
  if (remainingMs < 15 * 60_000) return "bg-amber-100 text-amber-900";
  return "bg-emerald-50 text-emerald-900";
}

export function SlaCountdown({ dueAt, expiresAt, escalated, serverNow }: Props) {
  const now = useNow(serverNow);
  const { lost } = useConnection();
  if (!dueAt) return <span className="text-xs text-slate-500">no SLA</span>;
  const remaining = Date.parse(dueAt) - now;
  const label = remaining > 0 ? `due in ${shortDuration(remaining)}` : `breached ${shortDuration(remaining)} ago`;
  const title = [`Due ${new Date(dueAt).toLocaleString()}`, expiresAt && `expires ${new Date(expiresAt).toLocaleString()}`].filter(Boolean).join(", ");
  return (
    <span className="inline-flex flex-wrap items-center gap-1" title={title}>
      <span className={`whitespace-nowrap rounded px-1.5 py-0.5 font-mono text-xs tabular-nums ${tone(remaining)}`} data-sla={remaining > 0 ? "ok" : "breached"}>
        {label}
      </span>
      {lost && (
        <span className="rounded border border-amber-500 px-1 text-xs text-amber-900" data-testid="sla-stale">
          stale
        </span>
      )}
      {escalated && <span className="rounded bg-violet-700 px-1.5 py-0.5 text-xs font-semibold text-white">escalated</span>}
    </span>
  );
}
