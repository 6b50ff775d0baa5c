import { methodNotAllowed } from "@/lib/api/problem";
import { apiRoute } from "@/lib/api/route";
import { revokeToken } from "@/lib/services/provisioning/tokens";

export const DELETE = apiRoute<{ id: string }>(["admin"], ({ ctx, params }) => revokeToken({ ctx, id: params.id }));

const notAllowed = methodNotAllowed("DELETE");
export { notAllowed as GET, notAllowed as POST, notAllowed as PUT, notAllowed as PATCH };
