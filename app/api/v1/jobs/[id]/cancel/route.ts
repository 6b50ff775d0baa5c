import { methodNotAllowed } from "@/lib/api/problem";
import { readJson } from "@/lib/api/body";
import { apiRoute } from "@/lib/api/route";
import { cancelJob } from "@/lib/services/jobs/cancel";
import { CancelBody } from "@/lib/services/jobs/schemas";

export const POST = apiRoute<{ id: string }>(["jobs:submit"], async ({ req, ctx, params }) => {
  const input = await readJson(req, CancelBody);
  return cancelJob({ ctx, id: params.id, reason: input.reason });
});

const notAllowed = methodNotAllowed("POST");
export { notAllowed as GET, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
