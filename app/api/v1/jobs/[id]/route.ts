import { methodNotAllowed } from "@/lib/api/problem";
import { parseQuery } from "@/lib/api/body";
import { apiRoute } from "@/lib/api/route";
import { getJob } from "@/lib/services/jobs/get";
import { WaitQuery } from "@/lib/services/jobs/schemas";

export const GET = apiRoute<{ id: string }>(["jobs:read"], async ({ req, ctx, params }) => {
  const { wait } = parseQuery(req, WaitQuery);
  return getJob({ ctx, id: params.id, waitSec: wait, signal: req.signal });
});

const notAllowed = methodNotAllowed("GET");
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
