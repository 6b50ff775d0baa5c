import { methodNotAllowed } from "@/lib/api/problem";
import { openApiDocument } from "@/lib/api/openapi";
import { json } from "@/lib/api/route";

export function GET(): Response {
  return json(openApiDocument());
}

const notAllowed = methodNotAllowed("GET");
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
