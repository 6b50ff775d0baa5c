import { methodNotAllowed } from "@/lib/api/problem";
import { parseQuery } from "@/lib/api/body";
import { apiRoute } from "@/lib/api/route";
import { MetricsQuery, decisionMetrics } from "@/lib/services/metrics/decisions";

export const GET = apiRoute(["metrics:read"], async ({ req, ctx }) =>
  decisionMetrics({ ctx, input: parseQuery(req, MetricsQuery) }),
);

const notAllowed = methodNotAllowed("GET");
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
