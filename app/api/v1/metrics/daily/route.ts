import { methodNotAllowed } from "@/lib/api/problem";
import { parseQuery } from "@/lib/api/body";
import { apiRoute } from "@/lib/api/route";
import { DailyQuery, dailyPercentiles } from "@/lib/services/metrics/daily";

export const GET = apiRoute(["metrics:read"], async ({ req, ctx }) =>
  dailyPercentiles({ ctx, input: parseQuery(req, DailyQuery) }),
);

const notAllowed = methodNotAllowed("GET");
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
