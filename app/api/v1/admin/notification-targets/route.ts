import { parseQuery, readJson } from "@/lib/api/body";
import { methodNotAllowed } from "@/lib/api/problem";
import { apiRoute, json } from "@/lib/api/route";
import { CreateTargetBody, createTarget, listTargets } from "@/lib/services/outbox/targets";
import { asTenant, TenantQuery } from "@/lib/services/provisioning/tenants";

export const GET = apiRoute(["admin"], async ({ req, ctx }) => listTargets({ ctx: await asTenant(ctx, parseQuery(req, TenantQuery).tenant) }));

export const POST = apiRoute(["admin"], async ({ req, ctx }) => {
  const input = await readJson(req, CreateTargetBody);
  return json(await createTarget({ ctx: await asTenant(ctx, input.tenant), input }), 201);
});

const notAllowed = methodNotAllowed("GET, POST");
export { notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
