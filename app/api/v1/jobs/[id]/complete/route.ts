import { methodNotAllowed } from "@/lib/api/problem";
import { readJson } from "@/lib/api/body";
import { apiRoute } from "@/lib/api/route";
import { completeJob } from "@/lib/services/jobs/complete";
import { CompleteBody } from "@/lib/services/jobs/schemas";

export const POST = apiRoute<{ id: string }>(["jobs:execute"], async ({ req, ctx, params }) =>
  completeJob({ ctx, id: params.id, input: await readJson(req, CompleteBody) }),
);

const notAllowed = methodNotAllowed("POST");
export { notAllowed as GET, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
