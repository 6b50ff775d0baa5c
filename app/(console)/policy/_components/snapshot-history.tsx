"use client";

import type { SnapshotList } from "@/lib/client/use-policy";
import { LocalTime } from "./local-time";
import { SnapshotId } from "./snapshot-id";

/** Every snapshot the tenant has had, newest first (compare any two under "Compare versions"). */
export function SnapshotHistory({ list, error }: { list: SnapshotList | undefined; error: Error | null }) {
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
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
