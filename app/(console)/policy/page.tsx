import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { requireCtx } from "@/lib/auth/viewer";
import { policyKeys } from "@/lib/client/keys";
import { makeQueryClient } from "@/lib/client/query-client";
import { NotFound } from "@/lib/services/errors";
import { getActivePolicy } from "@/lib/services/policy/activate";
import { listSnapshots } from "@/lib/services/policy/snapshots";
import { PolicyClient } from "./_components/policy-client";

export const metadata: Metadata = { title: "Policy" };

export default async function PolicyPage() {
  const ctx = await requireCtx();
  // The services do not check scopes (the API routes do): enforce policy:read here the same way.
  if (!ctx.principal.scopes.has("policy:read")) {
    return (
      <p role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
        You do not have permission to read the policy (scope policy:read).
      </p>
    );
  }
  const client = makeQueryClient();
  const [active, snapshots] = await Promise.all([
    // A tenant without an active policy renders the empty state rather than an error page.
    getActivePolicy({ ctx }).catch((err: unknown) => {
      if (err instanceof NotFound) return null;
      throw err;
    }),
    listSnapshots({ ctx }),
  ]);
  if (active) client.setQueryData(policyKeys.active(), active);
  client.setQueryData(policyKeys.snapshots(), snapshots);
  return (
    <HydrationBoundary state={dehydrate(client)}>
      <PolicyClient />
    </HydrationBoundary>
  );
}
