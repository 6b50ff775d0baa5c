"use client";

import { useState } from "react";
import { LocalTime } from "@/components/ui/local-time";
import { problemText } from "@/components/admin/problem-text";
import { useRevokeToken, type ListedToken } from "@/lib/client/use-admin";

const button = "rounded-md border border-slate-300 bg-white px-2 py-1 text-xs font-medium hover:bg-slate-100 disabled:opacity-60";

const STATUS = {
  live: { text: "Live", tone: "bg-emerald-100 text-emerald-900" },
  expired: { text: "Expired", tone: "bg-amber-100 text-amber-900" },
  revoked: { text: "Revoked", tone: "bg-slate-200 text-slate-800" },
} as const;

export function TokensTable({ tokens, truncated }: { tokens: ListedToken[]; truncated: boolean }) {
  if (tokens.length === 0) return <p className="text-sm text-slate-600">No tokens yet.</p>;
  return (
    <div className="relative overflow-x-auto rounded-md border border-slate-200 bg-white">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Tokens of this workspace</caption>
        <thead className="border-b border-slate-200 bg-slate-50 text-slate-600">
          <tr>
            <th scope="col" className="px-3 py-2 font-medium">Name</th>
            <th scope="col" className="px-3 py-2 font-medium">Owner</th>
            <th scope="col" className="px-3 py-2 font-medium">Scopes</th>
            <th scope="col" className="px-3 py-2 font-medium">Last used</th>
            <th scope="col" className="px-3 py-2 font-medium">Expires</th>
            <th scope="col" className="px-3 py-2 font-medium">Status</th>
            <th scope="col" className="px-3 py-2 font-medium"><span className="sr-only">Actions</span></th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {tokens.map((t) => {
            const s = STATUS[t.state as keyof typeof STATUS];
            return (
              <tr key={t.id}>
                <th scope="row" className="px-3 py-2 align-top font-normal">
                  <span className="block font-medium text-slate-900">{t.name}</span>
                  <span className="block text-xs text-slate-600">{t.kind === "agent" ? "agent" : "person"} · {t.id}</span>
                </th>
                <td className="px-3 py-2 align-top">
                  {t.owner ?? <span className="text-slate-500">none</span>}
                  <span className="block text-xs text-slate-600">{t.kind === "agent" ? "answers for it" : "acts as"}</span>
                </td>
                <td className="px-3 py-2 align-top">
                  <ul className="flex max-w-xs flex-wrap gap-1">
                    {t.scopes.map((sc) => (
                      <li key={sc} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs">{sc}</li>
                    ))}
                  </ul>
                </td>
                <td className="px-3 py-2 align-top">{t.last_used_at ? <LocalTime iso={t.last_used_at} /> : <span className="text-slate-600">Never</span>}</td>
                <td className="px-3 py-2 align-top">{t.expires_at ? <LocalTime iso={t.expires_at} /> : <span className="text-slate-600">Never</span>}</td>
                <td className="px-3 py-2 align-top">
                  <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${s.tone}`}>{s.text}</span>
                </td>
                <td className="px-3 py-2 align-top">{!t.revoked_at && <RevokeControl token={t} />}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {truncated && <p className="p-3 text-sm text-slate-600">Only the newest 1,000 are listed.</p>}
    </div>
  );
}

function RevokeControl({ token }: { token: ListedToken }) {
  const revoke = useRevokeToken();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!confirming) {
    return (
      <button type="button" aria-label={`Revoke ${token.name}`} onClick={() => setConfirming(true)} className={button}>
        Revoke
      </button>
    );
  }
  return (
    <div role="group" aria-label={`Revoke ${token.name}`} className="min-w-40 space-y-1">
      <p className="text-xs">Revoke {token.name}? Requests with it are refused at once; this cannot be undone.</p>
      <div className="flex gap-2">
        <button
          type="button"
          disabled={revoke.isPending}
          onClick={() => revoke.mutate(token.id, { onError: (err) => setError(problemText(err)) })}
          className="rounded-md bg-red-700 px-2 py-1 text-xs font-semibold text-white hover:bg-red-800 disabled:opacity-60"
        >
          Revoke {token.name}
        </button>
        <button type="button" onClick={() => setConfirming(false)} className={button}>
          Cancel
        </button>
      </div>
      {error && (
        <p role="alert" className="text-xs text-red-800">
          {error}
        </p>
      )}
    </div>
  );
}
