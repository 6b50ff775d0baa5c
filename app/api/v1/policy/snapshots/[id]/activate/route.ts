import { methodNotAllowed } from "@/lib/api/problem";
import { apiRoute } from "@/lib/api/route";
import { activateSnapshot } from "@/lib/services/policy/restore";

export const POST = apiRoute<{ id: string }>(["policy:write"], async ({ ctx, params }) => activateSnapshot({ ctx, id: params.id }));

const notAllowed = methodNotAllowed("POST");
export { notAllowed as GET, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
