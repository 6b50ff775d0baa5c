import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { requireCtx } from "@/lib/auth/viewer";
import { approvalKeys, filtersFrom, PAGE_SIZE, queueSearch } from "@/lib/client/keys";
import { makeQueryClient } from "@/lib/client/query-client";
import { listQueue } from "@/lib/services/approvals/list";
import { queueHref, QUEUE_SCOPE_COOKIE, scopeFrom } from "@/lib/client/queue-scope";
import { QueueQuery } from "@/lib/services/approvals/schemas";
import { activeRuleIds } from "@/lib/services/policy/rule-ids";
import { QueueClient } from "./_components/queue-client";

export const metadata: Metadata = { title: "Queue" };

export default async function QueuePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await requireCtx();
  const raw = await searchParams;
  const canResolve = ctx.principal.scopes.has("approvals:resolve");
  // Reviewers land on what they can act on unless they chose the whole queue (remembered in a cookie);
  // the choice is then written in the address, so the list, its links and a reload agree.
  if (canResolve && typeof raw.actionable !== "string") {
    const rest = new URLSearchParams(Object.entries(raw).flatMap(([k, v]) => (typeof v === "string" ? [[k, v]] : [])));
    redirect(queueHref(scopeFrom((await cookies()).get(QUEUE_SCOPE_COOKIE)?.value), rest.toString()));
  }
  const filters = filtersFrom({ get: (k) => (typeof raw[k] === "string" ? raw[k] : null) });
  // The first page is rendered on the server with the same service and query the browser uses next.
  const input = QueueQuery.parse(Object.fromEntries(new URLSearchParams(queueSearch(filters, { limit: PAGE_SIZE }))));
  const client = makeQueryClient();
  const [first, ruleIds] = await Promise.all([listQueue({ ctx, input }), activeRuleIds(ctx)]);
  client.setQueryData(approvalKeys.queue(filters), { pages: [first], pageParams: [null] });
  return (
    <HydrationBoundary state={dehydrate(client)}>
      <QueueClient ruleIds={ruleIds} canResolve={canResolve} serverNow={ctx.now.getTime()} />
    </HydrationBoundary>
  );
}
