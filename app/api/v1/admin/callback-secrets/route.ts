import { parseQuery } from "@/lib/api/body";
import { methodNotAllowed } from "@/lib/api/problem";
import { asTenant, TenantQuery } from "@/lib/services/provisioning/tenants";
import { apiRoute, json } from "@/lib/api/route";
import { listCallbackSecrets, rotateCallbackSecret } from "@/lib/services/outbox/secrets";

/** The secrets that sign callbacks now (current first; the previous one while a rotation overlaps). */
export const GET = apiRoute(["admin"], async ({ req, ctx }) => listCallbackSecrets({ ctx: await asTenant(ctx, parseQuery(req, TenantQuery).tenant) }));

/** Rotate: a new current secret; the old one keeps signing for 24 h. */
export const POST = apiRoute(["admin"], async ({ req, ctx }) =>
  json(await rotateCallbackSecret({ ctx: await asTenant(ctx, parseQuery(req, TenantQuery).tenant) }), 201),
);

const notAllowed = methodNotAllowed("GET, POST");
export { notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
