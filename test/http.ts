/**
 * Calls the real route handlers with real Request objects, against the real database: everything but
 * the socket. Routes are matched the way Next's file router does for our app/api tree.
 */
type Handler = (req: Request, ctx: { params: Promise<any> }) => Promise<Response> | Response;
type RouteModule = Partial<Record<"GET" | "POST" | "PUT" | "PATCH" | "DELETE", Handler>>;

const ROUTES: [RegExp, () => Promise<RouteModule>][] = [
  [/^\/api\/health$/, () => import("@/app/api/health/route")],
  [/^\/api\/v1\/openapi\.json$/, () => import("@/app/api/v1/openapi.json/route")],
  [/^\/api\/v1\/jobs$/, () => import("@/app/api/v1/jobs/route")],
  [/^\/api\/v1\/jobs\/(?<id>[^/]+)$/, () => import("@/app/api/v1/jobs/[id]/route")],
  [/^\/api\/v1\/jobs\/(?<id>[^/]+)\/decisions$/, () => import("@/app/api/v1/jobs/[id]/decisions/route")],
  [/^\/api\/v1\/jobs\/(?<id>[^/]+)\/claim$/, () => import("@/app/api/v1/jobs/[id]/claim/route")],
  [/^\/api\/v1\/jobs\/(?<id>[^/]+)\/complete$/, () => import("@/app/api/v1/jobs/[id]/complete/route")],
  [/^\/api\/v1\/jobs\/(?<id>[^/]+)\/cancel$/, () => import("@/app/api/v1/jobs/[id]/cancel/route")],
  [/^\/api\/v1\/approvals$/, () => import("@/app/api/v1/approvals/route")],
  [/^\/api\/v1\/approvals\/(?<job_id>[^/]+)\/approve$/, () => import("@/app/api/v1/approvals/[job_id]/approve/route")],
  [/^\/api\/v1\/approvals\/(?<job_id>[^/]+)\/reject$/, () => import("@/app/api/v1/approvals/[job_id]/reject/route")],
  [/^\/api\/v1\/policy$/, () => import("@/app/api/v1/policy/route")],
  [/^\/api\/v1\/policy\/snapshots$/, () => import("@/app/api/v1/policy/snapshots/route")],
  [/^\/api\/v1\/policy\/simulate$/, () => import("@/app/api/v1/policy/simulate/route")],
  [/^\/api\/v1\/policy\/test$/, () => import("@/app/api/v1/policy/test/route")],
  [/^\/api\/v1\/policy\/snapshots\/(?<id>[^/]+)\/activate$/, () => import("@/app/api/v1/policy/snapshots/[id]/activate/route")],
  [/^\/api\/v1\/metrics\/daily$/, () => import("@/app/api/v1/metrics/daily/route")],
  [/^\/api\/v1\/metrics\/decisions$/, () => import("@/app/api/v1/metrics/decisions/route")],
  [/^\/api\/v1\/audit$/, () => import("@/app/api/v1/audit/route")],
  [/^\/api\/v1\/audit\/export$/, () => import("@/app/api/v1/audit/export/route")],
  [/^\/api\/v1\/audit\/verify$/, () => import("@/app/api/v1/audit/verify/route")],
  [/^\/api\/v1\/admin\/tenants$/, () => import("@/app/api/v1/admin/tenants/route")],
  [/^\/api\/v1\/admin\/users$/, () => import("@/app/api/v1/admin/users/route")],
  [/^\/api\/v1\/admin\/users\/(?<id>[^/]+)$/, () => import("@/app/api/v1/admin/users/[id]/route")],
  [/^\/api\/v1\/admin\/tokens$/, () => import("@/app/api/v1/admin/tokens/route")],
  [/^\/api\/v1\/admin\/tokens\/(?<id>[^/]+)$/, () => import("@/app/api/v1/admin/tokens/[id]/route")],
  [/^\/api\/v1\/admin\/deliveries$/, () => import("@/app/api/v1/admin/deliveries/route")],
  [/^\/api\/v1\/admin\/deliveries\/(?<id>[^/]+)\/redeliver$/, () => import("@/app/api/v1/admin/deliveries/[id]/redeliver/route")],
  [/^\/api\/v1\/admin\/notification-targets$/, () => import("@/app/api/v1/admin/notification-targets/route")],
  [/^\/api\/v1\/admin\/notification-targets\/(?<id>[^/]+)$/, () => import("@/app/api/v1/admin/notification-targets/[id]/route")],
  [/^\/api\/v1\/admin\/callback-secrets$/, () => import("@/app/api/v1/admin/callback-secrets/route")],
];

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
  const context = Object.keys(params).length ? { params: Promise.resolve(params) } : ({} as { params: Promise<any> });
  return handler(req, context);
}

export async function call<T = any>(method: string, path: string, opts: CallOptions = {}): Promise<CallResult<T>> {
  const url = new URL(path, "http://localhost:3000");
  const headers: Record<string, string> = { ...opts.headers };
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
