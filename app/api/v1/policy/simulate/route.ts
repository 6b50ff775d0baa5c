import { methodNotAllowed } from "@/lib/api/problem";
import { readJson } from "@/lib/api/body";
import { apiRoute } from "@/lib/api/route";
import { SimulateBody, simulatePolicy } from "@/lib/services/policy/simulate";

export const POST = apiRoute(["policy:read"], async ({ req, ctx }) =>
  simulatePolicy({ ctx, input: await readJson(req, SimulateBody) }),
);

const notAllowed = methodNotAllowed("POST");
export { notAllowed as GET, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
