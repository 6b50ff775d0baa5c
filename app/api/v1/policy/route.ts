import { methodNotAllowed } from "@/lib/api/problem";
import { readText } from "@/lib/api/body";
import { apiRoute } from "@/lib/api/route";
import { UnsupportedMediaType } from "@/lib/services/errors";
import { getActivePolicy, putPolicy } from "@/lib/services/policy/activate";

export const GET = apiRoute(["policy:read"], ({ ctx }) => getActivePolicy({ ctx }));

const YAML_TYPES = /^(application\/(x-)?yaml|text\/(x-)?yaml|text\/plain)\b/i;

export const PUT = apiRoute(["policy:write"], async ({ req, ctx }) => {
  if (!YAML_TYPES.test(req.headers.get("content-type") ?? "")) throw new UnsupportedMediaType("application/yaml");
  return putPolicy({ ctx, yaml: await readText(req) });
});

const notAllowed = methodNotAllowed("GET, PUT");
export { notAllowed as POST, notAllowed as PATCH, notAllowed as DELETE };
