import { methodNotAllowed } from "@/lib/api/problem";
import { readJson } from "@/lib/api/body";
import { apiRoute, json } from "@/lib/api/route";
import { CreateTokenBody } from "@/lib/services/provisioning/schemas";
import { createToken } from "@/lib/services/provisioning/tokens";

// No scope up front: a person may mint their own token without the admin scope (and only they may
// mint one that approves); createToken decides who may mint what, and answers insufficient_scope else.
export const POST = apiRoute([], async ({ req, ctx }) =>
  json(await createToken({ ctx, input: await readJson(req, CreateTokenBody) }), 201),
);

const notAllowed = methodNotAllowed("POST");
export { notAllowed as GET, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
