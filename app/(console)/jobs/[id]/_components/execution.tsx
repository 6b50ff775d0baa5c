import { localTime } from "@/components/approvals/format";
import type { JobDetail } from "@/lib/client/types";

/** After approval: who claimed the job and when, and how the run ended. */
export function Execution({ execution, state }: { execution: JobDetail["execution"]; state: string }) {
  return (
    <section aria-labelledby="ev-exec">
      <h2 id="ev-exec" className="text-xs font-semibold uppercase tracking-wide text-slate-500">
        Execution
      </h2>
      {execution ? (
        <ul className="mt-1 space-y-0.5 text-sm">
          <li>
            Claimed by {execution.claimed_by ?? "an agent"} at {localTime(execution.claimed_at)}.
          </li>
          {execution.completed_at ? (
            <li>
              Completed at {localTime(execution.completed_at)}: <strong>{execution.outcome ?? "done"}</strong>
              {execution.detail && <span className="whitespace-pre-wrap"> — {execution.detail}</span>}
            </li>
          ) : (
            <li>Running; not completed yet.</li>
          )}
        </ul>
      ) : (
        <p className="mt-1 text-sm text-slate-600">{state === "APPROVED" ? "Approved; not claimed by the agent yet." : "Not run."}</p>
      )}
    </section>
  );
}
