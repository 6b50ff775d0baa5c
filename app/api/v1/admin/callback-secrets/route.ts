import { methodNotAllowed } from "@/lib/api/problem";
import { apiRoute, json } from "@/lib/api/route";
import { listCallbackSecrets, rotateCallbackSecret } from "@/lib/services/outbox/secrets";

/** The secrets that sign callbacks now (current first; the previous one while a rotation overlaps). */
export const GET = apiRoute(["admin"], ({ ctx }) => listCallbackSecrets({ ctx }));

/** Rotate: a new current secret; the old one keeps signing for 24 h. */
export const POST = apiRoute(["admin"], async ({ ctx }) => json(await rotateCallbackSecret({ ctx }), 201));

const notAllowed = methodNotAllowed("GET, POST");
export { notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
