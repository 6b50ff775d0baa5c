import { readJson } from "@/lib/api/body";
import { apiRoute, json } from "@/lib/api/route";
import { CreateTokenBody } from "@/lib/services/provisioning/schemas";
import { createToken } from "@/lib/services/provisioning/tokens";

export const POST = apiRoute(["admin"], async ({ req, ctx }) =>
  json(await createToken({ ctx, input: await readJson(req, CreateTokenBody) }), 201),
);
