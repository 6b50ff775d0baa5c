import { parseQuery } from "@/lib/api/body";
import { apiRoute } from "@/lib/api/route";
import { MetricsQuery, decisionMetrics } from "@/lib/services/metrics/decisions";

export const GET = apiRoute(["metrics:read"], async ({ req, ctx }) =>
  decisionMetrics({ ctx, input: parseQuery(req, MetricsQuery) }),
);
