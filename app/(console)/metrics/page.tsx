import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { requireCtx } from "@/lib/auth/viewer";
import { makeQueryClient } from "@/lib/client/query-client";
import { metricsKeys, metricsParams } from "@/lib/client/use-metrics";
import { dailyPercentiles } from "@/lib/services/metrics/daily";
import { decisionMetrics } from "@/lib/services/metrics/decisions";
import { MetricsClient } from "./_components/metrics-client";

export const metadata: Metadata = { title: "Metrics" };

const MANAGER_ROLES = ["manager", "eng-manager", "admin"];

export default async function MetricsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await requireCtx();
  // The API lets every signed-in person read metrics (metrics:read); this page, about who is slow and
  // who is overloaded, is for the people who manage the reviewers.
  if (!ctx.principal.roles.some((r) => MANAGER_ROLES.includes(r))) {
    return (
      <p role="alert" className="rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900">
        This page is for managers. Ask an administrator for the manager role if you need team metrics.
      </p>
    );
  }
  const raw = await searchParams;
  const { window, groupBy } = metricsParams({ get: (k) => (typeof raw[k] === "string" ? raw[k] : null) });
  const client = makeQueryClient();
  // Rendered on the server with the same services and keys the browser uses when the window changes.
  const [overall, grouped, daily] = await Promise.all([
    decisionMetrics({ ctx, input: { window, group_by: "overall" } }),
    decisionMetrics({ ctx, input: { window, group_by: groupBy } }),
    dailyPercentiles({ ctx, input: { window } }),
  ]);
  client.setQueryData(metricsKeys.decisions(window, "overall"), overall);
  client.setQueryData(metricsKeys.decisions(window, groupBy), grouped);
  client.setQueryData(metricsKeys.daily(window), daily);
  return (
    <HydrationBoundary state={dehydrate(client)}>
      <MetricsClient />
    </HydrationBoundary>
  );
}
