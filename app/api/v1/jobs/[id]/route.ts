import { parseQuery } from "@/lib/api/body";
import { apiRoute } from "@/lib/api/route";
import { getJob } from "@/lib/services/jobs/get";
import { WaitQuery } from "@/lib/services/jobs/schemas";

export const GET = apiRoute<{ id: string }>(["jobs:read"], async ({ req, ctx, params }) => {
  const { wait } = parseQuery(req, WaitQuery);
  return getJob({ ctx, id: params.id, waitSec: wait, signal: req.signal });
});
