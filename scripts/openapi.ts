/**
 * Print the API's OpenAPI document (what GET /api/v1/openapi.json serves) without a server:
 *
 *   npx tsx scripts/openapi.ts > openapi.json
 *
 * The TypeScript SDK generates its types from it (packages/sdk/scripts/generate.ts).
 */
import { underServerCondition } from "./server-condition";

underServerCondition();
void import("@/lib/api/openapi").then(({ openApiDocument }) => process.stdout.write(`${JSON.stringify(openApiDocument(), null, 2)}\n`));
