import { parseQuery } from "@/lib/api/body";
import { methodNotAllowed } from "@/lib/api/problem";
import { apiRoute } from "@/lib/api/route";
import { exportAudit } from "@/lib/services/audit/export";
import { AuditExportQuery } from "@/lib/services/audit/list";

export const dynamic = "force-dynamic";

/** The audit trail as JSON Lines (`application/x-ndjson`), with the listing's filters. */
export const GET = apiRoute(["audit:read"], async ({ req, ctx }) => {
  const input = parseQuery(req, AuditExportQuery);
  const stamp = ctx.now.toISOString().replace(/[:.]/g, "-");
  return new Response(exportAudit({ ctx, input, signal: req.signal }), {
    headers: {
      "content-type": "application/x-ndjson; charset=utf-8",
      "content-disposition": `attachment; filename="countersign-audit-${ctx.principal.tenantId}-${stamp}.jsonl"`,
      "cache-control": "no-store",
    },
  });
});

const notAllowed = methodNotAllowed("GET");
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
