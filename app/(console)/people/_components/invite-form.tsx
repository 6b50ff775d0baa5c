"use client";

import { useState, type FormEvent } from "react";
import { useInvite, type PasswordLink } from "@/lib/client/use-admin";
import { parseRoles, problemText } from "@/components/admin/problem-text";
import { useHydrated } from "@/components/admin/use-hydrated";

const field = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1 text-sm";

export function InviteForm({ knownRoles, onLink }: { knownRoles: string[]; onLink: (link: PasswordLink) => void }) {
  const invite = useInvite();
  const hydrated = useHydrated();
  const [error, setError] = useState<string | null>(null);
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    const name = String(data.get("name") ?? "").trim();
    setError(null);
    invite.mutate(
      { email: String(data.get("email") ?? ""), roles: parseRoles(String(data.get("roles") ?? "")), ...(name ? { name } : {}) },
      {
        onSuccess: (link) => {
          form.reset();
          onLink(link);
        },
        onError: (err) => setError(problemText(err, { already_exists: "Someone with this email is already in this workspace." })),
      },
    );
  };
  return (
    <form onSubmit={onSubmit} aria-labelledby="invite-title" className="space-y-3 rounded-md border border-slate-200 bg-white p-4">
      <h2 id="invite-title" className="text-base font-semibold">
        Invite a person
      </h2>
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-3">
        <label className="block text-sm font-medium">
          Email
          <input name="email" type="email" required autoComplete="off" className={field} />
        </label>
        <label className="block text-sm font-medium">
          Name <span className="font-normal text-slate-500">(optional)</span>
          <input name="name" autoComplete="off" className={field} />
        </label>
        <label className="block text-sm font-medium">
          Roles <span className="font-normal text-slate-500">(comma-separated)</span>
          <input name="roles" list="known-roles" autoComplete="off" placeholder="e.g. reviewer, finance" className={field} />
        </label>
      </div>
      <datalist id="known-roles">
        {knownRoles.map((r) => (
          <option key={r} value={r} />
        ))}
      </datalist>
      {error && (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {error}
        </p>
      )}
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" disabled={!hydrated || invite.isPending} className="rounded-md bg-blue-700 px-3 py-1.5 text-sm font-semibold text-white hover:bg-blue-800 disabled:opacity-60">
          {invite.isPending ? "Inviting…" : "Invite"}
        </button>
        <p className="text-sm text-slate-600">They get no password: you get a one-time link with which they set their own.</p>
      </div>
    </form>
  );
}
