"use client";

import Link from "next/link";
import { useState } from "react";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { LocalTime } from "@/components/ui/local-time";
import { useRevokeStanding, useStandingApprovals, type StandingApproval } from "@/lib/client/use-standing";
import { useViewer } from "../../_components/viewer-context";

/**
 * The tenant's live standing approvals (DESIGN §2.1): what is approved in advance, for which agent, by
 * whom and until when. The granter or an admin may revoke one, after a confirmation.
 */
export function StandingClient() {
  const viewer = useViewer();
  const list = useStandingApprovals();
  const revoke = useRevokeStanding();
  const [revoking, setRevoking] = useState<StandingApproval | null>(null);
  const isAdmin = viewer.scopes.includes("admin");
  const confirm = () => {
    if (revoking) revoke.mutate(revoking.id);
    setRevoking(null);
  };
  return (
    <div className="space-y-4">
      <header>
        <h1 className="text-xl font-bold">Standing approvals</h1>
        <p className="text-sm text-slate-600">
          Approvals granted in advance: an identical request (same agent, same action and payload) is approved when submitted, until
          the approval expires, is revoked, or another policy is activated.
        </p>
      </header>
      {list.isError && (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
          Could not load them: {list.error.message}
        </p>
      )}
      {list.data && list.data.items.length === 0 && <p className="text-sm text-slate-600">No standing approvals are live.</p>}
      {list.data && list.data.items.length > 0 && (
        <ul aria-label="Live standing approvals" className="divide-y divide-slate-200 rounded-md border border-slate-200 bg-white">
          {list.data.items.map((s) => (
            <li key={s.id} className="flex flex-wrap items-start justify-between gap-3 p-3 text-sm">
              <dl className="grid min-w-0 grid-cols-[max-content_minmax(0,1fr)] gap-x-3 gap-y-0.5">
                <dt className="text-slate-600">Action</dt>
                <dd className="font-mono break-all">{s.topic}</dd>
                <dt className="text-slate-600">Agent</dt>
                <dd className="break-all">{s.agent}</dd>
                <dt className="text-slate-600">Granted by</dt>
                <dd className="break-all">{s.granted_by}</dd>
                <dt className="text-slate-600">Until</dt>
                <dd>
                  <LocalTime iso={s.expires_at} />
                </dd>
                <dt className="text-slate-600">From</dt>
                <dd>
                  <Link href={`/jobs/${encodeURIComponent(s.source_job_id)}`} className="underline">
                    the approved request
                  </Link>
                </dd>
              </dl>
              {(isAdmin || s.granted_by === viewer.email) && (
                <button
                  type="button"
                  onClick={() => setRevoking(s)}
                  disabled={revoke.isPending}
                  className="rounded-md border border-red-700 bg-white px-3 py-1.5 text-sm font-semibold text-red-800 hover:bg-red-50 disabled:opacity-60"
                >
                  Revoke
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <div role="status" aria-live="polite" className="text-sm empty:hidden">
        {revoke.isSuccess && "Revoked: later identical requests wait for people again."}
      </div>
      {revoke.isError && (
        <p role="alert" className="text-sm text-red-800">
          Could not revoke it: {revoke.error.message}
        </p>
      )}
      <ConfirmDialog open={revoking !== null} title="Revoke this standing approval?" confirmLabel="Revoke" danger onConfirm={confirm} onCancel={() => setRevoking(null)}>
        {revoking && (
          <p>
            Identical <span className="font-mono">{revoking.topic}</span> requests from {revoking.agent} will need approval again.
          </p>
        )}
      </ConfirmDialog>
    </div>
  );
}
