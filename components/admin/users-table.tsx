"use client";

import type { ReactNode } from "react";
import type { ListedUser } from "@/lib/client/use-admin";

/**
 * The tenant's people as a table. Pages add their own columns (`extra`) and per-person controls
 * (`actions`), so the People page and any person-settings surface show one list the same way.
 */
export function UsersTable({
  users,
  caption,
  extra = [],
  actions,
}: {
  users: ListedUser[];
  caption: string;
  extra?: { header: string; cell: (u: ListedUser) => ReactNode }[];
  actions?: (u: ListedUser) => ReactNode;
}) {
  return (
    <div className="relative overflow-x-auto rounded-md border border-slate-200 bg-white">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="border-b border-slate-200 bg-slate-50 text-slate-600">
          <tr>
            <th scope="col" className="px-3 py-2 font-medium">Person</th>
            <th scope="col" className="px-3 py-2 font-medium">Roles</th>
            <th scope="col" className="px-3 py-2 font-medium">Status</th>
            {extra.map((c) => (
              <th key={c.header} scope="col" className="px-3 py-2 font-medium">{c.header}</th>
            ))}
            {actions && <th scope="col" className="px-3 py-2 font-medium"><span className="sr-only">Actions</span></th>}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {users.map((u) => (
            <tr key={u.id} className={u.disabled ? "text-slate-500" : undefined}>
              <th scope="row" className="px-3 py-2 align-top font-normal">
                <span className="block font-medium text-slate-900">{u.email}</span>
                {u.name && <span className="block text-slate-600">{u.name}</span>}
              </th>
              <td className="px-3 py-2 align-top">{u.roles.length ? u.roles.join(", ") : <span className="text-slate-500">none</span>}</td>
              <td className="px-3 py-2 align-top">
                <UserStatus user={u} />
              </td>
              {extra.map((c) => (
                <td key={c.header} className="px-3 py-2 align-top">{c.cell(u)}</td>
              ))}
              {actions && <td className="px-3 py-2 align-top">{actions(u)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function UserStatus({ user }: { user: ListedUser }) {
  if (user.disabled) return <span className="rounded bg-slate-200 px-1.5 py-0.5 text-xs font-medium text-slate-800">Disabled</span>;
  if (!user.has_password) return <span className="rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-900">Invited</span>;
  return <span className="rounded bg-emerald-100 px-1.5 py-0.5 text-xs font-medium text-emerald-900">Active</span>;
}
