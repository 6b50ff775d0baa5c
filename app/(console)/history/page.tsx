import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { requireCtx } from "@/lib/auth/viewer";
import { approvalKeys, filtersFrom, PAGE_SIZE, queueSearch } from "@/lib/client/keys";
import { makeQueryClient } from "@/lib/client/query-client";
import { listQueue } from "@/lib/services/approvals/list";
import { QueueQuery } from "@/lib/services/approvals/schemas";
import { activeRuleIds } from "@/lib/services/policy/rule-ids";
import { HistoryClient } from "./_components/history-client";

export const metadata: Metadata = { title: "History" };

export default async function HistoryPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await requireCtx();
  const raw = await searchParams;
  const filters = filtersFrom({ get: (k) => (k !== "actionable" && typeof raw[k] === "string" ? raw[k] : null) });
  const input = QueueQuery.parse(Object.fromEntries(new URLSearchParams(queueSearch(filters, { resolved: true, limit: PAGE_SIZE }))));
  const client = makeQueryClient();
  const [first, ruleIds] = await Promise.all([listQueue({ ctx, input }), activeRuleIds(ctx)]);
  client.setQueryData(approvalKeys.history(filters), { pages: [first], pageParams: [null] });
  return (
    <HydrationBoundary state={dehydrate(client)}>
      <HistoryClient ruleIds={ruleIds} />
    </HydrationBoundary>
  );
}
