import fs from "node:fs";
import path from "node:path";

// The app's API routes, read from the file tree as Next reads it (app/api/**/route.ts): what the test
// dispatcher (test/http.ts) serves and what the authorization matrix (authz.test.ts) must cover.

export const APP_API = path.resolve(import.meta.dirname, "../app/api");

/** Every route file under app/api, sorted. */
export function routeFiles(dir = APP_API): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...routeFiles(p));
    else if (/^route\.(ts|tsx|js|mjs)$/.test(e.name)) out.push(p);
  }
  return out.sort();
}

/** A route file's path template, as Next names it: `/api/v1/jobs/[id]`. */
export const templateOf = (file: string) => `/api/${path.relative(APP_API, path.dirname(file)).split(path.sep).join("/")}`.replace(/\/$/, "");

/** The paths a template serves, as a RegExp with a named group per `[param]`; null for a catch-all. */
export function patternOf(template: string): RegExp | null {
  if (template.includes("[...")) return null;
  const source = template
    .split("/")
    .map((seg) => (/^\[\w+\]$/.test(seg) ? `(?<${seg.slice(1, -1)}>[^/]+)` : seg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("\\/");
  return new RegExp(`^${source}$`);
}
