"use client";

import { conflictMessage } from "@/components/approvals/conflict-message";
import { headline } from "@/components/approvals/outcome";
import type { VoteKind, VoteResult } from "@/lib/client/use-votes";

/** What a decision from the queue did, job by job: what counted (and the state it left) and what was refused, and why. */
export function VoteResults({ vote, results, now, onClose }: { vote: VoteKind; results: VoteResult[]; now: number; onClose: () => void }) {
  const counted = results.filter((r) => r.ok);
  const refused = results.filter((r) => !r.ok);
  const verb = vote === "approve" ? "approval" : "rejection";
  return (
    <section aria-labelledby="vote-results-title" role="status" className="space-y-1 rounded-md border border-slate-300 bg-white p-3 text-sm">
      <div className="flex items-start justify-between gap-2">
        <h2 id="vote-results-title" className="font-semibold">
          {counted.length} {verb}
          {counted.length === 1 ? "" : "s"} counted{refused.length > 0 ? `, ${refused.length} refused` : ""}
        </h2>
        <button type="button" onClick={onClose} className="rounded border border-slate-300 px-2 text-xs hover:bg-slate-100">
          Dismiss
        </button>
      </div>
      <ul className="space-y-0.5">
        {results.map((r) => (
          <li key={r.item.job.id} className="break-words">
            {r.ok ? (
              <>
                <span className="font-medium text-emerald-800">Counted:</span> {headline(r.item).title} —{" "}
                {r.state === "APPROVAL" ? "still pending, needs more approvals" : `now ${r.state.toLowerCase()}`}
              </>
            ) : (
              <>
                <span className="font-medium text-red-800">Refused:</span> {headline(r.item).title} — {conflictMessage(r.error, undefined, now)}
              </>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
