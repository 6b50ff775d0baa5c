import { methodNotAllowed } from "@/lib/api/problem";
import { parseQuery } from "@/lib/api/body";
import { apiRoute } from "@/lib/api/route";
import { ShadowQuery, shadowMetrics } from "@/lib/services/metrics/shadow";

export const GET = apiRoute(["metrics:read"], async ({ req, ctx }) => shadowMetrics({ ctx, input: parseQuery(req, ShadowQuery) }));

const notAllowed = methodNotAllowed("GET");
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
