"use client";

import { useActionState } from "react";
import { setPasswordAction, type SetPasswordState } from "../actions";

const field = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm";

export function SetPasswordForm({ link, email }: { link: { u: string; e: string; c: string }; email: string }) {
  const [state, action, pending] = useActionState<SetPasswordState, FormData>(setPasswordAction, { error: null });
  return (
    <form action={action} className="space-y-4">
      {Object.entries(link).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      {state.error && (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {state.error}
        </p>
      )}
      {/* For password managers: the account this password belongs to. */}
      <input type="hidden" name="username" autoComplete="username" value={email} />
      <label className="block text-sm font-medium">
        New password <span className="font-normal text-slate-500">(at least 10 characters)</span>
        <input name="password" type="password" autoComplete="new-password" minLength={10} required className={field} />
      </label>
      <label className="block text-sm font-medium">
        The same password again
        <input name="confirm" type="password" autoComplete="new-password" minLength={10} required className={field} />
      </label>
      <button type="submit" disabled={pending} className="w-full rounded-md bg-blue-700 px-4 py-2 text-sm font-semibold text-white hover:bg-blue-800 disabled:opacity-60">
        {pending ? "Saving…" : "Set password and sign in"}
      </button>
    </form>
  );
}
