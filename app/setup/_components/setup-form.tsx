"use client";

import { useActionState } from "react";
import { createFirstAdminAction, type SetupState } from "../actions";

const field = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm";

export function SetupForm({ code }: { code: string }) {
  const [state, action, pending] = useActionState<SetupState, FormData>(createFirstAdminAction, { error: null });
  return (
    <form action={action} className="space-y-4">
      <input type="hidden" name="code" value={code} />
      {state.error && (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {state.error}
        </p>
      )}
      <label className="block text-sm font-medium">
        Your email
        <input name="email" type="email" autoComplete="username" required className={field} />
      </label>
      <label className="block text-sm font-medium">
        Your name <span className="font-normal text-slate-500">(optional)</span>
        <input name="name" autoComplete="name" className={field} />
      </label>
      <label className="block text-sm font-medium">
        Password <span className="font-normal text-slate-500">(at least 10 characters)</span>
        <input name="password" type="password" autoComplete="new-password" minLength={10} required className={field} />
      </label>
      <button type="submit" disabled={pending} className="w-full rounded-md bg-blue-700 px-4 py-2 text-sm font-semibold text-white hover:bg-blue-800 disabled:opacity-60">
        {pending ? "Creating…" : "Create the first admin"}
      </button>
    </form>
  );
}
