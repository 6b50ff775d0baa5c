// Builds dist/policy-engine.js: the app's pure policy engine (lib/policy: parse, compile, evaluate,
// runPolicyTests) as one ES module, so `countersign policy test` runs the very code the server runs,
// with no server, and the CLI never imports the app at run time. yaml and zod are the CLI's own
// dependencies (left as imports); the CEL library, with no dependencies of its own, is bundled in.
import path from "node:path";
import { build } from "esbuild";

const here = path.dirname(new URL(import.meta.url).pathname);
const root = path.resolve(here, "../../..");
await build({
  entryPoints: [path.join(root, "lib/policy/policy-tests.ts")],
  outfile: path.resolve(here, "../dist/policy-engine.js"),
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  alias: { "@": root },
  external: ["yaml", "zod"],
  legalComments: "inline",
  logLevel: "warning",
});
