import { methodNotAllowed } from "@/lib/api/problem";
import { readJson } from "@/lib/api/body";
import { apiRoute, json } from "@/lib/api/route";
import { CreateUserBody } from "@/lib/services/provisioning/schemas";
import { createUser } from "@/lib/services/provisioning/users";

export const POST = apiRoute(["admin"], async ({ req, ctx }) =>
  json(await createUser({ ctx, input: await readJson(req, CreateUserBody) }), 201),
);

const notAllowed = methodNotAllowed("POST");
export { notAllowed as GET, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
