"use client";

import { useState } from "react";
import { useActivatePolicy, type SnapshotList } from "@/lib/client/use-policy";
import { ActivateConfirm } from "./activate-confirm";
import { ActivationResult } from "./activation-result";
import { LocalTime } from "@/components/ui/local-time";
import { SnapshotId } from "./snapshot-id";

type Snapshot = SnapshotList["items"][number];

/**
 * Every snapshot the tenant has had, newest first (compare any two under "Compare versions"). With
 * policy:write, any earlier one can be restored: a new activation, after a confirmation of its impact.
 */
export function SnapshotHistory({ list, error, canWrite }: { list: SnapshotList | undefined; error: Error | null; canWrite: boolean }) {
  const [restoring, setRestoring] = useState<Snapshot | null>(null);
  const restore = useActivatePolicy();
  const confirm = () => {
    if (restoring) restore.mutate({ snapshotId: restoring.snapshot_id });
    setRestoring(null);
  };
  return (
    <section aria-labelledby="history-title" className="space-y-2 rounded-md border border-slate-200 bg-white p-4">
      <h2 id="history-title" className="text-base font-semibold">
        History
      </h2>
      {error && (
        <p role="alert" className="text-sm text-red-800">
          Could not load the history: {error.message}
        </p>
      )}
      {!list && !error && <p className="text-sm text-slate-600">Loading…</p>}
      {list && list.items.length === 0 && <p className="text-sm text-slate-600">No snapshots yet.</p>}
      {list && list.items.length > 0 && (
        <ol aria-label="Policy snapshots, newest first" className="divide-y divide-slate-100">
          {list.items.map((s) => (
            <li key={s.snapshot_id} className="space-y-1 py-2 text-sm" aria-current={s.active ? "true" : undefined}>
              <div className="flex flex-wrap items-center gap-2">
                {s.active ? (
                  <span className="rounded bg-emerald-700 px-1.5 py-0.5 text-xs font-semibold text-white">Active</span>
                ) : (
                  <span className="rounded bg-slate-200 px-1.5 py-0.5 text-xs font-semibold text-slate-700">Inactive</span>
                )}
                <span className="break-all">{s.created_by}</span>
                <span className="text-slate-500">
                  <LocalTime iso={s.created_at} />
                </span>
              </div>
              <SnapshotId id={s.snapshot_id} />
              <p className="text-xs text-slate-600">
                Activated {s.activations} time{s.activations === 1 ? "" : "s"}
                {s.last_activated_at && (
                  <>
                    , last <LocalTime iso={s.last_activated_at} />
                  </>
                )}
              </p>
              {canWrite && !s.active && (
                <button
                  type="button"
                  onClick={() => {
                    restore.reset();
                    setRestoring(s);
                  }}
                  disabled={restore.isPending}
                  aria-label={`Restore this version (${s.snapshot_id.slice(-12)})`}
                  className="rounded-md border border-slate-400 bg-white px-2 py-1 text-xs font-semibold hover:bg-slate-100 disabled:opacity-60"
                >
                  Restore this version
                </button>
              )}
            </li>
          ))}
        </ol>
      )}
      <ActivateConfirm yaml={restoring?.yaml ?? null} days={7} title="Restore this version?" onConfirm={confirm} onCancel={() => setRestoring(null)} />
      <div role="status" aria-live="polite" className="empty:hidden">
        {restore.data && <ActivationResult result={restore.data} />}
      </div>
      {restore.error && (
        <p role="alert" className="text-sm text-red-800">
          Could not restore it: {restore.error.message}
        </p>
      )}
    </section>
  );
}
