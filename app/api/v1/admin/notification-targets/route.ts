import { readJson } from "@/lib/api/body";
import { methodNotAllowed } from "@/lib/api/problem";
import { apiRoute, json } from "@/lib/api/route";
import { CreateTargetBody, createTarget, listTargets } from "@/lib/services/outbox/targets";

export const GET = apiRoute(["admin"], ({ ctx }) => listTargets({ ctx }));

export const POST = apiRoute(["admin"], async ({ req, ctx }) => json(await createTarget({ ctx, input: await readJson(req, CreateTargetBody) }), 201));

const notAllowed = methodNotAllowed("GET, POST");
export { notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
