"use client";

import { useState } from "react";
import { OneTimeSecret } from "@/components/admin/one-time-secret";
import { useTokens, type MintedToken } from "@/lib/client/use-admin";
import { MintForm } from "./mint-form";
import { TokensTable } from "./tokens-table";

export function TokensClient({ scopes, agentForbidden }: { scopes: string[]; agentForbidden: string[] }) {
  const [showRevoked, setShowRevoked] = useState(false);
  const tokens = useTokens(showRevoked);
  const [minted, setMinted] = useState<MintedToken | null>(null);
  return (
    <section aria-labelledby="tokens-title" className="space-y-4">
      <div>
        <h1 id="tokens-title" className="text-xl font-bold">
          Tokens
        </h1>
        <p className="text-sm text-slate-600">
          API tokens of this workspace: agents submit and run jobs with theirs; a person&apos;s token acts as them, with their roles. Only a
          hash of each secret is kept. Every change here is audited.
        </p>
      </div>
      <MintForm scopes={scopes} agentForbidden={agentForbidden} onMinted={setMinted} />
      {minted && (
        <OneTimeSecret title={`New token ${minted.name}`} value={minted.token} label={`secret of token ${minted.name}`}>
          <p>Copy the secret now: it is shown only this once and cannot be recovered. Lost, it can only be revoked and replaced.</p>
        </OneTimeSecret>
      )}
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 className="text-base font-semibold">{showRevoked ? "All tokens" : "Live tokens"}</h2>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={showRevoked} onChange={(e) => setShowRevoked(e.target.checked)} />
          Show revoked tokens
        </label>
      </div>
      {tokens.isError && (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
          The tokens could not be loaded. Retrying…
        </p>
      )}
      {tokens.data && <TokensTable tokens={tokens.data.items} truncated={tokens.data.truncated} />}
    </section>
  );
}
