import { methodNotAllowed } from "@/lib/api/problem";
import { parseQuery } from "@/lib/api/body";
import { apiRoute, jsonText } from "@/lib/api/route";
import { listQueueJson } from "@/lib/services/approvals/list";
import { QueueQuery } from "@/lib/services/approvals/schemas";

// The page arrives as JSON text, written partly by PostgreSQL (see listQueueJson): sent as it is.
export const GET = apiRoute(["approvals:read"], async ({ req, ctx }) =>
  jsonText(await listQueueJson({ ctx, input: parseQuery(req, QueueQuery) })),
);

const notAllowed = methodNotAllowed("GET");
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
