import { methodNotAllowed } from "@/lib/api/problem";
import { apiRoute } from "@/lib/api/route";
import { authenticate } from "@/lib/auth/authenticate";
import { requireScope } from "@/lib/services/context";
import { queueStream } from "@/lib/services/approvals/stream";

export const dynamic = "force-dynamic";

export const GET = apiRoute(["approvals:read"], async ({ req, ctx }) => {
  // The same credentials, checked again as they would be for a new request.
  const stillAllowed = async () => {
    const principal = await authenticate(ctx.query, req, new Date());
    requireScope(principal, "approvals:read");
    return principal.tenantId === ctx.principal.tenantId;
  };
  const stream = await queueStream({ ctx, signal: req.signal, stillAllowed });
  return new Response(stream, {
    headers: { "content-type": "text/event-stream", "cache-control": "no-store", connection: "keep-alive", "x-accel-buffering": "no" },
  });
});

const notAllowed = methodNotAllowed("GET");
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
