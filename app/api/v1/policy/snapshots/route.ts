import { apiRoute } from "@/lib/api/route";
import { listSnapshots } from "@/lib/services/policy/snapshots";

export const GET = apiRoute(["policy:read"], ({ ctx }) => listSnapshots({ ctx }));
