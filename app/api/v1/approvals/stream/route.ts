import { methodNotAllowed } from "@/lib/api/problem";
import { apiRoute } from "@/lib/api/route";
import { queueStream } from "@/lib/services/approvals/stream";

export const dynamic = "force-dynamic";

export const GET = apiRoute(["approvals:read"], async ({ req, ctx }) => {
  const stream = await queueStream({ ctx, signal: req.signal });
  return new Response(stream, {
    headers: { "content-type": "text/event-stream", "cache-control": "no-store", connection: "keep-alive", "x-accel-buffering": "no" },
  });
});

const notAllowed = methodNotAllowed("GET");
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
