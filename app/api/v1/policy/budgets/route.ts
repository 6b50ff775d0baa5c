import { methodNotAllowed } from "@/lib/api/problem";
import { apiRoute } from "@/lib/api/route";
import { budgetUse } from "@/lib/services/policy/budgets";

export const GET = apiRoute(["policy:read"], ({ ctx }) => budgetUse({ ctx }));

const notAllowed = methodNotAllowed("GET");
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
