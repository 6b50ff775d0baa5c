"use client";

import { useActionState } from "react";
import { mailVoteAction, type MailVoteState } from "../actions";

const field = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm";

/** Reason (required), optional note, Approve or Reject: one POST, once. */
export function MailVoteForm({ token, jobHash, snapshot }: { token: string; jobHash: string; snapshot: string }) {
  const [state, action, pending] = useActionState<MailVoteState, FormData>(mailVoteAction, { error: null, done: null });
  if (state.done) {
    return (
      <p role="status" className="rounded-md border border-green-200 bg-green-50 px-3 py-2 text-sm text-green-900">
        {state.done}
      </p>
    );
  }
  return (
    <form action={action} className="space-y-4" aria-label="Your decision">
      <input type="hidden" name="token" value={token} />
      <input type="hidden" name="job_hash" value={jobHash} />
      <input type="hidden" name="policy_snapshot" value={snapshot} />
      {state.error && (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {state.error}
        </p>
      )}
      <label className="block text-sm font-medium">
        Reason
        <input name="reason" required maxLength={1000} className={field} />
      </label>
      <label className="block text-sm font-medium">
        Note <span className="font-normal text-slate-500">(optional)</span>
        <textarea name="note" maxLength={4000} rows={3} className={field} />
      </label>
      <div className="flex gap-3">
        <button type="submit" name="vote" value="approve" disabled={pending} className="flex-1 rounded-md bg-green-700 px-4 py-2 text-sm font-semibold text-white hover:bg-green-800 disabled:opacity-60">
          Approve
        </button>
        <button type="submit" name="vote" value="reject" disabled={pending} className="flex-1 rounded-md bg-red-700 px-4 py-2 text-sm font-semibold text-white hover:bg-red-800 disabled:opacity-60">
          Reject
        </button>
      </div>
    </form>
  );
}
