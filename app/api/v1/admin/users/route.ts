import { methodNotAllowed } from "@/lib/api/problem";
import { parseQuery, readJson } from "@/lib/api/body";
import { apiRoute, json } from "@/lib/api/route";
import { listUsers, UsersQuery } from "@/lib/services/provisioning/list-users";
import { CreateUserBody } from "@/lib/services/provisioning/schemas";
import { createUser } from "@/lib/services/provisioning/users";

export const GET = apiRoute(["admin"], ({ req, ctx }) => listUsers({ ctx, input: parseQuery(req, UsersQuery) }));

export const POST = apiRoute(["admin"], async ({ req, ctx }) =>
  json(await createUser({ ctx, input: await readJson(req, CreateUserBody) }), 201),
);

const notAllowed = methodNotAllowed("GET, POST");
export { notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
