import { methodNotAllowed } from "@/lib/api/problem";
import { readJson } from "@/lib/api/body";
import { apiRoute, json } from "@/lib/api/route";
import { CreateTenantBody } from "@/lib/services/provisioning/schemas";
import { createTenant } from "@/lib/services/provisioning/tenants";

export const POST = apiRoute(["admin"], async ({ req, ctx }) =>
  json(await createTenant({ ctx, input: await readJson(req, CreateTenantBody) }), 201),
);

const notAllowed = methodNotAllowed("POST");
export { notAllowed as GET, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
