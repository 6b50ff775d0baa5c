import { apiRoute } from "@/lib/api/route";
import { verifyChain } from "@/lib/services/audit/verify";

export const GET = apiRoute(["audit:read"], ({ ctx }) => verifyChain({ ctx }));
