import { methodNotAllowed } from "@/lib/api/problem";
import { apiRoute } from "@/lib/api/route";
import { prometheusMetrics } from "@/lib/services/metrics/prometheus";

// Prometheus scrapes this with a bearer token holding `metrics:read`; the numbers are the caller's tenant.
export const GET = apiRoute(["metrics:read"], async ({ ctx }) => {
  const { contentType, text } = await prometheusMetrics({ ctx });
  return new Response(text, { headers: { "content-type": contentType, "cache-control": "no-store" } });
});

const notAllowed = methodNotAllowed("GET");
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
