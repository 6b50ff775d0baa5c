import { methodNotAllowed } from "@/lib/api/problem";
import { apiRoute } from "@/lib/api/route";
import { redeliver } from "@/lib/services/outbox/admin";

export const POST = apiRoute<{ id: string }>(["admin"], ({ ctx, params }) => redeliver({ ctx, id: params.id }));

const notAllowed = methodNotAllowed("POST");
export { notAllowed as GET, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
