import { problem } from "@/lib/api/problem";

/**
 * Unknown paths anywhere under /api (not only /api/v1, and also those that dot segments such as
 * /api/v1/jobs/%2e%2e/%2e%2e/x lead out of /api/v1) answer problem+json, never the HTML 404 page.
 */
function notFound(): Response {
  return problem(404, "not_found", "Not found", "No such API route.");
}

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
