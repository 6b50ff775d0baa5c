import openapiTS, { astToString } from "openapi-typescript";

const HEADER = `/**
 * The API's request and response types, generated from its OpenAPI document (GET /api/v1/openapi.json)
 * by openapi-typescript. Do not edit: run \`npm run generate -w @countersign/sdk\`. A test fails when
 * this file no longer matches the document.
 */

`;

/** src/schema.d.ts for an OpenAPI document: the one rendering that `generate` writes and the tests compare. */
export async function renderSchema(document: object): Promise<string> {
  // openapi-typescript may annotate what it is given; the caller's document stays as it was.
  const ast = await openapiTS(structuredClone(document) as Parameters<typeof openapiTS>[0], { alphabetize: true });
  return HEADER + astToString(ast);
}
