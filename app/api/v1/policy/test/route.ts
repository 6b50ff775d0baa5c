import { methodNotAllowed } from "@/lib/api/problem";
import { readJson } from "@/lib/api/body";
import { apiRoute } from "@/lib/api/route";
import { PolicyTestBody, testPolicy } from "@/lib/services/policy/test";

export const POST = apiRoute(["policy:read"], async ({ req }) => testPolicy({ input: await readJson(req, PolicyTestBody) }));

const notAllowed = methodNotAllowed("POST");
export { notAllowed as GET, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
