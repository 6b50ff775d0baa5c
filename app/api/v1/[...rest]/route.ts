import { problem } from "@/lib/api/problem";

/** Unknown API paths answer problem+json like every other error, never the HTML 404 page. */
function notFound(): Response {
  return problem(404, "not_found", "Not found", "No such API route.");
}

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
