import { unknownRoute } from "@/lib/api/problem";

// Anywhere under /api (not only /api/v1, and also where dot segments such as /api/v1/jobs/%2e%2e/%2e%2e/x
// lead out of /api/v1): an unknown path is a problem+json 404.
export { unknownRoute as GET, unknownRoute as POST, unknownRoute as PUT, unknownRoute as PATCH, unknownRoute as DELETE };
