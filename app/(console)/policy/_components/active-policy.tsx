"use client";

import type { ActivePolicy } from "@/lib/client/use-policy";
import { LocalTime } from "@/components/ui/local-time";
import { SnapshotId } from "./snapshot-id";

/** The active snapshot: its id, who made it active and when, and its YAML exactly as uploaded. */
export function ActivePolicyView({ policy }: { policy: ActivePolicy }) {
  const activatedBy = policy.activated_by ?? policy.created_by;
  const activatedAt = policy.activated_at ?? policy.created_at;
  // Uploading an older policy again re-activates its existing snapshot: then creation and activation differ.
  const reactivated = policy.activated_at !== null && (policy.activated_at !== policy.created_at || policy.activated_by !== policy.created_by);
  return (
    <section aria-labelledby="active-title" className="space-y-3 rounded-md border border-slate-200 bg-white p-4">
      <h2 id="active-title" className="text-base font-semibold">
        Active policy
      </h2>
      <dl className="grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[max-content_minmax(0,1fr)]">
        <dt className="font-medium text-slate-600">Snapshot</dt>
        <dd className="min-w-0" data-testid="active-snapshot-id">
          <SnapshotId id={policy.snapshot_id} label="active snapshot id" />
        </dd>
        <dt className="font-medium text-slate-600">Activated by</dt>
        <dd className="break-all">{activatedBy}</dd>
        <dt className="font-medium text-slate-600">Activated</dt>
        <dd>
          <LocalTime iso={activatedAt} />
        </dd>
        {reactivated && (
          <>
            <dt className="font-medium text-slate-600">First uploaded</dt>
            <dd className="break-all">
              by {policy.created_by}, <LocalTime iso={policy.created_at} />
            </dd>
          </>
        )}
      </dl>
      <h3 id="active-yaml-title" className="text-sm font-semibold">
        YAML
      </h3>
      {/* Focusable so a keyboard user can scroll a long policy; rendered as text, never as HTML. */}
      <pre
        tabIndex={0}
        role="region"
        aria-labelledby="active-yaml-title"
        data-testid="active-yaml"
        className="max-h-[32rem] overflow-auto rounded-md border border-slate-200 bg-slate-50 p-3 font-mono text-xs leading-5 text-slate-900"
      >
        {policy.yaml}
      </pre>
    </section>
  );
}
