import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { requireCtx } from "@/lib/auth/viewer";
import { adminKeys } from "@/lib/client/keys";
import { makeQueryClient } from "@/lib/client/query-client";
import { listUsers } from "@/lib/services/provisioning/list-users";
import { AdminOnly } from "@/components/admin/admin-only";
import { PeopleClient } from "./_components/people-client";

export const metadata: Metadata = { title: "People" };

export default async function PeoplePage() {
  const ctx = await requireCtx();
  // The services do not check scopes (the API routes do): enforce admin here the same way.
  if (!ctx.principal.scopes.has("admin")) return <AdminOnly what="manage people" />;
  const client = makeQueryClient();
  client.setQueryData(adminKeys.users(), await listUsers({ ctx, input: {} }));
  return (
    <HydrationBoundary state={dehydrate(client)}>
      <PeopleClient />
    </HydrationBoundary>
  );
}
