"use client";

import { ApiError } from "@/lib/client/api";
import { useActivePolicy, useSnapshots } from "@/lib/client/use-policy";
import { useViewer } from "../../_components/viewer-context";
import { ActivePolicyView } from "./active-policy";
import { BudgetUse } from "./budget-use";
import { PolicyEditor } from "./policy-editor";
import { SnapshotDiff } from "./snapshot-diff";
import { SnapshotHistory } from "./snapshot-history";

export function PolicyClient() {
  const viewer = useViewer();
  const active = useActivePolicy();
  const snapshots = useSnapshots();
  // The server checks policy:write again on upload; this only decides whether to offer the form.
  const canWrite = viewer.scopes.includes("policy:write");
  const noPolicy = active.error instanceof ApiError && active.error.status === 404;

  return (
    <div className="space-y-4">
      <header>
        <h1 className="text-xl font-bold">Policy</h1>
        <p className="text-sm text-slate-600">
          The rules that decide, before anything runs, whether an agent&apos;s request is allowed, needs approval, or is denied.
        </p>
      </header>
      <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_24rem]">
        <div className="min-w-0 space-y-4">
          {active.data ? (
            <ActivePolicyView policy={active.data} />
          ) : active.isError ? (
            <p role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
              {noPolicy ? "This tenant has no active policy yet." : `Could not load the active policy: ${active.error.message}`}
            </p>
          ) : (
            <p className="text-sm text-slate-600">Loading…</p>
          )}
          {active.data && <BudgetUse />}
          {snapshots.data && <SnapshotDiff items={snapshots.data.items} />}
          {canWrite && (active.data || noPolicy) && (
            <PolicyEditor activeYaml={active.data?.yaml ?? ""} activeId={active.data?.snapshot_id} />
          )}
        </div>
        <aside className="min-w-0 lg:self-start">
          <SnapshotHistory list={snapshots.data} error={snapshots.error} canWrite={canWrite} />
        </aside>
      </div>
    </div>
  );
}
