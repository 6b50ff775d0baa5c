import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { requireCtx } from "@/lib/auth/viewer";
import { approvalKeys, filtersFrom, PAGE_SIZE, queueSearch } from "@/lib/client/keys";
import { makeQueryClient } from "@/lib/client/query-client";
import { listQueue } from "@/lib/services/approvals/list";
import { QueueQuery } from "@/lib/services/approvals/schemas";
import { activeRuleIds } from "@/lib/services/policy/rule-ids";
import { QueueClient } from "./_components/queue-client";

export const metadata: Metadata = { title: "Queue" };

export default async function QueuePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await requireCtx();
  const raw = await searchParams;
  const filters = filtersFrom({ get: (k) => (typeof raw[k] === "string" ? raw[k] : null) });
  // The first page is rendered on the server with the same service and query the browser uses next.
  const input = QueueQuery.parse(Object.fromEntries(new URLSearchParams(queueSearch(filters, { limit: PAGE_SIZE }))));
  const client = makeQueryClient();
  const [first, ruleIds] = await Promise.all([listQueue({ ctx, input }), activeRuleIds(ctx)]);
  client.setQueryData(approvalKeys.queue(filters), { pages: [first], pageParams: [null] });
  return (
    <HydrationBoundary state={dehydrate(client)}>
      <QueueClient ruleIds={ruleIds} canResolve={ctx.principal.scopes.has("approvals:resolve")} serverNow={ctx.now.getTime()} />
    </HydrationBoundary>
  );
}
