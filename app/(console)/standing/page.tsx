import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { requireCtx } from "@/lib/auth/viewer";
import { makeQueryClient } from "@/lib/client/query-client";
import { standingKeys } from "@/lib/client/use-standing";
import { listStanding } from "@/lib/services/standing/list";
import { StandingClient } from "./_components/standing-client";

export const metadata: Metadata = { title: "Standing approvals" };

export default async function StandingPage() {
  const ctx = await requireCtx();
  if (!ctx.principal.scopes.has("approvals:read")) {
    return (
      <p role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
        You do not have permission to see approvals (scope approvals:read).
      </p>
    );
  }
  const client = makeQueryClient();
  client.setQueryData(standingKeys.all, await listStanding({ ctx }));
  return (
    <HydrationBoundary state={dehydrate(client)}>
      <StandingClient />
    </HydrationBoundary>
  );
}
