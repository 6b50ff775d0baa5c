import "server-only";
import { ZodError } from "zod";
import { log, requestIdOf, type Logger } from "@/lib/log";
import { ServiceError, type FieldError } from "@/lib/services/errors";

const PROBLEM_BASE = "https://countersign.dev/problems/";

/**
 * A problem+json answer. `requestId` is the request's id (lib/log.ts): its `request_id` member, and the
 * x-request-id header, let whoever got it find the server's lines about it.
 */
export function problem(
  status: number,
  code: string,
  title: string,
  detail: string,
  more: { errors?: FieldError[]; headers?: Record<string, string>; requestId?: string } = {},
): Response {
  const { errors, headers, requestId } = more;
  const body = { type: `${PROBLEM_BASE}${code}`, title, status, detail, code, ...(errors ? { errors } : {}), ...(requestId ? { request_id: requestId } : {}) };
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      "content-type": "application/problem+json",
      "cache-control": "no-store",
      ...headers,
      ...(requestId ? { "x-request-id": requestId } : {}),
    },
  });
}

export function zodErrors(err: ZodError): FieldError[] {
  return err.issues.map((i) => ({ path: i.path.map(String).join(".") || "(body)", message: i.message }));
}

/** The PostgreSQL SQLSTATE of an error or of the error it wraps (Drizzle wraps driver errors). */
function sqlState(err: unknown): string | undefined {
  for (let e = err, depth = 0; e && typeof e === "object" && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

// Deadlock and serialization failures roll the whole transaction back: safe for the client to retry.
const RETRYABLE = new Set(["40P01", "40001"]);

/** The one place a thrown error becomes an HTTP answer; `logger` carries the request's id. */
export function toProblem(err: unknown, requestId?: string, logger: Logger = log()): Response {
  if (err instanceof ServiceError) {
    return problem(err.status, err.code, err.title, err.message, { errors: err.errors, headers: err.headers, requestId });
  }
  if (err instanceof ZodError) {
    return problem(400, "validation_failed", "Invalid request", "The request did not validate.", { errors: zodErrors(err), requestId });
  }
  const state = sqlState(err);
  if (state && RETRYABLE.has(state)) {
    logger.warn({ sqlstate: state }, "transaction aborted; the client may retry");
    return problem(503, "retry", "Try again", "A concurrent change got in the way; nothing was stored. Retry the request.", {
      headers: { "retry-after": "1" },
      requestId,
    });
  }
  if (state === "23505") {
    // A unique index caught a race the service's own checks should already have answered.
    logger.warn({ err }, "unique violation answered as a conflict");
    return problem(409, "conflict", "Conflict", "A concurrent request made the same change; nothing was stored.", { requestId });
  }
  logger.error({ err }, "unhandled error");
  return problem(500, "internal_error", "Internal error", "Something failed on our side; nothing was stored.", { requestId });
}

/** For the methods a route does not serve: 405 as problem+json, naming the ones it does. */
export function methodNotAllowed(allow: string) {
  return (req?: Request): Response =>
    problem(405, "method_not_allowed", "Method not allowed", `This route answers ${allow}.`, { headers: { allow }, requestId: requestIdOf(req) });
}

/** Unknown API paths answer problem+json like every other error, never Next's HTML 404 page. */
export function unknownRoute(req?: Request): Response {
  return problem(404, "not_found", "Not found", "No such API route.", { requestId: requestIdOf(req) });
}
