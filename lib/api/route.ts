import "server-only";
import { authenticate } from "@/lib/auth/authenticate";
import { getDatabase } from "@/lib/db/client";
import { log, requestIdOf } from "@/lib/log";
import { contextOf, requireScope, type Ctx, type Scope } from "@/lib/services/context";
import { NotFound } from "@/lib/services/errors";
import { toProblem } from "./problem";

// Every id we hand out (job-…, usr-…, tok-…, cfg:<tenant>:policy#sha256:…) fits this; anything
// else cannot name a row.
const ID_RE = /^[A-Za-z0-9_.:#-]{1,200}$/;

type Params = Record<string, string | string[] | undefined>;

export interface RouteArgs<P> {
  req: Request;
  ctx: Ctx;
  params: P;
}

export function json(data: unknown, status = 200, headers?: Record<string, string>): Response {
  return jsonText(JSON.stringify(data), status, headers);
}

/**
 * An answer whose body is already JSON text. Bytes go out as they are, in a stream of one chunk:
 * `new Response(bytes)` would copy them first (a queue page is ~75 KB).
 */
export function jsonText(body: string | Uint8Array<ArrayBuffer>, status = 200, headers?: Record<string, string>): Response {
  const content =
    typeof body === "string"
      ? body
      : new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(body);
            controller.close();
          },
        });
  return new Response(content, {
    status,
    headers: { "content-type": "application/json", "cache-control": "no-store", ...headers },
  });
}

/**
 * The wrapper every authenticated `/api/v1` route goes through: authenticate, check the scope,
 * run the handler, and map whatever it throws to problem+json in one place.
 */
export function apiRoute<P extends Params = Params>(
  scopes: Scope[],
  handler: (args: RouteArgs<P>) => Promise<Response | object>,
) {
  return async (req: Request, context: { params: Promise<P> }): Promise<Response> => {
    const requestId = requestIdOf(req);
    let ctx: Ctx | undefined;
    try {
      const database = await getDatabase();
      const now = new Date();
      const principal = await authenticate(database.query, req, now);
      if (scopes.length) requireScope(principal, ...scopes);
      // Routes without dynamic segments get no params object at all.
      const params = ((await context?.params) ?? {}) as P;
      for (const value of Object.values(params)) {
        if (typeof value === "string" && !ID_RE.test(value)) throw new NotFound();
      }
      ctx = contextOf(database, principal, now, requestId);
      const result = await handler({ req, ctx, params });
      const res = result instanceof Response ? result : json(result);
      res.headers.set("x-request-id", requestId);
      return res;
    } catch (err) {
      return toProblem(err, requestId, ctx?.log ?? log().child({ request_id: requestId }));
    }
  };
}
