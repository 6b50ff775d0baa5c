import { methodNotAllowed } from "@/lib/api/problem";
import { readJson } from "@/lib/api/body";
import { json, apiRoute } from "@/lib/api/route";
import { Invalid } from "@/lib/services/errors";
import { IdempotencyKey, SubmitJobBody } from "@/lib/services/jobs/schemas";
import { submitJob } from "@/lib/services/jobs/submit";
import { takeRateLimit } from "@/lib/services/limits";

export const POST = apiRoute(["jobs:submit"], async ({ req, ctx }) => {
  await takeRateLimit(ctx, "submit");
  const rawKey = req.headers.get("idempotency-key");
  const key = rawKey === null ? null : IdempotencyKey.safeParse(rawKey);
  if (key && !key.success) {
    throw new Invalid("Idempotency-Key must be 1-255 printable ASCII characters.", [{ path: "Idempotency-Key", message: "invalid" }]);
  }
  const input = await readJson(req, SubmitJobBody);
  const { item, created } = await submitJob({ ctx, input, idempotencyKey: key ? key.data : null });
  return json(item, created ? 201 : 200, { location: `/api/v1/jobs/${item.job.id}` });
});

const notAllowed = methodNotAllowed("POST");
export { notAllowed as GET, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
