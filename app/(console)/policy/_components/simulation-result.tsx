"use client";

import Link from "next/link";
import type { Simulation } from "@/lib/client/use-policy";
import { SnapshotId } from "./snapshot-id";

const word = (decision: string) => decision.replace(/_/g, " ");

/** A clean check: the snapshot this YAML would become, and how its decisions differ on recent jobs. */
export function SimulationResult({ result, activeId }: { result: Simulation; activeId: string | undefined }) {
  const moved = result.transitions.filter((t) => t.from !== t.to);
  const same = result.snapshot_id === activeId;
  return (
    <div className="space-y-2 rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm text-emerald-950" data-testid="simulation-result">
      <p className="font-semibold">The policy is valid.</p>
      {same ? (
        <p>It is the active policy already (the same snapshot): activating it changes nothing.</p>
      ) : (
        <p className="space-x-1">
          <span>Activating it would create snapshot</span> <SnapshotId id={result.snapshot_id} label="candidate snapshot id" />
        </p>
      )}
      <p>
        Of the {result.jobs} job{result.jobs === 1 ? "" : "s"} submitted in the last {result.days} day{result.days === 1 ? "" : "s"}
        {result.truncated ? " (only the most recent were checked)" : ""},{" "}
        {result.changed === 0 ? "none would be decided differently." : `${result.changed} would be decided differently:`}
      </p>
      {moved.length > 0 && (
        <ul className="space-y-1">
          {moved.map((t) => (
            <li key={`${t.from}>${t.to}`}>
              <span className="font-medium">
                {word(t.from)} → {word(t.to)}
              </span>
              : {t.count}
              {t.examples.length > 0 && (
                <span className="text-emerald-900">
                  {" "}
                  (e.g.{" "}
                  {t.examples.map((e, n) => (
                    <span key={e.job_id}>
                      {n > 0 && ", "}
                      <Link href={`/jobs/${encodeURIComponent(e.job_id)}`} className="font-mono underline">
                        {e.topic}
                      </Link>
                    </span>
                  ))}
                  )
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      <p className="text-xs text-emerald-900">
        On activation, jobs still awaiting approval, and approved jobs not yet run, are re-decided and keep the stricter of their
        old and new outcome: a gate already raised is never lowered, and an approval the new policy would not give is taken back.
      </p>
    </div>
  );
}
