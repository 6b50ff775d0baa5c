import { openApiDocument } from "@/lib/api/openapi";
import { json } from "@/lib/api/route";

export function GET(): Response {
  return json(openApiDocument());
}
