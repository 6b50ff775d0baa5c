import { methodNotAllowed } from "@/lib/api/problem";
import { apiRoute } from "@/lib/api/route";
import { deleteTarget } from "@/lib/services/outbox/targets";

export const DELETE = apiRoute<{ id: string }>(["admin"], ({ ctx, params }) => deleteTarget({ ctx, id: params.id }));

const notAllowed = methodNotAllowed("DELETE");
export { notAllowed as GET, notAllowed as POST, notAllowed as PUT, notAllowed as PATCH };
