import { methodNotAllowed } from "@/lib/api/problem";
import { readJson } from "@/lib/api/body";
import { apiRoute, json } from "@/lib/api/route";
import { CreateTokenBody } from "@/lib/services/provisioning/schemas";
import { createToken } from "@/lib/services/provisioning/tokens";

export const POST = apiRoute(["admin"], async ({ req, ctx }) =>
  json(await createToken({ ctx, input: await readJson(req, CreateTokenBody) }), 201),
);

const notAllowed = methodNotAllowed("POST");
export { notAllowed as GET, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
