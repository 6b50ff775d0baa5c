import { methodNotAllowed } from "@/lib/api/problem";
import { apiRoute, json } from "@/lib/api/route";
import { issuePasswordLink } from "@/lib/services/provisioning/password-link";

export const POST = apiRoute<{ id: string }>(["admin"], async ({ ctx, params }) => json(await issuePasswordLink({ ctx, id: params.id }), 201));

const notAllowed = methodNotAllowed("POST");
export { notAllowed as GET, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
