"use client";

import { useState, type FormEvent } from "react";
import { useViewer } from "@/app/(console)/_components/viewer-context";
import { problemText } from "@/components/admin/problem-text";
import { useHydrated } from "@/components/admin/use-hydrated";
import { useMintToken, useUsers, type MintedToken } from "@/lib/client/use-admin";
import type { CreateTokenBody } from "@/lib/services/provisioning/schemas";

const field = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1 text-sm";
const EXPIRY_DAYS = [
  { value: "", label: "Never" },
  { value: "7", label: "In 7 days" },
  { value: "30", label: "In 30 days" },
  { value: "90", label: "In 90 days" },
  { value: "365", label: "In a year" },
];
const DAY_MS = 86_400_000;
const daysFromNow = (days: number) => new Date(Date.now() + days * DAY_MS).toISOString();
const RESOLVE = "approvals:resolve";

// DESIGN §4: a token that approves is minted only by the person it acts as. Said before the admin tries.
const onlyThemselves = (email: string) =>
  `Only ${email} can mint a token that approves: they sign in and mint it themselves. Otherwise one admin could hold several people's approving tokens and count as several approvers.`;

export function MintForm({ scopes, agentForbidden, onMinted }: { scopes: string[]; agentForbidden: string[]; onMinted: (t: MintedToken) => void }) {
  const viewer = useViewer();
  const users = (useUsers().data?.items ?? []).filter((u) => !u.disabled);
  const mint = useMintToken();
  const hydrated = useHydrated();
  const [kind, setKind] = useState<"agent" | "user">("agent");
  const [userId, setUserId] = useState(viewer.userId);
  const [chosen, setChosen] = useState<Set<string>>(new Set(["jobs:submit", "jobs:read", "jobs:execute"]));
  const [error, setError] = useState<string | null>(null);
  const person = users.find((u) => u.id === userId);
  const forOther = kind === "user" && userId !== viewer.userId;
  const blocked = (scope: string) => (kind === "agent" && agentForbidden.includes(scope)) || (forOther && scope === RESOLVE);

  const effective = [...chosen].filter((s) => !blocked(s));
  const pickKind = (next: "agent" | "user") => {
    setKind(next);
    setChosen(new Set(next === "agent" ? ["jobs:submit", "jobs:read", "jobs:execute"] : ["jobs:read", "approvals:read"]));
  };
  const toggle = (scope: string, on: boolean) => setChosen((s) => new Set(on ? [...s, scope] : [...s].filter((x) => x !== scope)));
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    const days = String(data.get("expires") ?? "");
    const owner = String(data.get("owner") ?? "");
    const input: CreateTokenBody = {
      kind,
      name: String(data.get("name") ?? "").trim(),
      scopes: effective as CreateTokenBody["scopes"],
      ...(kind === "user" ? { user_id: userId } : owner ? { owner_email: owner } : {}),
      ...(days ? { expires_at: daysFromNow(Number(days)) } : {}),
    };
    setError(null);
    mint.mutate(input, {
      onSuccess: (t) => {
        form.reset();
        onMinted(t);
      },
      onError: (err) => setError(problemText(err, { mint_forbidden: onlyThemselves(person?.email ?? "that person") })),
    });
  };

  return (
    <form onSubmit={onSubmit} aria-labelledby="mint-title" className="space-y-3 rounded-md border border-slate-200 bg-white p-4">
      <h2 id="mint-title" className="text-base font-semibold">
        Mint a token
      </h2>
      <fieldset className="flex flex-wrap gap-4 text-sm">
        <legend className="mb-1 font-medium">Kind</legend>
        <label className="flex items-center gap-2">
          <input type="radio" name="kind" value="agent" checked={kind === "agent"} onChange={() => pickKind("agent")} />
          Agent (a program that submits and runs jobs)
        </label>
        <label className="flex items-center gap-2">
          <input type="radio" name="kind" value="user" checked={kind === "user"} onChange={() => pickKind("user")} />
          Person (acts as them, with their roles)
        </label>
      </fieldset>
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-3">
        <label className="block text-sm font-medium">
          Name
          <input name="name" required maxLength={100} pattern="[A-Za-z0-9_.@\-]+" title="letters, digits and _ . @ -" autoComplete="off" className={field} />
        </label>
        {kind === "user" ? (
          <div className="text-sm font-medium">
            <label htmlFor="mint-user">Acts as</label>
            <select id="mint-user" name="user" value={userId} onChange={(e) => setUserId(e.target.value)} className={field}>
              {users.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.email}
                  {u.id === viewer.userId ? " (you)" : ""}
                </option>
              ))}
            </select>
          </div>
        ) : (
          <div className="text-sm font-medium">
            <label htmlFor="mint-owner">
              Owner <span className="font-normal text-slate-500">(answers for it; may not approve its jobs)</span>
            </label>
            <select id="mint-owner" name="owner" defaultValue="" className={field}>
              <option value="">No owner</option>
              {users.map((u) => (
                <option key={u.id} value={u.email}>
                  {u.email}
                </option>
              ))}
            </select>
          </div>
        )}
        <div className="text-sm font-medium">
          <label htmlFor="mint-expires">Expires</label>
          <select id="mint-expires" name="expires" defaultValue="90" className={field}>
            {EXPIRY_DAYS.map((d) => (
              <option key={d.value} value={d.value}>
                {d.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      <fieldset className="text-sm">
        <legend className="mb-1 font-medium">Scopes</legend>
        <div className="grid grid-cols-1 gap-1 sm:grid-cols-3">
          {scopes.map((scope) => (
            <label key={scope} className={`flex items-center gap-2 ${blocked(scope) ? "text-slate-500" : ""}`}>
              <input
                type="checkbox"
                checked={chosen.has(scope) && !blocked(scope)}
                disabled={blocked(scope)}
                aria-describedby={blocked(scope) ? (kind === "agent" ? "why-agent" : "why-only-themselves") : undefined}
                onChange={(e) => toggle(scope, e.target.checked)}
              />
              <span className="font-mono text-xs">{scope}</span>
            </label>
          ))}
        </div>
        {kind === "agent" && (
          <p id="why-agent" className="mt-2 text-slate-600">
            An agent token never holds {agentForbidden.join(", ")}: with them an agent could approve, or arrange approval of, its own work.
          </p>
        )}
        {forOther && (
          <p id="why-only-themselves" role="note" className="mt-2 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-slate-900">
            {onlyThemselves(person?.email ?? "that person")} You can mint them a token without it.
          </p>
        )}
      </fieldset>
      {error && (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {error}
        </p>
      )}
      <button type="submit" disabled={!hydrated || mint.isPending || effective.length === 0} className="rounded-md bg-blue-700 px-3 py-1.5 text-sm font-semibold text-white hover:bg-blue-800 disabled:opacity-60">
        {mint.isPending ? "Minting…" : "Mint token"}
      </button>
    </form>
  );
}
