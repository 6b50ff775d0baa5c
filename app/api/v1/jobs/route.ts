import { methodNotAllowed } from "@/lib/api/problem";
import { parseQuery, readJson } from "@/lib/api/body";
import { json, apiRoute } from "@/lib/api/route";
import { requireScope } from "@/lib/services/context";
import { Invalid } from "@/lib/services/errors";
import { listOwnJobs } from "@/lib/services/jobs/own";
import { IdempotencyKey, OwnJobsQuery, SubmitJobRequest } from "@/lib/services/jobs/schemas";
import { submitJob } from "@/lib/services/jobs/submit";
import { takeRateLimit } from "@/lib/services/limits";

export const POST = apiRoute(["jobs:submit"], async ({ req, ctx }) => {
  await takeRateLimit(ctx, "submit");
  const rawKey = req.headers.get("idempotency-key");
  const key = rawKey === null ? null : IdempotencyKey.safeParse(rawKey);
  if (key && !key.success) {
    throw new Invalid("Idempotency-Key must be 1-255 printable ASCII characters.", [{ path: "Idempotency-Key", message: "invalid" }]);
  }
  const { claim, ...input } = await readJson(req, SubmitJobRequest);
  // Claiming in the same request is claiming: it needs the executor's scope as POST /jobs/{id}/claim does.
  if (claim) requireScope(ctx.principal, "jobs:execute");
  const { item, created } = await submitJob({ ctx, input, idempotencyKey: key ? key.data : null, claim });
  return json(item, created ? 201 : 200, { location: `/api/v1/jobs/${item.job.id}` });
});

export const GET = apiRoute(["jobs:read"], async ({ req, ctx }) => listOwnJobs({ ctx, query: parseQuery(req, OwnJobsQuery) }));

const notAllowed = methodNotAllowed("GET, POST");
export { notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
