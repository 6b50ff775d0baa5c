import { methodNotAllowed } from "@/lib/api/problem";
import { apiRoute } from "@/lib/api/route";
import { revokeStanding } from "@/lib/services/standing/revoke";

// The granter (who holds approvals:resolve) or an admin; revokeStanding tells the two apart.
export const DELETE = apiRoute<{ id: string }>(["approvals:resolve", "admin"], ({ ctx, params }) => revokeStanding({ ctx, id: params.id }));

const notAllowed = methodNotAllowed("DELETE");
export { notAllowed as GET, notAllowed as POST, notAllowed as PUT, notAllowed as PATCH };
