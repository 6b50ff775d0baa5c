import { parseQuery } from "@/lib/api/body";
import { methodNotAllowed } from "@/lib/api/problem";
import { apiRoute } from "@/lib/api/route";
import { DeliveriesQuery, listDeliveries } from "@/lib/services/outbox/admin";

export const GET = apiRoute(["admin"], ({ req, ctx }) => listDeliveries({ ctx, input: parseQuery(req, DeliveriesQuery) }));

const notAllowed = methodNotAllowed("GET");
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
