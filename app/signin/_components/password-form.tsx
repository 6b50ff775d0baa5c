"use client";

import { useActionState } from "react";
import { signInWithPassword, type SignInState } from "../actions";

const field = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-blue-600";

export function PasswordForm({ next }: { next: string }) {
  const [state, action, pending] = useActionState<SignInState, FormData>(signInWithPassword, { error: null, email: "" });
  return (
    <form action={action} className="space-y-4" aria-describedby={state.error ? "signin-error" : undefined}>
      <input type="hidden" name="next" value={next} />
      {state.error && (
        <p id="signin-error" role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {state.error}
        </p>
      )}
      <label className="block text-sm font-medium">
        Email
        <input name="email" type="email" autoComplete="username" required defaultValue={state.email} className={field} />
      </label>
      <label className="block text-sm font-medium">
        Password
        <input name="password" type="password" autoComplete="current-password" required className={field} />
      </label>
      <details className="text-sm text-slate-600">
        <summary className="cursor-pointer">Workspace (only if your email is in several)</summary>
        <label className="mt-2 block text-sm font-medium text-slate-900">
          Workspace
          <input name="workspace" autoComplete="organization" className={field} placeholder="e.g. demo" />
        </label>
      </details>
      <button
        type="submit"
        disabled={pending}
        className="w-full rounded-md bg-blue-700 px-4 py-2 text-sm font-semibold text-white hover:bg-blue-800 disabled:opacity-60"
      >
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
