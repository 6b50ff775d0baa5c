import { methodNotAllowed } from "@/lib/api/problem";
import { parseQuery } from "@/lib/api/body";
import { apiRoute } from "@/lib/api/route";
import { AuditQuery, listAudit } from "@/lib/services/audit/list";

export const GET = apiRoute(["audit:read"], async ({ req, ctx }) => listAudit({ ctx, input: parseQuery(req, AuditQuery) }));

const notAllowed = methodNotAllowed("GET");
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
