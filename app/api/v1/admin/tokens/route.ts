import { methodNotAllowed } from "@/lib/api/problem";
import { parseQuery, readJson } from "@/lib/api/body";
import { apiRoute, json } from "@/lib/api/route";
import { listTokens, TokensQuery } from "@/lib/services/provisioning/list-tokens";
import { CreateTokenBody } from "@/lib/services/provisioning/schemas";
import { createToken } from "@/lib/services/provisioning/tokens";

export const GET = apiRoute(["admin"], ({ req, ctx }) => listTokens({ ctx, input: parseQuery(req, TokensQuery) }));

// No scope up front: a person may mint their own token without the admin scope (and only they may
// mint one that approves); createToken decides who may mint what, and answers insufficient_scope else.
export const POST = apiRoute([], async ({ req, ctx }) =>
  json(await createToken({ ctx, input: await readJson(req, CreateTokenBody) }), 201),
);

const notAllowed = methodNotAllowed("GET, POST");
export { notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
