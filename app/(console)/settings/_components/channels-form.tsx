"use client";

import { useActionState } from "react";
import { saveChannelsAction, type SettingsState } from "../actions";

const field = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm";

export function ChannelsForm({ slackUserId, emailOptOut }: { slackUserId: string | null; emailOptOut: boolean }) {
  const [state, action, pending] = useActionState<SettingsState, FormData>(saveChannelsAction, { error: null, saved: false });
  return (
    <form action={action} className="max-w-md space-y-4">
      {state.error && (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {state.error}
        </p>
      )}
      {state.saved && (
        <p role="status" className="rounded-md border border-green-200 bg-green-50 px-3 py-2 text-sm text-green-900">
          Saved.
        </p>
      )}
      <label className="block text-sm font-medium">
        Slack member ID <span className="font-normal text-slate-500">(Slack: your profile → ⋮ → Copy member ID; empty unlinks)</span>
        <input name="slack_user_id" defaultValue={slackUserId ?? ""} placeholder="U0123ABCD" pattern="[UWuw][A-Za-z0-9]{2,30}" className={field} />
      </label>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="email_opt_out" defaultChecked={emailOptOut} />
        Do not email me about requests I can decide
      </label>
      <button type="submit" disabled={pending} className="rounded-md bg-blue-700 px-4 py-2 text-sm font-semibold text-white hover:bg-blue-800 disabled:opacity-60">
        {pending ? "Saving…" : "Save"}
      </button>
    </form>
  );
}
