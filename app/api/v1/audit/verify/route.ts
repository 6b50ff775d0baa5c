import { methodNotAllowed } from "@/lib/api/problem";
import { apiRoute } from "@/lib/api/route";
import { verifyChain } from "@/lib/services/audit/verify";

export const GET = apiRoute(["audit:read"], ({ ctx }) => verifyChain({ ctx }));

const notAllowed = methodNotAllowed("GET");
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
