import { methodNotAllowed } from "@/lib/api/problem";
import { apiRoute } from "@/lib/api/route";
import { listStanding } from "@/lib/services/standing/list";

export const GET = apiRoute(["approvals:read"], ({ ctx }) => listStanding({ ctx }));

const notAllowed = methodNotAllowed("GET");
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
