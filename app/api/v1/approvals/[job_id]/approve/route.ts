import { readJson } from "@/lib/api/body";
import { apiRoute } from "@/lib/api/route";
import { resolveVote } from "@/lib/services/approvals/resolve";
import { ResolveBody } from "@/lib/services/approvals/schemas";

export const POST = apiRoute<{ job_id: string }>(["approvals:resolve"], async ({ req, ctx, params }) =>
  resolveVote({ ctx, id: params.job_id, vote: "approve", input: await readJson(req, ResolveBody) }),
);
