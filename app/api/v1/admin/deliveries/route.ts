import { parseQuery } from "@/lib/api/body";
import { methodNotAllowed } from "@/lib/api/problem";
import { apiRoute } from "@/lib/api/route";
import { DeliveriesQuery, listDeliveries } from "@/lib/services/outbox/admin";
import { asTenant } from "@/lib/services/provisioning/tenants";

export const GET = apiRoute(["admin"], async ({ req, ctx }) => {
  const input = parseQuery(req, DeliveriesQuery);
  return listDeliveries({ ctx: await asTenant(ctx, input.tenant), input });
});

const notAllowed = methodNotAllowed("GET");
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
