import { methodNotAllowed } from "@/lib/api/problem";
import { parseQuery } from "@/lib/api/body";
import { apiRoute } from "@/lib/api/route";
import { listQueue } from "@/lib/services/approvals/list";
import { QueueQuery } from "@/lib/services/approvals/schemas";

export const GET = apiRoute(["approvals:read"], async ({ req, ctx }) =>
  listQueue({ ctx, input: parseQuery(req, QueueQuery) }),
);

const notAllowed = methodNotAllowed("GET");
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
