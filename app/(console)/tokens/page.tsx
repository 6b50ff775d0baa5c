import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { AdminOnly } from "@/components/admin/admin-only";
import { requireCtx } from "@/lib/auth/viewer";
import { adminKeys } from "@/lib/client/keys";
import { makeQueryClient } from "@/lib/client/query-client";
import { SCOPES } from "@/lib/services/context";
import { listTokens } from "@/lib/services/provisioning/list-tokens";
import { listUsers } from "@/lib/services/provisioning/list-users";
import { AGENT_FORBIDDEN } from "@/lib/services/provisioning/schemas";
import { TokensClient } from "./_components/tokens-client";

export const metadata: Metadata = { title: "Tokens" };

export default async function TokensPage() {
  const ctx = await requireCtx();
  // The services do not check scopes (the API routes do): enforce admin here the same way.
  if (!ctx.principal.scopes.has("admin")) return <AdminOnly what="manage tokens" />;
  const client = makeQueryClient();
  const [tokens, users] = await Promise.all([listTokens({ ctx, input: { include_revoked: false } }), listUsers({ ctx, input: {} })]);
  client.setQueryData(adminKeys.tokens(false), tokens);
  client.setQueryData(adminKeys.users(), users);
  return (
    <HydrationBoundary state={dehydrate(client)}>
      <TokensClient scopes={[...SCOPES]} agentForbidden={[...AGENT_FORBIDDEN]} />
    </HydrationBoundary>
  );
}
