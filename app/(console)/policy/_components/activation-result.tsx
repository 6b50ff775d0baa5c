"use client";

import type { Activation } from "@/lib/client/use-policy";
import { SnapshotId } from "./snapshot-id";

export function ActivationResult({ result }: { result: Activation }) {
  return (
    <div className="space-y-1 rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm text-emerald-950" data-testid="activation-result">
      <p className="font-semibold">
        {result.changed ? "Activated. This is now the active policy." : "This policy was already active: nothing changed."}
      </p>
      <p className="space-x-1">
        <span>Snapshot</span> <SnapshotId id={result.snapshot_id} label="new snapshot id" />
      </p>
      {result.changed && (
        <p>
          {result.redecided === 0
            ? "No job was awaiting approval or approved and not yet run, so none was re-decided."
            : `${result.redecided} job${result.redecided === 1 ? "" : "s"} awaiting approval or approved and not yet run ${result.redecided === 1 ? "was" : "were"} re-decided.`}
        </p>
      )}
    </div>
  );
}
