import { methodNotAllowed } from "@/lib/api/problem";
import { apiRoute } from "@/lib/api/route";
import { listSnapshots } from "@/lib/services/policy/snapshots";

export const GET = apiRoute(["policy:read"], ({ ctx }) => listSnapshots({ ctx }));

const notAllowed = methodNotAllowed("GET");
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
