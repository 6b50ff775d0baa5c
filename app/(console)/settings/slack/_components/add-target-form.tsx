"use client";

import { useActionState } from "react";
import { addSlackTargetAction, type TargetFormState } from "../actions";

const field = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm";

export function AddTargetForm() {
  const [state, action, pending] = useActionState<TargetFormState, FormData>(addSlackTargetAction, { error: null });
  return (
    <form action={action} className="max-w-md space-y-3" aria-label="Add a Slack channel">
      {state.error && (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {state.error}
        </p>
      )}
      <label className="block text-sm font-medium">
        Channel ID <span className="font-normal text-slate-500">(Slack: channel details → bottom; the bot must be in it)</span>
        <input name="channel" required placeholder="C0123ABCD" className={field} />
      </label>
      <label className="block text-sm font-medium">
        Roles <span className="font-normal text-slate-500">(comma-separated; empty: all work)</span>
        <input name="roles" placeholder="finance, oncall" className={field} />
      </label>
      <button type="submit" disabled={pending} className="rounded-md bg-blue-700 px-4 py-2 text-sm font-semibold text-white hover:bg-blue-800 disabled:opacity-60">
        Add channel
      </button>
    </form>
  );
}
