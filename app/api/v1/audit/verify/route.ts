import { parseQuery, readJson } from "@/lib/api/body";
import { methodNotAllowed } from "@/lib/api/problem";
import { apiRoute } from "@/lib/api/route";
import { verifyChain } from "@/lib/services/audit/verify";
import { VerifyAuditBody, verifyAgainstCheckpoints } from "@/lib/services/audit/verify-checkpoints";
import { TenantQuery } from "@/lib/services/provisioning/tenants";

export const GET = apiRoute(["audit:read"], ({ ctx }) => verifyChain({ ctx }));

// A POST only because the checkpoint log travels in the body: it changes nothing.
export const POST = apiRoute(["audit:read"], async ({ req, ctx }) => {
  const { tenant } = parseQuery(req, TenantQuery);
  return verifyAgainstCheckpoints({ ctx, input: await readJson(req, VerifyAuditBody), tenant });
});

const notAllowed = methodNotAllowed("GET, POST");
export { notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
