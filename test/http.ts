import { patternOf, routeFiles, templateOf } from "./routes";

/**
 * Calls the real route handlers with real Request objects, against the real database: everything but
 * the socket. Routes are matched the way Next's file router does for our app/api tree.
 */
type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response> | Response;
type RouteModule = Partial<Record<"GET" | "POST" | "PUT" | "PATCH" | "DELETE", Handler>>;

// Every route file but the catch-alls (unknown paths fall through to the v1 catch-all, as they would),
// matched as Next's file router matches them, loaded when first asked for.
const ROUTES: [RegExp, () => Promise<RouteModule>][] = routeFiles().flatMap((file) => {
  const pattern = patternOf(templateOf(file));
  return pattern ? [[pattern, () => import(/* @vite-ignore */ file) as Promise<RouteModule>] as [RegExp, () => Promise<RouteModule>]] : [];
});

export interface CallOptions {
  token?: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

export interface CallResult<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** Route a real Request to the handler Next would pick, as the server does (for clients that take a fetch). */
export async function dispatch(req: Request): Promise<Response> {
  const url = new URL(req.url);
  let mod: RouteModule | undefined;
  let params: Record<string, string> = {};
  for (const [re, load] of ROUTES) {
    const m = re.exec(url.pathname);
    if (m) {
      mod = await load();
      params = Object.fromEntries(Object.entries(m.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)]));
      break;
    }
  }
  if (!mod) {
    const { GET } = await import("@/app/api/v1/[...rest]/route");
    mod = { GET, POST: GET, PUT: GET, PATCH: GET, DELETE: GET };
  }
  const handler = mod[req.method as keyof RouteModule];
  if (!handler) return new Response(null, { status: 405 });
  // Like Next: a route without dynamic segments gets no params at all.
  const context = Object.keys(params).length ? { params: Promise.resolve(params) } : ({} as { params: Promise<Record<string, string>> });
  return handler(req, context);
}

export async function call<T = any>(method: string, path: string, opts: CallOptions = {}): Promise<CallResult<T>> {
  const url = new URL(path, "http://localhost:3000");
  // A fixed request id, so that two answers can be compared whole (each would otherwise get its own).
  const headers: Record<string, string> = { "x-request-id": "test", ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined = opts.rawBody;
  if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers["content-type"] ??= "application/json";
  }
  const res = await dispatch(new Request(url, { method, headers, body }));
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // keep the text
  }
  return { status: res.status, headers: res.headers, body: parsed as T };
}
