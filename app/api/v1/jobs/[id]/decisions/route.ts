import { apiRoute } from "@/lib/api/route";
import { jobDecisions } from "@/lib/services/jobs/decisions";

export const GET = apiRoute<{ id: string }>(["jobs:read", "approvals:read"], ({ ctx, params }) =>
  jobDecisions({ ctx, id: params.id }),
);
