// Whether the production build is older than what it is built from (shared by start and bench).
import fs from "node:fs";
import path from "node:path";

const SOURCE_DIRS = ["app", "lib", "components", "drizzle", "public"];
const SOURCE_FILES = ["package-lock.json", "next.config.ts", "instrumentation.ts", "proxy.ts", "auth.ts", "postcss.config.mjs"];

function newest(dir) {
  let t = 0;
  if (!fs.existsSync(dir)) return t;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}

/** { built, stale }: is there a build at all, and is any source newer than it. */
export function buildState(root) {
  const buildId = path.join(root, ".next", "BUILD_ID");
  if (!fs.existsSync(buildId)) return { built: false, stale: true };
  const sources = SOURCE_DIRS.map((d) => newest(path.join(root, d)));
  const files = SOURCE_FILES.map((f) => path.join(root, f)).map((f) => (fs.existsSync(f) ? fs.statSync(f).mtimeMs : 0));
  return { built: true, stale: Math.max(...sources, ...files) > fs.statSync(buildId).mtimeMs };
}
