import { methodNotAllowed } from "@/lib/api/problem";
import { apiRoute } from "@/lib/api/route";
import { jobDecisions } from "@/lib/services/jobs/decisions";

export const GET = apiRoute<{ id: string }>(["jobs:read", "approvals:read"], ({ ctx, params }) =>
  jobDecisions({ ctx, id: params.id }),
);

const notAllowed = methodNotAllowed("GET");
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
