"use client";

import Link from "next/link";
import type { Simulation } from "@/lib/client/use-policy";

const FIELD_NAMES: Record<Simulation["changes"][number]["field"], string> = {
  decision: "Decision",
  requirements: "Approvals needed",
  sla: "SLA",
  cutoff: "Cutoff",
  constraints: "Constraints",
};
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
const word = (s: string) => s.replace(/_/g, " ");

/** What activating a draft would do (POST /policy/simulate): the open jobs it re-decides and every difference. */
export function ImpactSummary({ result }: { result: Simulation }) {
  const { open, changes } = result;
  return (
    <div className="space-y-2" data-testid="impact-summary">
      <p>
        <strong>
          Activating re-decides {plural(open.count, "open job")}
          {open.count > 0 ? ` (awaiting approval, or approved and not yet run); ${open.changed} of them would change.` : "."}
        </strong>
      </p>
      <p>
        Checked against {plural(result.jobs, "job")} from the last {plural(result.days, "day")} and every open job
        {result.truncated ? " (only the most recent were checked)" : ""}:{" "}
        {result.changed === 0
          ? "none would be decided differently: no change in decision, approvals needed, SLA, cutoff or constraints."
          : `${plural(result.changed, "job")} would be decided differently.`}
      </p>
      {changes.length > 0 && (
        <ul className="list-disc space-y-1 pl-5" aria-label="What would change">
          {changes.map((c) => (
            <li key={`${c.field}|${c.from}|${c.to}`}>
              <span className="font-medium">{FIELD_NAMES[c.field]}</span>: {word(c.from)} → {word(c.to)} ({plural(c.count, "job")}
              {c.open > 0 ? `, ${c.open} open` : ""})
              {c.examples.length > 0 && (
                <span>
                  {" "}
                  e.g.{" "}
                  {c.examples.map((e, n) => (
                    <span key={e.job_id}>
                      {n > 0 && ", "}
                      <Link href={`/jobs/${encodeURIComponent(e.job_id)}`} className="underline">
                        {e.title ?? e.topic}
                      </Link>
                    </span>
                  ))}
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
