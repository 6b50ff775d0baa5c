import { methodNotAllowed } from "@/lib/api/problem";
import { readJson } from "@/lib/api/body";
import { apiRoute } from "@/lib/api/route";
import { UpdateUserBody } from "@/lib/services/provisioning/schemas";
import { updateUser } from "@/lib/services/provisioning/users";

export const PATCH = apiRoute<{ id: string }>(["admin"], async ({ req, ctx, params }) =>
  updateUser({ ctx, id: params.id, input: await readJson(req, UpdateUserBody) }),
);

const notAllowed = methodNotAllowed("PATCH");
export { notAllowed as GET, notAllowed as POST, notAllowed as PUT, notAllowed as DELETE };
