"use client";

import type { Simulation } from "@/lib/client/use-policy";
import { ImpactSummary } from "./impact-summary";
import { SnapshotId } from "./snapshot-id";

/** A clean check: the snapshot this YAML would become, and the whole impact of activating it. */
export function SimulationResult({ result, activeId }: { result: Simulation; activeId: string | undefined }) {
  const same = result.snapshot_id === activeId;
  const calm = same || result.changed === 0;
  return (
    <div
      className={`space-y-2 rounded-md border p-3 text-sm ${calm ? "border-emerald-300 bg-emerald-50 text-emerald-950" : "border-amber-300 bg-amber-50 text-amber-950"}`}
      data-testid="simulation-result"
    >
      <p className="font-semibold">The policy is valid.</p>
      {same ? (
        <p>It is the active policy already (the same snapshot): activating it changes nothing.</p>
      ) : (
        <>
          <p className="space-x-1">
            <span>Activating it would create snapshot</span> <SnapshotId id={result.snapshot_id} label="candidate snapshot id" />
          </p>
          <ImpactSummary result={result} />
        </>
      )}
      <p className="text-xs">
        On activation, jobs still awaiting approval, and approved jobs not yet run, are re-decided and keep the stricter of their
        old and new outcome: a gate already raised is never lowered, and an approval the new policy would not give is taken back.
      </p>
    </div>
  );
}
