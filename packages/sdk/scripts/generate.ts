/**
 * Regenerate src/schema.d.ts from the app's OpenAPI document, taken without a server:
 *
 *   npm run generate -w @countersign/sdk
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { renderSchema } from "./schema.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const out = fileURLToPath(new URL("../src/schema.d.ts", import.meta.url));

// The document comes from the app's own code (scripts/openapi.ts), run where its path aliases resolve.
const json = execFileSync(process.execPath, ["--import", "tsx", "scripts/openapi.ts"], { cwd: root, encoding: "utf8", maxBuffer: 64 << 20 });
fs.writeFileSync(out, await renderSchema(JSON.parse(json) as object));
console.log(`wrote ${out}`);
