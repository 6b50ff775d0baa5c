import { parseQuery } from "@/lib/api/body";
import { apiRoute } from "@/lib/api/route";
import { AuditQuery, listAudit } from "@/lib/services/audit/list";

export const GET = apiRoute(["audit:read"], async ({ req, ctx }) => listAudit({ ctx, input: parseQuery(req, AuditQuery) }));
