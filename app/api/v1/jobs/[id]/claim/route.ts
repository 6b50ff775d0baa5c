import { methodNotAllowed } from "@/lib/api/problem";
import { readJson } from "@/lib/api/body";
import { apiRoute } from "@/lib/api/route";
import { claimJob } from "@/lib/services/jobs/claim";
import { ClaimBody } from "@/lib/services/jobs/schemas";

export const POST = apiRoute<{ id: string }>(["jobs:execute"], async ({ req, ctx, params }) =>
  claimJob({ ctx, id: params.id, input: await readJson(req, ClaimBody) }),
);

const notAllowed = methodNotAllowed("POST");
export { notAllowed as GET, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
