import { methodNotAllowed } from "@/lib/api/problem";
import { readJson } from "@/lib/api/body";
import { apiRoute } from "@/lib/api/route";
import { assertMayResolve, resolveVote } from "@/lib/services/approvals/resolve";
import { ApproveBody } from "@/lib/services/approvals/schemas";
import { takeRateLimit } from "@/lib/services/limits";

// The scope is checked in assertMayResolve, after the principal's kind, so that an agent token (which
// can never hold approvals:resolve) answers agent_cannot_resolve rather than insufficient_scope.
export const POST = apiRoute<{ job_id: string }>([], async ({ req, ctx, params }) => {
  assertMayResolve(ctx.principal);
  await takeRateLimit(ctx, "resolve");
  return resolveVote({ ctx, id: params.job_id, vote: "approve", input: await readJson(req, ApproveBody) });
});

const notAllowed = methodNotAllowed("POST");
export { notAllowed as GET, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
