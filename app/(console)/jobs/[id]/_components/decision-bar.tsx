"use client";

/**
 * On phones the form sits below the evidence: a bar stays at the bottom of the screen with Approve and
 * Reject, each taking the reviewer to the form with that choice made (a reason is still required).
 */
export function DecisionBar({ onChoose }: { onChoose: (vote: "approve" | "reject") => void }) {
  return (
    <div role="group" aria-label="Decide" className="fixed inset-x-0 bottom-0 z-20 flex gap-2 border-t border-slate-300 bg-white p-3 shadow-lg lg:hidden">
      <button type="button" onClick={() => onChoose("approve")} className="flex-1 rounded-md bg-emerald-700 px-4 py-2 text-sm font-semibold text-white">
        Approve…
      </button>
      <button type="button" onClick={() => onChoose("reject")} className="flex-1 rounded-md bg-red-700 px-4 py-2 text-sm font-semibold text-white">
        Reject…
      </button>
    </div>
  );
}
